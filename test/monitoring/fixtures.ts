import { counter, FAST, gauge, HttpPhase, httpSeries, InputSeries, MESH, series, SIDECAR_JOB, sidecar, SLOW } from './series';
import { AlertProfile } from '../../src/monitoring/alert-profile';
import { AlertSettings } from '../../src/monitoring/alert-settings';
import { MeshAlertOptions } from '../../src/monitoring/alerts';
import { ServiceRef } from '../../src/monitoring/types';

/** The sample graph: frontend calls orders and inventory; orders calls payment and inventory. */
export const FRONTEND: ServiceRef = { name: 'frontend', namespace: 'shop' };
export const ORDERS: ServiceRef = { name: 'order-service', namespace: 'shop' };
export const INVENTORY: ServiceRef = { name: 'inventory', namespace: 'shop' };
export const PAYMENT: ServiceRef = { name: 'payment', namespace: 'billing' };

export const GRAPH: Array<{ service: ServiceRef; upstreams: ServiceRef[] }> = [
  { service: FRONTEND, upstreams: [ORDERS, INVENTORY] },
  { service: ORDERS, upstreams: [PAYMENT, INVENTORY] },
  { service: INVENTORY, upstreams: [] },
  { service: PAYMENT, upstreams: [] },
];

export const RUNBOOK = 'https://runbooks.example.com/mesh';

/** The alert profile of the fixtures' services: the default severities and `for`, a runbook. */
export const PROFILE: AlertProfile = { runbookUrl: RUNBOOK };

/** The alerts of the fixtures' mesh: their sidecars' targets are the job's `stats` endpoints. */
export const MESH_ALERTS: MeshAlertOptions = { profiles: [PROFILE], sidecarTarget: { job: SIDECAR_JOB, endpoint: 'stats' } };

/** The alert settings of a service of the fixtures' mesh. */
export const ALERT_SETTINGS: AlertSettings = { mesh: MESH, errorRatio: 0.05, latencyP99Ms: 500, expectTraffic: true, profile: PROFILE };

/** Minutes every alert scenario lasts. */
export const MINUTES = 30;

/** The pods of order-service, and the clusters of its upstreams in its sidecars. */
export const ORDER_PODS = ['order-service-1', 'order-service-2'];
export const ORDER_CLUSTERS = ['payment_v1', 'inventory_v1', 'inventory_v2'];
const BREAKERS = ['cx', 'rq_pending', 'rq', 'rq_retry'];

type Gauge = Array<[number | 'stale', number]>;

/** What differs from healthy traffic in a scenario; keys are pods, upstreams or clusters. */
export interface Scenario {
  /** Inbound traffic of each order-service pod. @default 600 requests a minute, 1% 5xx, FAST */
  readonly inbound?: HttpPhase[];
  /** Traffic from each order-service pod to an upstream, by upstream name. @default 300 a minute, no 5xx, FAST */
  readonly outbound?: Record<string, HttpPhase[]>;
  readonly up?: Record<string, Gauge>;
  readonly live?: Record<string, Gauge>;
  readonly ejections?: Record<string, Gauge>;
  /** By `<cluster>/<breaker>`, e.g. `inventory_v2/rq`. */
  readonly breakers?: Record<string, Gauge>;
  /** Requests a minute failed at a circuit breaker, by cluster. */
  readonly overflow?: Record<string, Array<[number, number]>>;
  /** LDS updates a minute each pod's sidecar refused. */
  readonly ldsRejected?: Record<string, Array<[number, number]>>;
}

const healthyInbound: HttpPhase[] = [{ minutes: MINUTES, perMinute: 600, errorRatio: 0.01 }];
const healthyOutbound: HttpPhase[] = [{ minutes: MINUTES, perMinute: 300 }];
const steady = (value: number): Gauge => [[value, MINUTES]];

/**
 * Every series order-service's sidecars export in `scenario`, plus noise that
 * must not reach its rules: the application's own scrape target failing, a
 * failing frontend (5xx, slow, down, ejecting,
 * breakers open), a failing order-service in namespace `staging`, and a cluster `payment-gateway_v1` of order-service that
 * is not one of its listed upstreams.
 */
export function orderServiceSeries(scenario: Scenario = {}): InputSeries[] {
  const out: InputSeries[] = [];
  for (const pod of ORDER_PODS) {
    const target = sidecar(ORDERS, pod);
    out.push(series('up', target, gauge(scenario.up?.[pod] ?? steady(1))));
    // The application's own metrics, scraped by the same PodMonitor, are down: not a sidecar problem.
    out.push(series('up', { ...target, endpoint: 'http-metrics' }, gauge(steady(0))));
    out.push(series('envoy_server_live', target, gauge(scenario.live?.[pod] ?? steady(1))));
    out.push(series('envoy_listener_manager_lds_update_rejected', target, counter(scenario.ldsRejected?.[pod] ?? [[0, MINUTES]])));
    out.push(...httpSeries(target, 'inbound', scenario.inbound ?? healthyInbound));
    for (const upstream of ['payment', 'inventory']) {
      out.push(...httpSeries(target, `outbound_${upstream}`, scenario.outbound?.[upstream] ?? healthyOutbound));
    }
    for (const cluster of ORDER_CLUSTERS) {
      const labels = { ...target, envoy_cluster_name: cluster };
      out.push(series('envoy_cluster_outlier_detection_ejections_active', labels, gauge(scenario.ejections?.[cluster] ?? steady(0))));
      out.push(series('envoy_cluster_upstream_rq_pending_overflow', labels, counter(scenario.overflow?.[cluster] ?? [[0, MINUTES]])));
      for (const breaker of BREAKERS) {
        out.push(series(`envoy_cluster_circuit_breakers_default_${breaker}_open`, labels,
          gauge(scenario.breakers?.[`${cluster}/${breaker}`] ?? steady(0))));
      }
    }
    const unlisted = { ...target, envoy_cluster_name: 'payment-gateway_v1' };
    out.push(series('envoy_cluster_outlier_detection_ejections_active', unlisted, gauge(steady(2))));
    out.push(series('envoy_cluster_circuit_breakers_default_rq_open', unlisted, gauge(steady(1))));
  }
  out.push(...noise());
  return out;
}

function noise(): InputSeries[] {
  const target = sidecar(FRONTEND, 'frontend-1');
  const toOrders = { ...target, envoy_cluster_name: 'order-service_v1' };
  const staging = sidecar({ name: ORDERS.name, namespace: 'staging' }, 'order-service-1');
  return [
    ...httpSeries(staging, 'inbound', [{ minutes: MINUTES, perMinute: 600, errorRatio: 0.5, latency: SLOW }]),
    series('up', staging, gauge(steady(0))),
    series('up', target, gauge(steady(0))),
    ...httpSeries(target, 'inbound', [{ minutes: MINUTES, perMinute: 600, errorRatio: 0.5, latency: SLOW }]),
    ...httpSeries(target, 'outbound_order-service', [{ minutes: MINUTES, perMinute: 600, errorRatio: 0.5, latency: SLOW }]),
    series('envoy_cluster_outlier_detection_ejections_active', toOrders, gauge(steady(1))),
    series('envoy_cluster_circuit_breakers_default_rq_open', toOrders, gauge(steady(1))),
    series('envoy_cluster_upstream_rq_pending_overflow', toOrders, counter([[60, MINUTES]])),
  ];
}

export { FAST, SLOW };
