/**
 * What `cdk8s-mesh diff` reads from plain Kubernetes objects, for every
 * engine: who the NetworkPolicies let reach a service's pods and where they
 * let them connect, and the pod template of each Deployment (a change to it
 * restarts the pods).
 */

/** Pod label that names a pod's mesh service. */
const SERVICE_LABEL = 'mesh.cdk8s.io/service';

/** The NetworkPolicies that select one service's pods, merged. */
export interface NetworkIntent {
  /** Each way in, `port 15006 from service user-service in shop`. */
  readonly ingress: string[];
  /** Each way out, when egress is restricted; absent when pods may connect anywhere. */
  readonly egress?: string[];
}

/** One Deployment of a mesh service. */
export interface WorkloadIntent {
  readonly service: string;
  /** Whether the sidecar runs as a native sidecar (an init container with `restartPolicy: Always`). */
  readonly nativeSidecar: boolean;
  /** The pod template, as written (compared to tell whether pods restart). */
  readonly template: unknown;
}

/** The NetworkPolicies of each mesh service (`<namespace>/<service>`), by the pods they select. Pure. */
export function networkIntents(manifests: any[]): Record<string, NetworkIntent> {
  const merged: Record<string, { ingress: Set<string>; egress?: Set<string> }> = {};
  for (const policy of manifests.filter(m => m?.kind === 'NetworkPolicy')) {
    const service = policy.spec?.podSelector?.matchLabels?.[SERVICE_LABEL];
    if (!service) continue;
    const namespace = policy.metadata?.namespace ?? 'default';
    const entry = merged[`${namespace}/${service}`] ??= { ingress: new Set() };
    for (const rule of policy.spec?.ingress ?? []) for (const text of describeRule(rule, rule.from, 'from', namespace)) entry.ingress.add(text);
    if ((policy.spec?.policyTypes ?? []).includes('Egress')) {
      entry.egress ??= new Set();
      for (const rule of policy.spec?.egress ?? []) for (const text of describeRule(rule, rule.to, 'to', namespace)) entry.egress.add(text);
    }
  }
  return Object.fromEntries(Object.entries(merged).map(([key, { ingress, egress }]) =>
    [key, { ingress: [...ingress].sort(), ...(egress && { egress: [...egress].sort() }) }]));
}

/** The Deployments of mesh services, by `<namespace>/<deployment>`. Pure. */
export function workloadIntents(manifests: any[]): Record<string, WorkloadIntent> {
  const workloads: Record<string, WorkloadIntent> = {};
  for (const deployment of manifests.filter(m => m?.kind === 'Deployment')) {
    const template = deployment.spec?.template;
    const service = template?.metadata?.labels?.[SERVICE_LABEL];
    if (!service) continue;
    const nativeSidecar = (template.spec?.initContainers ?? []).some((c: any) => c.restartPolicy === 'Always');
    workloads[`${deployment.metadata?.namespace ?? 'default'}/${deployment.metadata?.name}`] = { service, nativeSidecar, template };
  }
  return workloads;
}

/** The paths (`spec.containers[envoy].image`) where two pod templates differ, at most `limit`. */
export function templateChanges(before: unknown, after: unknown, limit = 4): string[] {
  const found: string[] = [];
  const walk = (a: any, b: any, at: string): void => {
    if (found.length > limit || JSON.stringify(a) === JSON.stringify(b)) return;
    if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
      const named = Array.isArray(a) && [...a, ...b].every(x => typeof x?.name === 'string');
      const keyOf = (x: any, i: number) => (named ? x.name : String(i));
      const entries = (x: any) => new Map<string, any>(Array.isArray(x) ? x.map((v, i) => [keyOf(v, i), v]) : Object.entries(x));
      const [ea, eb] = [entries(a), entries(b)];
      for (const key of new Set([...ea.keys(), ...eb.keys()])) {
        walk(ea.get(key), eb.get(key), Array.isArray(a) ? `${at}[${key}]` : `${at}${at ? '.' : ''}${key}`);
      }
      return;
    }
    found.push(at || '(template)');
  };
  walk(before, after, '');
  return found.length > limit ? [...found.slice(0, limit), '...'] : found;
}

/** A NetworkPolicy rule as one line per peer: `port 8080 from namespace ingress-nginx`. */
function describeRule(rule: any, peers: any[] | undefined, direction: string, namespace: string): string[] {
  const ports = (rule.ports ?? []).map((p: any) => `${p.port ?? 'any'}${p.protocol && p.protocol !== 'TCP' ? `/${p.protocol}` : ''}`);
  const where = ports.length > 0 ? `port ${ports.join(', ')}` : 'every port';
  const sources = peers && peers.length > 0 ? peers.map(peer => describePeer(peer, namespace)) : ['anywhere'];
  return sources.map(source => `${where} ${direction} ${source}`);
}

function describePeer(peer: any, ownNamespace: string): string {
  if (peer.ipBlock) return `addresses ${peer.ipBlock.cidr}${peer.ipBlock.except?.length ? ` except ${peer.ipBlock.except.join(', ')}` : ''}`;
  const namespaceName = peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
  const namespace = !peer.namespaceSelector ? `namespace ${ownNamespace}`
    : namespaceName ? `namespace ${namespaceName}` : `namespaces ${selector(peer.namespaceSelector)}`;
  if (!peer.podSelector) return namespace;
  const service = peer.podSelector.matchLabels?.[SERVICE_LABEL];
  return service && Object.keys(peer.podSelector.matchLabels).length === 1 && !peer.podSelector.matchExpressions
    ? `service ${service} in ${namespace.replace(/^namespace /, '')}` : `pods ${selector(peer.podSelector)} in ${namespace}`;
}

function selector(s: any): string {
  const labels = Object.entries(s.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  const expressions = (s.matchExpressions ?? []).map((e: any) => `${e.key} ${e.operator} ${(e.values ?? []).join('|')}`);
  const all = [...labels, ...expressions];
  return all.length > 0 ? all.join(',') : '(any)';
}
