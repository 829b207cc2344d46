import { HCM_PREFIX_LABEL, HTTP_RQ_TIME, HTTP_RQ_TOTAL, HTTP_RQ_XX, INBOUND_PREFIXES, outboundPrefix, RESPONSE_CLASS_LABEL, SERVICE_LABEL } from './metrics';
import { Matcher, rate, ratio, selector, sumBy } from './promql';
import { assertServices, qualifiedName } from './service-ref';
import { PromRule, PromRuleGroup, ServiceRef } from './types';

/**
 * Recording rules, named `level:metric:operations`
 * (https://prometheus.io/docs/practices/rules/):
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
 * caller's), `caller`, `upstream`, `upstream_namespace`:
 * - `caller_upstream:envoy_http_downstream_rq:rate5m`
 * - `caller_upstream:envoy_http_downstream_rq_errors:ratio_rate5m`
 * - `caller_upstream:envoy_http_downstream_rq_time:p50_rate5m` (and `p90`, `p99`)
 *
 * Every expression selects `namespace` and `mesh_service` of `service`, so a
 * service's group only reads its own sidecars' series. The rules also set
 * their output labels statically: they say which series a rule writes, and
 * keep `promtool check rules` from reporting the rules of different
 * services as duplicates.
 */
export function recordingRules(service: ServiceRef, upstreams: ServiceRef[]): PromRuleGroup {
  assertServices(service, upstreams);
  const inbound = { namespace: service.namespace, [SERVICE_LABEL]: service.name, [HCM_PREFIX_LABEL]: { regex: INBOUND_PREFIXES } };
  const rules: PromRule[] = [
    ...redRules(INBOUND_RECORDS, inbound, ['namespace', SERVICE_LABEL], { namespace: service.namespace, [SERVICE_LABEL]: service.name }),
    ...upstreams.flatMap(upstream => redRules(
      EDGE_RECORDS,
      { namespace: service.namespace, [SERVICE_LABEL]: service.name, [HCM_PREFIX_LABEL]: outboundPrefix(upstream.name) },
      ['namespace'],
      { namespace: service.namespace, caller: service.name, upstream: upstream.name, upstream_namespace: upstream.namespace },
    )),
  ];
  return { name: `mesh-recording/${qualifiedName(service)}`, rules };
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

function redRules(names: RedRecords, matchers: Record<string, Matcher>, by: string[], labels: Record<string, string>): PromRule[] {
  const total = sumBy(by, rate(selector(HTTP_RQ_TOTAL, matchers), '5m'));
  const errors = sumBy(by, rate(selector(HTTP_RQ_XX, { ...matchers, [RESPONSE_CLASS_LABEL]: '5' }), '5m'));
  const buckets = sumBy([...by, 'le'], rate(selector(`${HTTP_RQ_TIME}_bucket`, matchers), '5m'));
  const rule = (record: string, expr: string): PromRule => ({ record, expr, labels: { ...labels } });
  return [
    rule(names.rate, total),
    rule(names.errorRatio, ratio(errors, total)),
    ...QUANTILES.map(q => rule(names.latency[q], `histogram_quantile(${q / 100}, ${buckets})`)),
  ];
}
