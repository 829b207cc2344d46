/**
 * The intent of a mesh in terms every engine shares, for the cross-engine test
 * of test/engines.test.ts: from the static sidecars' intent annotations, or
 * from the Istio and Gateway API resources of another engine.
 */
import { INTENT_ANNOTATION, ServiceIntent } from '../src/review/intent';

export interface Intent {
  /** Callers allowed into each service, by principal path `ns/<ns>/sa/<sa>`, with what each may request (`<methods> <paths>`; `*`: anything). */
  callers: Record<string, Record<string, string[]>>;
  /**
   * Per caller and upstream: each route's match (path, headers as `name=value` or `name` when present, methods; `*`: any request)
   * and weights by `<service>_<version>`, the tries and the timeout of the last route.
   */
  calls: Record<string, { routes: Route[]; attempts: number; timeoutMs?: number }>;
}

interface Route {
  match: string;
  weights: Record<string, number>;
}

/** One ORed entry of a route's match: Istio and Gateway API match one method per entry. */
interface MatchEntry {
  path?: string;
  headers: string[];
  method?: string;
}

/** Entries as the static intent writes a match: their common conditions, then each entry's method. */
function describeEntries(entries: MatchEntry[]): string {
  const common = [...new Set(entries.map(e => [e.path, ...e.headers].filter(Boolean).join(' ')))];
  if (common.length > 1) return `entries with different conditions: ${common.join(' / ')}`;
  return [common[0], ...entries.map(e => e.method)].filter(Boolean).join(' ') || '*';
}

/** What a caller may request, as the static intent writes it. */
function describeOperation(operation: any): string {
  return `${operation.methods?.join('|') ?? '*'} ${operation.paths?.join('|') ?? '*'}`;
}

export function staticIntent(manifests: any[]): Intent {
  const intents: ServiceIntent[] = manifests.filter(o => o.kind === 'ConfigMap' && o.metadata.annotations?.[INTENT_ANNOTATION])
    .map(o => JSON.parse(o.metadata.annotations[INTENT_ANNOTATION]));
  const byPrincipal = (callers: Record<string, string[]>) => Object.fromEntries(Object.entries(callers).map(([q, may]) => {
    const [name, namespace] = q.split('.');
    return [`ns/${namespace}/sa/${name}`, [...may].sort()];
  }));
  const callers = Object.fromEntries(intents.filter(i => i.callers).map(i => [i.service, byPrincipal(i.callers!)]));
  const calls: Intent['calls'] = {};
  for (const i of intents) {
    for (const [upstream, call] of Object.entries(i.calls)) {
      if (!isMeshService(manifests, upstream)) continue; // external services are compared by the external-service tests
      // A prefix `/` matches every path: the other engines write no condition for it.
      const routes = call.routes.map(r => ({ match: r.match.replace(/^\/\*( |$)/, '') || '*', weights: r.weights }));
      calls[`${i.service}->${upstream}`] = { routes, attempts: call.attempts ?? 1, timeoutMs: call.timeoutMs ?? 15_000 };
    }
  }
  return { callers, calls };
}

function isMeshService(manifests: any[], name: string): boolean {
  return manifests.some(o => o.kind === 'ConfigMap' && o.metadata.name === `${name}-envoy`);
}

/**
 * The intent of an engine's output: callers from its AuthorizationPolicies,
 * calls from its VirtualServices, or from its HTTPRoutes for the `calls`
 * declared (`<caller>-><upstream>`: an HTTPRoute applies to every caller).
 */
export function engineIntent(manifests: any[], calls: string[]): Intent {
  const intent = istioIntent(manifests);
  for (const route of manifests.filter(o => o.kind === 'HTTPRoute')) {
    for (const caller of calls.filter(c => c.endsWith(`->${route.metadata.name}`)).map(c => c.split('->')[0])) {
      const rules: any[] = route.spec.rules;
      intent.calls[`${caller}->${route.metadata.name}`] = {
        routes: rules.map(r => ({
          match: describeEntries((r.matches ?? []).map(gatewayEntry)),
          weights: Object.fromEntries(r.backendRefs.map((b: any) => [b.name.replace(/-([^-]+)$/, '_$1'), b.weight])),
        })),
        attempts: 1, // HTTPRoute's standard channel has no retries: retries are refused
        timeoutMs: gatewayMs(rules[rules.length - 1].timeouts.request),
      };
    }
  }
  return intent;
}

function gatewayEntry(m: any): MatchEntry {
  const path = m.path && { Exact: m.path.value, PathPrefix: `${m.path.value}*`, RegularExpression: `~${m.path.value}` }[m.path.type as string];
  const headers = (m.headers ?? []).map((h: any) => (h.type === 'RegularExpression' && h.value === '.*' ? h.name : `${h.name}=${h.value}`));
  return { path, headers, method: m.method };
}

function gatewayMs(duration: string): number {
  const [, s = '0', ms = '0'] = /^(?:(\d+)s)?(?:(\d+)ms)?$/.exec(duration)!;
  return Number(s) * 1000 + Number(ms);
}

function istioIntent(manifests: any[]): Intent {
  const callers = Object.fromEntries(manifests.filter(o => o.kind === 'AuthorizationPolicy' && o.spec.action === 'ALLOW').map(p => {
    const may: Record<string, string[]> = {};
    for (const rule of p.spec.rules ?? []) {
      for (const principal of rule.from.flatMap((f: any) => f.source.principals ?? [])) {
        (may[principal.replace(/^[^/]+\//, '')] ??= []).push(...(rule.to ? rule.to.map((t: any) => describeOperation(t.operation)) : ['*']));
      }
    }
    return [p.metadata.name, Object.fromEntries(Object.entries(may).map(([principal, operations]) => [principal, operations.sort()]))];
  }));
  const calls: Intent['calls'] = {};
  const services = manifests.filter(o => o.kind === 'Deployment').map(d => d.spec.template.metadata.labels['mesh.cdk8s.io/service']);
  for (const vs of manifests.filter(o => o.kind === 'VirtualService' && services.includes(o.metadata.name))) {
    const routes: any[] = vs.spec.http;
    const callerNames = [...new Set(routes.flatMap(r => (r.match ?? []).map((m: any) => m.sourceLabels?.['mesh.cdk8s.io/service']).filter(Boolean)))];
    const sidecars = manifests.filter(o => o.kind === 'Sidecar' && o.spec.egress[0].hosts.some((h: string) => h.endsWith(`/${vs.spec.hosts[0]}`)));
    for (const caller of callerNames.length > 0 ? callerNames : sidecars.map(s => s.metadata.name)) {
      const own = callerNames.length > 0 ? routes.filter(r => r.match?.some((m: any) => m.sourceLabels?.['mesh.cdk8s.io/service'] === caller)) : routes;
      const last = own[own.length - 1];
      calls[`${caller}->${vs.metadata.name}`] = {
        routes: own.map(r => ({
          match: describeEntries((r.match ?? []).map(istioEntry)),
          weights: Object.fromEntries(r.route.map((d: any) => [`${d.destination.host.split('.')[0]}_${d.destination.subset}`, d.weight])),
        })),
        attempts: last.retries.attempts + 1,
        timeoutMs: parseFloat(last.timeout) * 1000,
      };
    }
  }
  return { callers, calls };
}

function istioEntry(m: any): MatchEntry {
  const uri = m.uri && ('exact' in m.uri ? m.uri.exact : 'prefix' in m.uri ? `${m.uri.prefix}*` : `~${m.uri.regex}`);
  const headers = Object.entries(m.headers ?? {}).map(([name, s]: [string, any]) => (s.regex === '.*' ? name : `${name}=${Object.values(s)[0]}`));
  return { path: uri, headers, method: m.method?.exact };
}
