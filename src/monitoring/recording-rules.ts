import { MESH_LABEL, SERVICE_LABEL } from './metrics';
import { rate, ratio, selector, sumBy } from './promql';
import { EDGE_RECORDS, INBOUND_RECORDS, QUANTILES, RedRecords } from './records';
import { ENVOY_REQUEST_METRICS, Matchers, RequestMetrics } from './request-metrics';
import { PromRule, PromRuleGroup } from './types';

/**
 * The recording rules of a whole mesh, named `level:metric:operations`
 * (https://prometheus.io/docs/practices/rules/): ten rules, however many
 * services and calls the mesh has. They read the series of the mesh's
 * sidecars, which its PodMonitors label `mesh` (`meshLabel`), and aggregate
 * them by the `namespace` and `mesh_service` labels every series carries;
 * every recorded series also carries `mesh`.
 *
 * Inbound, what callers send a service, measured by its own sidecars at
 * their `inbound` and `edge_<port>` listeners (see `INBOUND_PREFIXES`);
 * labels `namespace`, `mesh_service`:
 * - `mesh_service:envoy_http_downstream_rq:rate5m`: requests per second.
 * - `mesh_service:envoy_http_downstream_rq_errors:ratio_rate5m`: 5xx responses / all responses (0..1).
 * - `mesh_service:envoy_http_downstream_rq_time:p50_rate5m` (and `p90`, `p99`): latency quantile, milliseconds.
 *
 * Per edge, what a caller sends one upstream (all its versions), measured by
 * the caller's sidecars at its `outbound_<upstream>` listener, so as the
 * caller experiences it: each request once however often it was retried,
 * including the sidecar's own 503s (circuit breaker, no healthy host) and
 * 504s (timeouts), excluding mirrored copies. Labels `namespace` (the
 * caller's), `caller`, `upstream` (a caller calls one upstream of a name):
 * - `caller_upstream:envoy_http_downstream_rq:rate5m`
 * - `caller_upstream:envoy_http_downstream_rq_errors:ratio_rate5m`
 * - `caller_upstream:envoy_http_downstream_rq_time:p50_rate5m` (and `p90`, `p99`)
 *
 * On Istio's sidecars (`metrics` is `ISTIO_REQUEST_METRICS`) the same records,
 * with the same labels and meaning, are read from Istio's standard metrics:
 * inbound from `istio_requests_total` and `istio_request_duration_milliseconds`
 * with `reporter="destination"` (what the service's own proxies received,
 * from the mesh and from gateways), per edge from those with
 * `reporter="source"` (what the caller's proxies sent, each request once
 * including the proxy's own 503s and 504s), the upstream named by
 * `destination_service_name`; 5xx are `response_code=~"5.."`. The record
 * names keep their `envoy_` part: they are the mesh's contract with alerts,
 * SLOs and dashboards, and Istio's proxy is Envoy too.
 */
export function meshRecordingRules(mesh: string, metrics: RequestMetrics = ENVOY_REQUEST_METRICS): PromRuleGroup {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(mesh)) throw new Error(`mesh label '${mesh}' is invalid: use lower-case letters, digits and '-'`);
  const inbound = { [MESH_LABEL]: mesh, ...metrics.inbound };
  const outbound = { [MESH_LABEL]: mesh, ...metrics.outbound };
  return {
    name: `mesh-recording/${mesh}`,
    // The `mesh` label says which mesh's sidecars a series sums, and keeps two meshes' identical rules apart.
    rules: [
      ...redRules(metrics, INBOUND_RECORDS, inbound, ['namespace', SERVICE_LABEL], expr => expr),
      ...redRules(metrics, EDGE_RECORDS, outbound, ['namespace', SERVICE_LABEL, ...metrics.outboundBy], expr => metrics.asEdge(expr, mesh)),
    ].map(rule => ({ ...rule, labels: { [MESH_LABEL]: mesh } })),
  };
}

function redRules(metrics: RequestMetrics, names: RedRecords, matchers: Matchers, by: string[], shape: (expr: string) => string): PromRule[] {
  const total = shape(sumBy(by, rate(metrics.requests(matchers), '5m')));
  const errors = shape(sumBy(by, rate(metrics.serverErrors(matchers), '5m')));
  const buckets = shape(sumBy([...by, 'le'], rate(selector(metrics.durationBucket, matchers), '5m')));
  return [
    { record: names.rate, expr: total },
    { record: names.errorRatio, expr: ratio(errors, total) },
    ...QUANTILES.map(q => ({ record: names.latency[q], expr: `histogram_quantile(${q / 100}, ${buckets})` })),
  ];
}
