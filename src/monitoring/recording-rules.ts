import { HCM_PREFIX_LABEL, HTTP_RQ_TIME, HTTP_RQ_TOTAL, HTTP_RQ_XX, INBOUND_PREFIXES, MESH_LABEL, RESPONSE_CLASS_LABEL, SERVICE_LABEL } from './metrics';
import { Matcher, quote, rate, ratio, selector, sumBy } from './promql';
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
 */
export function meshRecordingRules(mesh: string): PromRuleGroup {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(mesh)) throw new Error(`mesh label '${mesh}' is invalid: use lower-case letters, digits and '-'`);
  const inbound = { [MESH_LABEL]: mesh, [HCM_PREFIX_LABEL]: { regex: INBOUND_PREFIXES } };
  const outbound = { [MESH_LABEL]: mesh, [HCM_PREFIX_LABEL]: { regex: 'outbound_.+' } };
  return {
    name: `mesh-recording/${mesh}`,
    // The `mesh` label says which mesh's sidecars a series sums, and keeps two meshes' identical rules apart.
    rules: [
      ...redRules(INBOUND_RECORDS, inbound, ['namespace', SERVICE_LABEL], expr => expr),
      ...redRules(EDGE_RECORDS, outbound, ['namespace', SERVICE_LABEL, HCM_PREFIX_LABEL], asEdge),
    ].map(rule => ({ ...rule, labels: { [MESH_LABEL]: mesh } })),
  };
}

/** An outbound listener's series as an edge: `caller` from `mesh_service`, `upstream` from the listener's stat prefix. */
function asEdge(expr: string): string {
  const upstream = `label_replace(${expr}, "upstream", "$1", ${quote(HCM_PREFIX_LABEL)}, "outbound_(.+)")`;
  return `sum without (${SERVICE_LABEL}, ${HCM_PREFIX_LABEL}) (label_replace(${upstream}, "caller", "$1", ${quote(SERVICE_LABEL)}, "(.+)"))`;
}

/** Latency quantiles recorded, in percent. */
export const QUANTILES = [50, 90, 99] as const;
export type Quantile = typeof QUANTILES[number];

/** Names of the series one set of RED rules records. */
export interface RedRecords {
  readonly rate: string;
  readonly errorRatio: string;
  readonly latency: Readonly<Record<Quantile, string>>;
}

function records(level: string): RedRecords {
  const latency = (q: Quantile) => `${level}:${HTTP_RQ_TIME}:p${q}_rate5m`;
  return {
    rate: `${level}:envoy_http_downstream_rq:rate5m`,
    errorRatio: `${level}:envoy_http_downstream_rq_errors:ratio_rate5m`,
    latency: { 50: latency(50), 90: latency(90), 99: latency(99) },
  };
}

/** Series recorded for a service's inbound traffic. */
export const INBOUND_RECORDS: RedRecords = records('mesh_service');
/** Series recorded for each edge from a caller to an upstream. */
export const EDGE_RECORDS: RedRecords = records('caller_upstream');

function redRules(names: RedRecords, matchers: Record<string, Matcher>, by: string[], shape: (expr: string) => string): PromRule[] {
  const total = shape(sumBy(by, rate(selector(HTTP_RQ_TOTAL, matchers), '5m')));
  const errors = shape(sumBy(by, rate(selector(HTTP_RQ_XX, { ...matchers, [RESPONSE_CLASS_LABEL]: '5' }), '5m')));
  const buckets = shape(sumBy([...by, 'le'], rate(selector(`${HTTP_RQ_TIME}_bucket`, matchers), '5m')));
  return [
    { record: names.rate, expr: total },
    { record: names.errorRatio, expr: ratio(errors, total) },
    ...QUANTILES.map(q => ({ record: names.latency[q], expr: `histogram_quantile(${q / 100}, ${buckets})` })),
  ];
}
