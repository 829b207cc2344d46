import { MESH_LABEL, SERVICE_LABEL } from './metrics';
import { constantSeries, quote, selector } from './promql';
import { assertServices, qualifiedName } from './service-ref';
import { PromRuleGroup, ServiceRef } from './types';
import { versionServiceInfoRule } from './version-service-info';

/**
 * The series of a caller's upstreams, value 1, one per upstream, labelled
 * `mesh`, `namespace` (the caller's), `caller`, `upstream` (the name its
 * sidecar's metrics give it: Envoy's `outbound_<upstream>`, Istio's
 * `destination_service_name`) and `upstream_namespace`. The mesh's rules
 * read them where they need to know a call's upstream: the namespace of an
 * upstream in the callers' view of its SLO (`envoyCallersView`), and which
 * destinations of Istio's proxies are the callers' upstreams (the edge
 * alerts of `meshAlertRules`).
 */
export const EDGE_INFO = 'mesh_edge:upstream:info';

/** Labels of the edge info series; `mesh` and `namespace` as every mesh series. */
export const CALLER_LABEL = 'caller';
export const UPSTREAM_LABEL = 'upstream';
export const UPSTREAM_NAMESPACE_LABEL = 'upstream_namespace';

/** The labels a call and its edge info series share: the join of the mesh's rules on `EDGE_INFO`. */
export const EDGE_KEY = [MESH_LABEL, 'namespace', CALLER_LABEL, UPSTREAM_LABEL] as const;

/** Adds `caller`, the scraped pod's service. */
export function asCaller(expr: string): string {
  return `label_replace(${expr}, ${quote(CALLER_LABEL)}, "$1", ${quote(SERVICE_LABEL)}, "(.+)")`;
}

/** The edge info series of mesh `mesh`. */
export function edgeInfo(mesh: string): string {
  return selector(EDGE_INFO, { [MESH_LABEL]: mesh });
}

/** An upstream of a caller, with its versions. */
export interface UpstreamRef extends ServiceRef {
  /** Its versions, for the Services of its versions. @default - none */
  readonly versions?: readonly string[];
}

/**
 * The edge info of one caller, in one constant recording rule (`EDGE_INFO`),
 * which grows with its number of upstreams, not with the mesh's; undefined
 * when it has none. Upstreams must have distinct names (the metrics name
 * them alone); the rule goes with the caller's own rules. With
 * `versionServiceLabel` (the metrics name the Service of a version, see
 * `RequestMetrics.versionServiceLabel`), a second rule lists the upstreams'
 * version Services (`versionServiceInfoRule`).
 */
export function edgeInfoRules(
  mesh: string, caller: ServiceRef, upstreams: readonly UpstreamRef[], versionServiceLabel?: string,
): PromRuleGroup | undefined {
  assertServices(caller, upstreams);
  if (upstreams.length === 0) return undefined;
  const series = [...upstreams].sort((a, b) => (a.name < b.name ? -1 : 1)).map(upstream =>
    constantSeries('1', { [UPSTREAM_LABEL]: upstream.name, [UPSTREAM_NAMESPACE_LABEL]: upstream.namespace }));
  const versions = versionServiceLabel === undefined ? undefined
    : versionServiceInfoRule(mesh, caller, versionServiceLabel, upstreams.map(u => ({ name: u.name, versions: u.versions ?? [] })));
  return {
    name: `mesh-edges/${qualifiedName(caller)}`,
    rules: [{
      record: EDGE_INFO,
      expr: series.join(' or '),
      labels: { [MESH_LABEL]: mesh, namespace: caller.namespace, [CALLER_LABEL]: caller.name },
    }, ...(versions ? [versions] : [])],
  };
}
