import { asCaller, EDGE_KEY, edgeInfo, UPSTREAM_LABEL, UPSTREAM_NAMESPACE_LABEL } from './edge-info';
import {
  CLUSTER_NAME_LABEL, FAULT_ABORTS_INJECTED, HCM_PREFIX_LABEL, HTTP_RQ_TOTAL, HTTP_RQ_XX, MESH_LABEL,
  overflowRate, RESPONSE_CLASS_LABEL, SERVICE_LABEL,
} from './metrics';
import { quote, rate, selector, sumBy } from './promql';

/** Requests and failed requests over a window, each by `mesh`, `namespace` and `mesh_service`. */
export interface ErrorsAndRequests {
  readonly errors: string;
  readonly requests: string;
}

const BY_CALL = [MESH_LABEL, 'namespace', SERVICE_LABEL, UPSTREAM_LABEL];

/**
 * What the callers' sidecars saw of each upstream over `window`, by the
 * upstream's `namespace` and `mesh_service`, without the replies a caller's
 * own sidecar made in the upstream's stead:
 * - requests: `http.outbound_<upstream>.downstream_rq_total` of the caller's
 *   HTTP connection manager, each request once whatever its retries;
 * - errors: its `downstream_rq_5xx`;
 * - both minus the caller's own replies: circuit-breaker overflow,
 *   `cluster.<upstream>_<version>.upstream_rq_pending_overflow` (and, since
 *   Envoy 1.38, `upstream_rq_active_overflow` for the request limit), and injected
 *   fault aborts, `http.outbound_<upstream>.fault.aborts_injected`.
 *
 * Why, in Envoy's source:
 * - source/common/conn_pool/conn_pool_base.cc: a pool at its pending-request
 *   or request limit increments `upstream_rq_pending_overflow` and fails the
 *   stream with `PoolFailureReason::Overflow`; source/common/router/router.cc
 *   `Filter::onUpstreamReset` then calls `chargeUpstreamAbort` (which charges
 *   the cluster's `upstream_rq_5xx`/`503`, `chargeUpstreamCode`) and answers
 *   503 with the response flag `UO`, which the connection manager counts in
 *   `downstream_rq_5xx` (source/common/http/conn_manager_impl.cc, `chargeStats`).
 *   source/common/router/retry_state_impl.cc `shouldRetryReset` never retries
 *   an overflow ("we never retry if the reset reason is overflow"), so each
 *   overflow is one request the caller's sidecar answered itself.
 * - source/extensions/filters/http/fault/fault_filter.cc: an abort is
 *   `sendLocalReply` from the fault filter, before the router, counted in the
 *   connection manager's `downstream_rq_<class>` and in
 *   `<stat prefix>fault.aborts_injected` (the filter's stats prefix is the
 *   connection manager's, `http.outbound_<upstream>.`); it never reaches the
 *   cluster.
 * Aborts are subtracted from the 5xx: a fault abort with a status below 500
 * would hide as many real 5xx of that edge (errors are floored at 0).
 * Envoy's metrics name the upstream but not its namespace: each caller's
 * own rules tell it (`edgeInfoRules`, see `inUpstreamNamespace`).
 */
export function envoyCallersView(mesh: string, window: string): ErrorsAndRequests {
  const outbound = { [MESH_LABEL]: mesh, [HCM_PREFIX_LABEL]: { regex: 'outbound_.+' } };
  const edge = (series: string) => sumBy(BY_CALL,
    `label_replace(${rate(series, window)}, "upstream", "$1", ${quote(HCM_PREFIX_LABEL)}, "outbound_(.+)")`);
  const requests = edge(selector(HTTP_RQ_TOTAL, outbound));
  const errors = edge(selector(HTTP_RQ_XX, { ...outbound, [RESPONSE_CLASS_LABEL]: '5' }));
  const aborts = edge(selector(FAULT_ABORTS_INJECTED, outbound));
  const overflow = overflowRate({ [MESH_LABEL]: mesh }, window,
    expr => sumBy(BY_CALL, `label_replace(${expr}, "upstream", "$1", ${quote(CLUSTER_NAME_LABEL)}, "(.+)_[^_]+")`));
  const local = `((${aborts} or 0 * ${requests}) + (${overflow} or 0 * ${requests}))`;
  const toUpstream = (expr: string) => asUpstreamService(
    sumBy([MESH_LABEL, UPSTREAM_NAMESPACE_LABEL, UPSTREAM_LABEL], inUpstreamNamespace(mesh, asCaller(expr))), UPSTREAM_NAMESPACE_LABEL);
  return {
    errors: toUpstream(`clamp_min((${errors} or 0 * ${requests}) - ${local}, 0)`),
    requests: toUpstream(`clamp_min(${requests} - ${local}, 0)`),
  };
}

/**
 * Calls summed by `upstream` and the upstream's namespace (`namespaceLabel`),
 * relabelled as the upstream's own series: `namespace` and `mesh_service`.
 */
export function asUpstreamService(calls: string, namespaceLabel: string): string {
  return `sum without (${namespaceLabel}, ${UPSTREAM_LABEL}) (label_replace(label_replace(${calls}, "namespace", "$1", `
    + `${quote(namespaceLabel)}, "(.*)"), ${quote(SERVICE_LABEL)}, "$1", ${quote(UPSTREAM_LABEL)}, "(.*)"))`;
}

/**
 * Adds `upstream_namespace` to calls labelled `caller` and `upstream`: the
 * upstream's namespace from the caller's edge info series (`EDGE_INFO`), or
 * for a call without one the caller's namespace. Only monitored callers'
 * sidecars are scraped, and a monitored caller's own rules hold its edge
 * info, so the default is for what no caller declared (a host outside the
 * mesh). The default side leaves out the calls with edge info, so that
 * a call is never counted in two namespaces.
 */
function inUpstreamNamespace(mesh: string, calls: string): string {
  const on = `on (${EDGE_KEY.join(', ')})`;
  const declared = `${calls} * ${on} group_left (${UPSTREAM_NAMESPACE_LABEL}) ${edgeInfo(mesh)}`;
  const undeclared = `label_replace(${calls}, ${quote(UPSTREAM_NAMESPACE_LABEL)}, "$1", "namespace", "(.*)") unless ${on} ${edgeInfo(mesh)}`;
  return `(${declared}) or (${undeclared})`;
}
