import { Duration } from 'cdk8s';
import { FRONTEND, ORDERS, RUNBOOK } from './fixtures';
import { istioProxy, istioRequest, IstioPhase, istioSeries, SLO_LABELS } from './istio-series';
import { ExpectedAlert, RuleTestBatch, testRules, UnitTest, Workdir } from './promtool';
import { MESH } from './series';
import { Mesh, MeshEngine, MeshService, MonitoredWorkload, MtlsMode, Objective } from '../../src';
import { CapturingProxyEngine } from '../../src/engines/capturing-proxy-engine';
import type { EngineTranslator } from '../../src/engines/engine';
import { PromRuleGroup } from '../../src/monitoring/types';
import { newChart, objectNamed, objectsOf, outputProblems, synth, synthError } from '../helpers';

/**
 * The monitoring of a mesh run by Istio: the same records, alerts and SLOs,
 * read from Istio's standard metrics. mTLS is DISABLED only because the
 * mesh's checks still ask for certificates, which Istio issues itself.
 */
function istioShop(engine = MeshEngine.istio(), latency = Duration.millis(250)) {
  const chart = newChart();
  const mesh = new Mesh(chart, 'mesh', { engine, mtls: MtlsMode.DISABLED });
  const orders = new MeshService(chart, 'order-service', { mesh, image: 'example/orders:1.0.0', port: 8080 });
  const frontend = new MeshService(chart, 'frontend', { mesh, image: 'example/frontend:1.0.0', port: 3000 });
  frontend.callTo(orders);
  // A service of the mesh that frontend does not call: frontend's calls to it are no edge of the mesh's.
  new MeshService(chart, 'inventory', { mesh, image: 'example/inventory:1.0.0', port: 8081 });
  new MonitoredWorkload(chart, 'orders-monitoring', {
    service: orders,
    objectives: [Objective.availability(99.9), Objective.latency({ percentile: 99, threshold: latency })],
    alerts: { runbookUrl: `${RUNBOOK}/{alert}` },
  });
  new MonitoredWorkload(chart, 'frontend-monitoring', { service: frontend, alerts: { runbookUrl: `${RUNBOOK}/{alert}` } });
  return { chart, mesh, orders, frontend };
}

const { chart } = istioShop();
const manifests = synth(chart);
const GROUPS: PromRuleGroup[] = objectsOf(manifests, 'PrometheusRule').flatMap(rule => rule.spec.groups);
const alertsOf = (group: string) => [...new Set(GROUPS.find(g => g.name === group)!.rules.filter(r => r.alert).map(r => r.alert))];
/** The `alert_profile` of both workloads' alerts (not the default: they have a runbook). */
const PROFILE_ID = GROUPS.find(g => g.name === 'mesh-alert-settings/shop/frontend')!.rules[0].labels!.alert_profile;

describe('MonitoredWorkload on an Istio mesh', () => {
  test('every manifest passes the CRD and Kubernetes schemas', () => {
    expect(outputProblems(manifests)).toEqual([]);
  });

  test("the PodMonitor scrapes the istio-proxy container's Prometheus port, labelled with the mesh", () => {
    const endpoint = objectNamed(manifests, 'PodMonitor', 'shop-mesh-sidecars').spec.podMetricsEndpoints[0];
    expect([endpoint.port, endpoint.path]).toEqual(['http-envoy-prom', '/stats/prometheus']);
    expect(endpoint.relabelings.map((r: any) => r.targetLabel)).toEqual(['mesh_service', 'mesh_version', 'mesh_target', 'mesh']);
    expect(endpoint.relabelings[3].replacement).toBe(MESH);
  });

  test("the rules read Istio's metrics, and Envoy's only where Istio's proxy exports them", () => {
    const exprs = GROUPS.flatMap(g => g.rules.map(r => r.expr)).join('\n');
    expect(exprs).toContain('istio_requests_total{mesh="shop-mesh", reporter="destination"}');
    expect(exprs).toContain('istio_request_duration_milliseconds_bucket{mesh="shop-mesh", reporter="source"}');
    const envoyMetrics = [...new Set(exprs.match(/envoy_[a-z_]+/g))].filter(m => !m.startsWith('envoy_http_downstream_rq')).sort();
    // The record names keep envoy_http_downstream_rq*; only these raw Envoy statistics are read, all of them in Istio's default stats matcher.
    expect(envoyMetrics).toEqual(['envoy_cluster_manager_cds_update_rejected', 'envoy_http_rds_update_rejected',
      'envoy_listener_manager_lds_update_rejected', 'envoy_server_live']);
    expect(exprs).not.toMatch(/envoy_http_conn_manager_prefix|envoy_cluster_name/);
  });

  test('the alerts without an Istio equivalent are left out, the overflow alert reads response flags', () => {
    expect(alertsOf('mesh-alerts/shop-mesh')).toEqual([
      'MeshHighErrorRatio', 'MeshHighLatency', 'MeshNoTraffic', 'MeshSidecarDown', 'MeshSidecarsAbsent', 'MeshConfigRejected',
      'MeshEdgeHighErrorRatio', 'MeshEdgeHighLatency', 'MeshCircuitBreakerOverflow',
    ]);
  });

  test("a latency objective off Istio's histogram buckets is refused, naming the bounds either side", () => {
    expect(synthError(istioShop(MeshEngine.istio(), Duration.millis(300)).chart)).toContain(
      'latency objective threshold 300ms is not a bucket bound of Istio\'s request duration histogram, so the objective could not be evaluated: '
        + 'use one of 250ms or 500ms');
  });

  test("on an engine whose sidecars' metrics are unknown, each MonitoredWorkload is refused", () => {
    // No such engine is offered today (MeshEngine has static Envoy and Istio); the check guards the next one.
    /** A proxy another mesh injects, which captures traffic, as Istio's: only its metrics are unknown. */
    class LinkerdLike extends CapturingProxyEngine implements EngineTranslator {
      public readonly podMetadata = { labels: { 'linkerd.io/inject': 'enabled' }, annotations: {} };
      public readonly metricsEndpoint = undefined;
      public checks = () => [];
      public notes = () => [];
      public addServiceResources() {}
      public addVersionResources() {}
      public addExternalResources() {}
      public addJwtResources() {}
      public requestMetrics = () => undefined;
    }
    const translator = new LinkerdLike();
    const linkerd = { description: 'Linkerd', _translator: translator } as MeshEngine;
    const error = synthError(istioShop(linkerd).chart);
    for (const path of ['test/orders-monitoring', 'test/frontend-monitoring']) {
      expect(error).toContain(`[${path}] the mesh runs on Linkerd, whose sidecars' metrics (names, labels and port) are unknown`);
    }
    expect(error).toContain('use MeshEngine.istio() when Istio runs the mesh, or MeshEngine.staticEnvoy(); or remove the MonitoredWorkload');
  });
});

const dir = new Workdir();
afterAll(() => dir.cleanup());
const batch = new RuleTestBatch(dir, 'istio', GROUPS);
const MINUTES = 30;
const STAGING = { name: ORDERS.name, namespace: 'staging' };

interface Traffic {
  /** 5xx share of order-service's inbound requests (two pods, 2000 a minute each); none when its pods are gone. */
  readonly inbound?: number;
  /** 5xx share of frontend's calls to order-service (one pod, 1200 a minute), and their response flags. */
  readonly calls: number;
  readonly flags?: string;
}

/** Istio's series of the two services, and noise that must not reach them: order-service's own calls out, another mesh's copy of it. */
function input(traffic: Traffic): UnitTest['input_series'] {
  const phase = (perMinute: number, errorRatio: number, errorFlags?: string): IstioPhase[] =>
    [{ minutes: MINUTES, perMinute, errorRatio, errorFlags }];
  const orderPods = ['order-service-v1-1', 'order-service-v1-2'];
  const payment = { name: 'payment', namespace: 'billing' };
  return [
    ...(traffic.inbound === undefined ? [] : orderPods.flatMap(pod =>
      istioSeries(istioProxy(ORDERS, pod), istioRequest('destination', FRONTEND, ORDERS), phase(2000, traffic.inbound!)))),
    ...istioSeries(istioProxy(FRONTEND, 'frontend-v1-1'), istioRequest('source', FRONTEND, ORDERS), phase(1200, traffic.calls, traffic.flags)),
    // Noise: order-service's failing calls to payment (reporter="source"), and a failing order-service of another mesh.
    ...istioSeries(istioProxy(ORDERS, orderPods[0]), istioRequest('source', ORDERS, payment), phase(600, 0.5)),
    ...istioSeries(istioProxy(STAGING, 'order-service-v1-1', 'v1', 'staging-mesh'), istioRequest('destination', FRONTEND, STAGING), phase(600, 0.5)),
  ];
}

const at = `${MINUTES}m`;
const ORDER_LABELS = '{mesh="shop-mesh", namespace="shop", mesh_service="order-service"}';
const EDGE_LABELS = '{mesh="shop-mesh", namespace="shop", caller="frontend", upstream="order-service"}';
/** The value of a recorded series, to 6 digits (0.1 is recorded as 0.09999999999999999). */
const expr = (record: string, labels: string, value: number) => ({ expr: `round(${record}${labels}, 0.000001)`, eval_time: at, exp_samples: [{ labels, value }] });
const silent = (...alerts: string[]) => alerts.map(alertname => ({ eval_time: at, alertname, exp_alerts: [] }));

function alert(name: string, labels: Record<string, string>, summary: string, description: string): ExpectedAlert {
  return { exp_labels: { namespace: 'shop', mesh: MESH, alert_profile: PROFILE_ID, ...labels }, exp_annotations: { summary, description, runbook_url: `${RUNBOOK}/${name}` } };
}

function burn(fast: boolean, rate: number | string): ExpectedAlert {
  return {
    exp_labels: {
      ...SLO_LABELS, slo_runbook_url: `${RUNBOOK}/MeshAvailabilitySLOBurn`, severity: fast ? 'critical' : 'warning', burn: fast ? 'fast' : 'slow',
    },
    exp_annotations: {
      summary: `shop/order-service burns the error budget of its availability SLO ${fast ? 'fast' : 'steadily'}`,
      description: `shop/order-service burns the error budget of its objective "99.9% of requests without 5xx" over 30 days at ${rate} times the `
        + `sustainable rate (${fast ? '1h and 5m windows above 14.4x, or 6h and 30m windows above 6x' : '1d and 2h windows above 3x, or 3d and 6h windows above 1x'}).`,
      runbook_url: `${RUNBOOK}/MeshAvailabilitySLOBurn`,
    },
  };
}

/** 10% of order-service's inbound requests and 20% of frontend's calls to it fail, the latter at frontend's circuit breaker. */
const HIGH: UnitTest = {
  interval: '1m',
  input_series: input({ inbound: 0.1, calls: 0.2, flags: 'UO' }),
  promql_expr_test: [
    expr('mesh_service:envoy_http_downstream_rq:rate5m', ORDER_LABELS, 66.666667),
    expr('mesh_service:envoy_http_downstream_rq_errors:ratio_rate5m', ORDER_LABELS, 0.1),
    expr('mesh_service:envoy_http_downstream_rq_time:p50_rate5m', ORDER_LABELS, 50),
    expr('caller_upstream:envoy_http_downstream_rq:rate5m', EDGE_LABELS, 20),
    expr('caller_upstream:envoy_http_downstream_rq_errors:ratio_rate5m', EDGE_LABELS, 0.2),
  ],
  alert_rule_test: [
    {
      eval_time: at,
      alertname: 'MeshHighErrorRatio',
      exp_alerts: [alert('MeshHighErrorRatio', { mesh_service: 'order-service', mesh: MESH, severity: 'critical' },
        'shop/order-service answers too many requests with 5xx', '10% of the requests to shop/order-service failed with 5xx over 5m (threshold 5%).')],
    },
    {
      eval_time: at,
      alertname: 'MeshEdgeHighErrorRatio',
      exp_alerts: [alert('MeshEdgeHighErrorRatio', { mesh_service: 'frontend', caller: 'frontend', upstream: 'order-service', mesh: MESH, severity: 'warning' },
        'Calls shop/frontend -> order-service fail',
        '20% of the requests shop/frontend -> order-service failed with 5xx over 5m, as the caller saw them (threshold 5%).')],
    },
    {
      eval_time: at,
      alertname: 'MeshCircuitBreakerOverflow',
      exp_alerts: [alert('MeshCircuitBreakerOverflow', { mesh_service: 'frontend', caller: 'frontend', upstream: 'order-service', severity: 'warning' },
        'Circuit breaker rejects requests: shop/frontend -> order-service',
        '4.00 requests/s from shop/frontend to order-service failed at a circuit breaker of its Istio proxy (response flag UO) over 5m.')],
    },
    // frontend's 20% are its own proxy's circuit breaker (UO), which do not count against order-service: its own proxies'
    // 10% set the burn, 100 times the budget of 0.1%.
    { eval_time: at, alertname: 'MeshAvailabilitySLOBurn', exp_alerts: [burn(true, 100), burn(false, 100)] },
    ...silent('MeshLatencySLOBurn', 'MeshHighLatency', 'MeshLatencySLOBucketMissing'),
  ],
};

/** 0.05% of the requests fail, half the budget's rate: nothing fires. */
const LOW: UnitTest = {
  interval: '1m',
  input_series: input({ inbound: 0.0005, calls: 0.0005 }),
  promql_expr_test: [expr('mesh_service:envoy_http_downstream_rq_errors:ratio_rate5m', ORDER_LABELS, 0.0005)],
  alert_rule_test: silent('MeshHighErrorRatio', 'MeshEdgeHighErrorRatio', 'MeshCircuitBreakerOverflow', 'MeshAvailabilitySLOBurn', 'MeshNoTraffic'),
};

/** Every order-service pod gone: only frontend's proxy, answering 503 (no healthy upstream), sees the outage. */
const OUTAGE: UnitTest = {
  interval: '1m',
  input_series: input({ calls: 1, flags: 'UH' }),
  promql_expr_test: [expr('caller_upstream:envoy_http_downstream_rq_errors:ratio_rate5m', EDGE_LABELS, 1)],
  alert_rule_test: [
    // A ratio of 1 over a budget of 1 - 0.999 (0.0010000000000000009 in floating point) is just below 1000, which humanize prints as 1000.
    { eval_time: at, alertname: 'MeshAvailabilitySLOBurn', exp_alerts: [burn(true, 1000), burn(false, 1000)] },
    ...silent('MeshCircuitBreakerOverflow'),
  ],
};

/**
 * frontend's proxy also reports failing calls to destinations that are not
 * its upstream: inventory, a service of the mesh, and a host outside it
 * (passthrough): only its calls to order-service, its upstream, are an edge.
 */
const UNDECLARED: UnitTest = {
  ...HIGH,
  input_series: [
    ...HIGH.input_series,
    ...[{ name: 'inventory', namespace: 'shop' }, { name: 'httpbin.org', namespace: 'unknown' }].flatMap(destination =>
      istioSeries(istioProxy(FRONTEND, 'frontend-v1-1'), istioRequest('source', FRONTEND, destination), [{ minutes: MINUTES, perMinute: 600, errorRatio: 0.5 }])),
  ],
  promql_expr_test: [{
    expr: 'count(caller_upstream:envoy_http_downstream_rq_errors:ratio_rate5m{caller="frontend"} > 0.05)', eval_time: at, exp_samples: [{ labels: '{}', value: 3 }],
  }],
  alert_rule_test: HIGH.alert_rule_test!.filter(test => test.alertname === 'MeshEdgeHighErrorRatio'),
};

describe("Istio's metrics under promtool", () => {
  batch.add('undeclared', UNDECLARED);
  test("an edge alert fires for a caller's upstream only, not for other destinations its proxy reports", () => batch.verify('undeclared'));
  batch.add('high', HIGH);
  batch.add('low', LOW);
  batch.add('outage', OUTAGE);

  test('request rate, 5xx ratio and latency recorded from reporter="destination"; calls from reporter="source"; the alerts fire', () => batch.verify('high'));
  test('at a 5xx rate within the budget no error, burn-rate or overflow alert fires', () => batch.verify('low'));
  test("with every pod of order-service gone, the callers' view burns its error budget", () => batch.verify('outage'));

  test('the expectations are not vacuous: those of the high error rate fail on the low one', async () => {
    const result = await testRules(dir, 'istio-vacuous', GROUPS, [{ ...HIGH, input_series: LOW.input_series }]);
    expect(result.code).not.toBe(0);
    for (const failing of ['MeshHighErrorRatio', 'MeshEdgeHighErrorRatio', 'MeshCircuitBreakerOverflow', 'MeshAvailabilitySLOBurn', 'errors:ratio_rate5m']) {
      expect(result.output).toContain(failing);
    }
  });
});
