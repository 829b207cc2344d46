/** The labels and names of a mesh's pods and Services: part of its contract with callers, so never derived from hashes. */

/** Label selecting every pod of a mesh service. */
export const SERVICE_LABEL = 'mesh.cdk8s.io/service';
/** Label selecting the pods of one version of a mesh service. */
export const VERSION_LABEL = 'mesh.cdk8s.io/version';
/** Label selecting the pods of one instance pool of a version. */
export const POOL_LABEL = 'mesh.cdk8s.io/pool';
/** Name of the pool every version starts with. */
export const MAIN_POOL = 'main';

/** `<service>-<version>`, or `<service>-<version>-<pool>` for an extra instance pool. */
export function workloadName(placement: { readonly service: string; readonly version: string; readonly pool: string }): string {
  const base = `${placement.service}-${placement.version}`;
  return placement.pool === MAIN_POOL ? base : `${base}-${placement.pool}`;
}
