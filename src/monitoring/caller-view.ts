import {
  CLUSTER_NAME_LABEL, FAULT_ABORTS_INJECTED, HCM_PREFIX_LABEL, HTTP_RQ_TOTAL, HTTP_RQ_XX, MESH_LABEL,
  overflowRate, RESPONSE_CLASS_LABEL, SERVICE_LABEL,
} from './metrics';
import { quote, rate, regexEscape, selector, sumBy } from './promql';

/** A caller's calls to an upstream in another namespace than its own, which Envoy's metrics cannot tell (they name the upstream only). */
export interface CrossNamespaceCall {
  readonly callerNamespace: string;
  readonly upstream: string;
  readonly upstreamNamespace: string;
}

/** Requests and failed requests over a window, each by `mesh`, `namespace` and `mesh_service`. */
export interface ErrorsAndRequests {
  readonly errors: string;
  readonly requests: string;
}

const BY_UPSTREAM = [MESH_LABEL, 'namespace', 'upstream'];

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
 * Calls to upstreams in another namespace are mapped with `crossNamespace`.
 */
export function envoyCallersView(mesh: string, window: string, crossNamespace: readonly CrossNamespaceCall[]): ErrorsAndRequests {
  const outbound = { [MESH_LABEL]: mesh, [HCM_PREFIX_LABEL]: { regex: 'outbound_.+' } };
  const edge = (series: string) => sumBy(BY_UPSTREAM,
    `label_replace(${rate(series, window)}, "upstream", "$1", ${quote(HCM_PREFIX_LABEL)}, "outbound_(.+)")`);
  const requests = edge(selector(HTTP_RQ_TOTAL, outbound));
  const errors = edge(selector(HTTP_RQ_XX, { ...outbound, [RESPONSE_CLASS_LABEL]: '5' }));
  const aborts = edge(selector(FAULT_ABORTS_INJECTED, outbound));
  const overflow = overflowRate({ [MESH_LABEL]: mesh }, window,
    expr => sumBy(BY_UPSTREAM, `label_replace(${expr}, "upstream", "$1", ${quote(CLUSTER_NAME_LABEL)}, "(.+)_[^_]+")`));
  const local = `((${aborts} or 0 * ${requests}) + (${overflow} or 0 * ${requests}))`;
  const toUpstream = (expr: string) => {
    const mapped = crossNamespaceMapping(`label_replace(${expr}, "upstream_namespace", "$1", "namespace", "(.*)")`, crossNamespace);
    const summed = sumBy([MESH_LABEL, 'upstream_namespace', 'upstream'], mapped);
    return `sum without (upstream_namespace, upstream) (label_replace(label_replace(${summed}, "namespace", "$1", "upstream_namespace", "(.*)"), `
      + `${quote(SERVICE_LABEL)}, "$1", "upstream", "(.*)"))`;
  };
  return {
    errors: toUpstream(`clamp_min((${errors} or 0 * ${requests}) - ${local}, 0)`),
    requests: toUpstream(`clamp_min(${requests} - ${local}, 0)`),
  };
}

/** Sets `upstream_namespace` of the calls in `crossNamespace`, one `label_replace` per upstream namespace. */
function crossNamespaceMapping(expr: string, crossNamespace: readonly CrossNamespaceCall[]): string {
  if (crossNamespace.length === 0) return expr;
  const byNamespace = new Map<string, Set<string>>();
  for (const call of crossNamespace) {
    byNamespace.set(call.upstreamNamespace, (byNamespace.get(call.upstreamNamespace) ?? new Set()).add(`${call.callerNamespace}/${call.upstream}`));
  }
  let mapped = `label_join(${expr}, "edge", "/", "namespace", "upstream")`;
  for (const [namespace, edges] of [...byNamespace].sort(([a], [b]) => (a < b ? -1 : 1))) {
    mapped = `label_replace(${mapped}, "upstream_namespace", ${quote(namespace)}, "edge", ${quote([...edges].sort().map(regexEscape).join('|'))})`;
  }
  return mapped;
}
