import { BUCKETS, counter, FAST, HttpPhase, InputSeries, Labels, LatencyProfile, MESH, series } from './series';
import { ServiceRef } from '../../src/monitoring/types';

/**
 * Synthetic series of Istio's sidecars (`istio-proxy`) for promtool unit
 * tests: Istio's standard metrics `istio_requests_total` and
 * `istio_request_duration_milliseconds_bucket`
 * (https://istio.io/latest/docs/reference/config/metrics/), with the target
 * labels the mesh's PodMonitor gives them.
 */

/** The target labels of one pod's Istio proxy, scraped on its `http-envoy-prom` port, in mesh `mesh`. */
export function istioProxy(service: ServiceRef, pod: string, version = 'v1', mesh = MESH): Labels {
  const target = { namespace: service.namespace, pod, container: 'istio-proxy', mesh_service: service.name, mesh_version: version };
  return { ...target, mesh_target: 'sidecar', job: `${service.namespace}/${mesh}-sidecars`, endpoint: 'http-envoy-prom', mesh };
}

/** Istio's labels of the requests from `source` to `destination` as the proxy on the `reporter` side counts them. */
export function istioRequest(reporter: 'destination' | 'source', source: ServiceRef, destination: ServiceRef, destinationServiceName?: string): Labels {
  return {
    reporter,
    source_workload: `${source.name}-v1`,
    source_workload_namespace: source.namespace,
    source_canonical_service: source.name,
    destination_workload: `${destination.name}-v1`,
    destination_workload_namespace: destination.namespace,
    destination_canonical_service: destination.name,
    destination_service: `${destinationServiceName ?? destination.name}.${destination.namespace}.svc.cluster.local`,
    destination_service_name: destinationServiceName ?? destination.name,
    destination_service_namespace: destination.namespace,
    request_protocol: 'http',
  };
}

export interface IstioPhase extends HttpPhase {
  /** Status of the failed requests. @default '503' */
  readonly errorCode?: string;
  /** `response_flags` of the failed requests. @default '-' */
  readonly errorFlags?: string;
}

/** The series of the requests one proxy counted, phase after phase: successes (200) and failures, each with its duration histogram. */
export function istioSeries(target: Labels, request: Labels, phases: IstioPhase[]): InputSeries[] {
  const failed = phases[0].errorCode ?? '503';
  const outcomes = [
    { labels: { response_code: '200', response_flags: '-' }, share: (p: IstioPhase) => 1 - (p.errorRatio ?? 0) },
    { labels: { response_code: failed, response_flags: phases[0].errorFlags ?? '-' }, share: (p: IstioPhase) => p.errorRatio ?? 0 },
  ];
  return outcomes.flatMap(({ labels, share }) => {
    const all = { ...target, ...request, ...labels };
    const perPhase = (f: (p: IstioPhase) => number) => counter(phases.map(p => [f(p), p.minutes]));
    return [
      series('istio_requests_total', all, perPhase(p => p.perMinute * share(p))),
      ...BUCKETS.map(le => series('istio_request_duration_milliseconds_bucket', { ...all, le: String(le) },
        perPhase(p => p.perMinute * share(p) * within(p.latency ?? FAST, le)))),
      series('istio_request_duration_milliseconds_bucket', { ...all, le: '+Inf' }, perPhase(p => p.perMinute * share(p))),
    ];
  });
}

function within(profile: LatencyProfile, bound: number): number {
  return Math.max(0, ...Object.entries(profile).filter(([le]) => Number(le) <= bound).map(([, share]) => share));
}

/** The labels of order-service's availability burn alert, besides severity, burn and runbook. */
export const SLO_LABELS = {
  mesh: 'shop-mesh',
  namespace: 'shop',
  mesh_service: 'order-service',
  slo: 'availability',
  slo_target: '99.9',
  sloth_id: 'shop-order-service-availability',
  sloth_service: 'order-service',
  sloth_slo: 'availability',
  sloth_objective: '99.9',
};

