/**
 * Which step must land before which (expand, then switch, then contract),
 * and the waves that follow: each step in the earliest wave its
 * predecessors allow.
 */
import { calledHosts } from './envoy-files';
import { accessOf, principalsOf } from './rbac-merge';
import { deploymentsOf, identityOf, isSidecarShard, MeshState, selectedBy, serviceNamed, serviceOf, sidecarConfigMapsOf } from './state';
import { Steps } from './steps';

/** `from` lands before `to` (strict: in an earlier wave; otherwise in the same wave or an earlier one). */
export interface Edge {
  readonly from: string;
  readonly to: string;
  readonly strict: boolean;
}

/** The order the steps of a change need. Pure. */
export function edgesOf(old: MeshState, now: MeshState, steps: Steps): Edge[] {
  const ids = new Set(steps.steps.map(s => s.id));
  const edges: Edge[] = [];
  const edge = (from: string | undefined, to: string | undefined, strict = true) => {
    if (from && to && from !== to && ids.has(from) && ids.has(to)) edges.push({ from, to, strict });
  };
  const servicesWith = (identity: string) => [...new Set([...old.values(), ...now.values()]
    .filter(doc => doc.kind === 'Deployment' && serviceOf(doc) && identityOf(doc) === identity).map(doc => serviceOf(doc)!))];
  for (const [key, union] of steps.unions) {
    const service = serviceOf(now.get(key))!;
    const [was, is] = [principalsOf(accessOf(old.get(key))), principalsOf(accessOf(now.get(key)))];
    const all = principalsOf(union);
    // A new caller's pods start only once the upstream admits them; a dropped caller stops before the upstream drops it.
    for (const identity of all.filter(p => !was.includes(p))) for (const caller of servicesWith(identity)) edge(`admit:${key}`, `switch:${caller}`);
    for (const identity of all.filter(p => !is.includes(p))) {
      for (const caller of servicesWith(identity)) {
        edge(`switch:${caller}`, `drop:${key}`);
        for (const d of deploymentsOf(old, caller)) for (const owner of steps.owners.get(keyOfDeployment(d)) ?? []) edge(owner, `drop:${key}`);
      }
    }
    edge(`admit:${key}`, `switch:${service}`, false);
    edge(`switch:${service}`, `drop:${key}`, false);
    edge(`admit:${key}`, `drop:${key}`, false);
  }
  for (const step of steps.steps.filter(s => s.id.startsWith('switch:'))) {
    const service = step.id.slice('switch:'.length);
    // Routes send to new endpoints once their pods are Ready; they leave old endpoints before those go.
    for (const key of endpointKeys(now, service)) if (!old.has(key)) for (const owner of steps.owners.get(key) ?? []) edge(owner, step.id);
    for (const key of endpointKeys(old, service)) if (!now.has(key)) for (const owner of steps.owners.get(key) ?? []) edge(step.id, owner);
  }
  for (const [key, owners] of steps.owners) {
    for (const id of owners.filter(o => o.startsWith('widen:') || o.startsWith('narrow:'))) {
      const [o, n] = [old.get(key) ?? now.get(key), now.get(key) ?? old.get(key)];
      // Widening comes before the pods it lets through switch (its own, and peers it adds); narrowing after the peers it removes switched.
      if (id.startsWith('widen:')) for (const service of policyServices(n, o)) edge(id, `switch:${service}`);
      else for (const service of policyServices(o, n)) edge(`switch:${service}`, id);
      edge(`widen:${key}`, `narrow:${key}`, false);
    }
  }
  // Objects that go away (Services, identities, policies of removed services) go last.
  for (const removal of steps.steps.filter(s => s.id.startsWith('remove:') && !s.id.includes('/Deployment/'))) {
    for (const other of steps.steps.filter(s => s.id.startsWith('switch:') || (s.id.startsWith('remove:') && s.id.includes('/Deployment/')))) edge(other.id, removal.id, false);
    // The ConfigMap of an Envoy the sidecar no longer runs goes once its pods rolled out: until then, old pods may restart and mount it.
    const removed = old.get(removal.id.slice('remove:'.length));
    if (isSidecarShard(removed)) edge(`switch:${serviceOf(removed)}`, removal.id);
  }
  return edges;
}

/** The wave (0-based) of each step: the longest path to it; or the steps of a cycle when the order cannot be met. */
export function wavesOf(steps: Steps, edges: Edge[]): { wave: Map<string, number> } | { cycle: string[] } {
  const wave = new Map(steps.steps.map(s => [s.id, 0]));
  for (let round = 0; round <= steps.steps.length; round++) {
    const raised = new Set<string>();
    for (const { from, to, strict } of edges) {
      const at = wave.get(from)! + (strict ? 1 : 0);
      if (at > wave.get(to)!) {
        wave.set(to, at);
        raised.add(to);
      }
    }
    if (raised.size === 0) return { wave };
    if (round === steps.steps.length) return { cycle: [...raised].sort() };
  }
  return { wave };
}

/** The Services and Deployments behind the hosts a service's sidecar sends to. */
function endpointKeys(state: MeshState, service: string): string[] {
  return [...new Set(sidecarConfigMapsOf(state, service).flatMap(calledHosts))].flatMap(host => {
    const target = serviceNamed(state, host);
    return target ? [`core/Service/${target.metadata.namespace}/${target.metadata.name}`, ...selectedBy(state, target).map(keyOfDeployment)] : [];
  });
}

function keyOfDeployment(d: any): string {
  return `apps/Deployment/${d.metadata?.namespace ?? ''}/${d.metadata?.name}`;
}

/** The mesh service a NetworkPolicy selects, and the services among the peers of `a` that `b` does not name. */
function policyServices(a: any, b: any): string[] {
  const peers = (policy: any) => {
    const namespace = policy.metadata?.namespace ?? 'default';
    const rules: any[] = [...(policy.spec?.ingress ?? []), ...(policy.spec?.egress ?? [])];
    return new Set<string>(rules.flatMap(rule => [...(rule.from ?? []), ...(rule.to ?? [])])
      .flatMap(peer => {
        const service = peer.podSelector?.matchLabels?.['mesh.cdk8s.io/service'];
        return service ? [`${peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] ?? namespace}/${service}`] : [];
      }));
  };
  const own = a.spec?.podSelector?.matchLabels?.['mesh.cdk8s.io/service'];
  const other = peers(b);
  return [...new Set([...(own ? [`${a.metadata?.namespace ?? 'default'}/${own}`] : []), ...[...peers(a)].filter(s => !other.has(s))])].sort();
}
