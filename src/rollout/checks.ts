/**
 * What a wave must satisfy, judged from manifests: for every sidecar,
 * its Envoy files parse and every route's cluster is in its CDS; every RBAC
 * principal names a caller whose pods run around that wave; and while the
 * previous wave's objects and this wave's land in any mix, every caller's pods
 * (old or new configuration) are admitted by every upstream version they call,
 * and every endpoint they send to has pods in both waves.
 */
import { calledHosts, clusterNames, clusterRefs, unreadableFiles } from './envoy-files';
import { accessOf, admits, principalsOf } from './rbac-merge';
import { deploymentsOf, identityOf, intentOf, isSidecarShard, MeshState, selectedBy, serviceNamed, serviceOf, sidecarConfigMapsOf, sidecarOf } from './state';

/** The problems of each transition of a sequence of states (the first is the running state, OLD), by the wave (1-based) they enter. */
export function checkStates(states: MeshState[]): string[] {
  const identities = (state: MeshState) => new Set([...state.values()].filter(d => d.kind === 'Deployment').map(identityOf));
  const [first, last] = [identities(states[0]), identities(states[states.length - 1])];
  const problems: string[] = [];
  for (let w = 1; w < states.length; w++) {
    const [prev, cur, next] = [states[w - 1], states[w], states[w + 1] ?? states[w]];
    const around = new Set([...identities(prev), ...identities(cur), ...identities(next)]);
    const add = (text: string) => problems.push(`wave ${w}: ${text}`);
    for (const doc of [...cur.values()].filter(d => intentOf(d) || isSidecarShard(d))) {
      const service = serviceOf(doc)!;
      const unreadable = unreadableFiles(doc);
      unreadable.forEach(u => add(`${service}: Envoy file ${u} does not parse`));
      if (unreadable.length > 0) continue;
      const clusters = clusterNames(doc);
      for (const ref of clusterRefs(doc)) if (!clusters.has(ref.cluster)) add(`${service}: ${ref.file} sends to cluster ${ref.cluster}, which its CDS lacks`);
      for (const identity of principalsOf(accessOf(doc))) {
        // Principals that name no workload in OLD nor NEW are outside the change (pods the mesh does not deploy).
        if (!around.has(identity) && (first.has(identity) || last.has(identity))) add(`${service} admits ${identity}, which runs no pods in this wave or the ones around it`);
      }
    }
    for (const problem of mixProblems(prev, cur)) add(problem);
  }
  return [...new Set(problems)];
}

/** While `prev` and `cur` land in any mix: callers admitted by each version of their upstreams, and endpoints with pods in both. */
function mixProblems(prev: MeshState, cur: MeshState): string[] {
  const problems: string[] = [];
  const services = [...new Set([...prev.values(), ...cur.values()].filter(d => intentOf(d)).map(d => serviceOf(d)!))];
  for (const service of services) {
    for (const [label, state] of [['old', prev], ['new', cur]] as const) {
      const sidecar = sidecarConfigMapsOf(state, service);
      const pods = deploymentsOf(state, service);
      if (sidecar.length === 0 || pods.length === 0 || sidecar.some(doc => unreadableFiles(doc).length > 0)) continue;
      for (const host of [...new Set(sidecar.flatMap(calledHosts))].filter(h => h.endsWith('.svc.cluster.local'))) {
        const [before, after] = [serviceNamed(prev, host), serviceNamed(cur, host)];
        const target = after ?? before;
        if (!target) continue;
        if (!before || !after || selectedBy(prev, before).length === 0 || selectedBy(cur, after).length === 0) {
          problems.push(`${service} (${label} configuration) sends to ${host}, which lacks Ready pods ${!before || selectedBy(prev, before).length === 0 ? 'before' : 'after'} this wave`);
        }
        const label2 = target.spec?.selector?.['mesh.cdk8s.io/service'];
        if (!label2) continue;
        const upstream = `${target.metadata?.namespace ?? 'default'}/${label2}`;
        for (const [side, version] of [['old', sidecarOf(prev, upstream)], ['new', sidecarOf(cur, upstream)]] as const) {
          if (!version || unreadableFiles(version).length > 0) continue;
          for (const identity of new Set(pods.map(identityOf))) {
            if (!admits(accessOf(version), identity)) problems.push(`${service} pods (${label} configuration) call ${upstream}, whose ${side} authorization denies ${identity}`);
          }
        }
      }
    }
  }
  return problems;
}
