import { MESH_LABEL, SERVICE_LABEL } from './metrics';
import { constantSeries, quote, selector } from './promql';
import { PromRule } from './types';

/**
 * The series of the Services of an upstream's versions (`<service>-<version>`)
 * that a caller's calls may be sent to, value 1, one per version Service,
 * labelled like the caller's own metrics (`mesh`, `namespace` and
 * `mesh_service`: the caller), `upstream` (the service) and, under the label
 * by which the metrics name the Service a call went to (Istio's
 * `destination_service_name`), the version Service. Only where routes send to
 * a Service per version (Gateway API on Istio): the mesh's rules join a
 * call's series on them to count it as a call to its service
 * (`upstreamOfVersionServices`).
 *
 * They go with the caller's own rules rather than the upstream's: only
 * monitored callers' proxies are scraped, each of them has its own rules,
 * and an upstream needs none, so calls to the versions of an unmonitored
 * upstream are mapped too. The mesh's rule names no service, so its size does
 * not grow with the mesh.
 */
export const VERSION_SERVICE_INFO = 'mesh_edge:version_service:info';

/** An upstream of a caller with its versions. */
export interface VersionedUpstream {
  readonly name: string;
  readonly versions: readonly string[];
}

/**
 * The rule of a caller's version Service series (`VERSION_SERVICE_INFO`),
 * `label` naming the version Service; undefined when no upstream has
 * versions. A version Service named like one of the caller's upstreams, or
 * like an earlier version Service, is left out (the first wins): a call's
 * series must match one info series at most.
 */
export function versionServiceInfoRule(mesh: string, caller: { name: string; namespace: string }, label: string,
  upstreams: readonly VersionedUpstream[]): PromRule | undefined {
  const taken = new Set(upstreams.map(u => u.name));
  const series: string[] = [];
  for (const upstream of [...upstreams].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    for (const version of upstream.versions) {
      const name = `${upstream.name}-${version}`;
      if (taken.has(name)) continue;
      taken.add(name);
      series.push(constantSeries('1', { upstream: upstream.name, [label]: name }));
    }
  }
  if (series.length === 0) return undefined;
  return {
    record: VERSION_SERVICE_INFO,
    expr: series.join(' or '),
    labels: { [MESH_LABEL]: mesh, namespace: caller.namespace, [SERVICE_LABEL]: caller.name },
  };
}

/**
 * Adds `upstream` to calls labelled `namespace`, `mesh_service` (the caller)
 * and `label` (the Service a call went to): the service of a version Service
 * its caller's info series (`VERSION_SERVICE_INFO`) list, else the Service's
 * own name. The default side leaves out the calls with info, so that no call
 * counts twice. A call without info keeps the Service's name.
 */
export function upstreamOfVersionServices(mesh: string, label: string, calls: string): string {
  const on = `on (namespace, ${SERVICE_LABEL}, ${label})`;
  const info = selector(VERSION_SERVICE_INFO, { [MESH_LABEL]: mesh });
  const named = `label_replace(${calls}, "upstream", "$1", ${quote(label)}, "(.+)")`;
  return `(${calls} * ${on} group_left (upstream) ${info}) or (${named} unless ${on} ${info})`;
}
