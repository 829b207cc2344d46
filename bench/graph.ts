/**
 * The shape of the benchmark meshes, shared by the mesh and the baseline
 * builders: names, ports and who calls whom. Deterministic: the same N always
 * gives the same graph.
 */

/** Namespace of every benchmark object. */
export const NAMESPACE = 'bench';
/** Application port of service i: every service has its own port, so no caller binds its own port twice. */
export const portOf = (i: number) => 10_000 + i;
/** Fixed-width names, so that sidecar sizes compare across mesh sizes. */
export const nameOf = (i: number) => `svc-${String(i).padStart(4, '0')}`;

/** Candidate offsets of the upstreams of service i: (i+1), (i+7), (i+31) mod N, then the fallbacks. */
const OFFSETS = [1, 7, 31, 3, 11, 13, 17, 19, 23, 29];

/**
 * The 3 upstreams of service i in a mesh of n services: the first three
 * offsets that are distinct modulo n and not 0 (a service never calls itself).
 * For n = 100 and 1000 that is (i+1), (i+7), (i+31); for n = 10, where
 * 31 = 1 (mod 10), it is (i+1), (i+7), (i+3).
 */
export function upstreamsOf(i: number, n: number): number[] {
  const chosen: number[] = [];
  for (const offset of OFFSETS) {
    const j = (i + offset) % n;
    if (j !== i && !chosen.includes(j)) chosen.push(j);
    if (chosen.length === 3) return chosen;
  }
  throw new Error(`a mesh of ${n} services is too small for 3 distinct upstreams`);
}
