import { CallIntent, ServiceIntent } from './intent';

/**
 * The intent of each mesh service of an Istio or Gateway API output, read
 * back from the engine's own resources (AuthorizationPolicy,
 * PeerAuthentication, RequestAuthentication, VirtualService,
 * DestinationRule, ServiceEntry, Sidecar, HTTPRoute), in the terms a static
 * sidecar's intent uses. Pure.
 */
export function engineIntents(manifests: any[]): Record<string, ServiceIntent> {
  const find = (kind: string, namespace: string, name: string) =>
    manifests.find(m => m?.kind === kind && m.metadata?.name === name && (m.metadata?.namespace ?? 'default') === namespace);
  const services = new Map<string, { service: string; namespace: string }>();
  for (const d of manifests.filter(m => m?.kind === 'Deployment')) {
    const service = d.spec?.template?.metadata?.labels?.['mesh.cdk8s.io/service'];
    const namespace = d.metadata?.namespace ?? 'default';
    if (service) services.set(`${namespace}/${service}`, { service, namespace });
  }
  const fqdnToService = new Map([...services.values()].map(s => [`${s.service}.${s.namespace}.svc.cluster.local`, s.service]));
  const intents: Record<string, ServiceIntent> = {};
  for (const [key, { service, namespace }] of services) {
    const get = (kind: string, name = service) => find(kind, namespace, name);
    const peer = get('PeerAuthentication')?.spec?.mtls?.mode;
    const allow = get('AuthorizationPolicy');
    const rules: any[] = allow?.spec?.rules ?? [];
    const callers: Record<string, string[]> = {};
    for (const rule of rules.filter(r => r.from?.[0]?.source?.principals)) {
      const [, namespaceOf, , account] = rule.from[0].source.principals[0].split('/').slice(-4);
      (callers[`${account}.${namespaceOf}`] ??= []).push(operation(rule.to?.[0]?.operation));
    }
    const edgePorts = (get('Service')?.spec?.ports ?? []).filter((p: any) => /-edge-\d+$/.test(p.name ?? '')).map((p: any) => `port ${p.port}`);
    const edgePeers = rules.filter(r => !r.from?.[0]?.source?.principals && !r.from?.[0]?.source?.notPrincipals?.includes('*'))
      .map(r => r.from?.[0]?.source?.namespaces ? `from namespace ${r.from[0].source.namespaces.join(', ')}`
        : r.from?.[0]?.source?.ipBlocks ? `from addresses ${r.from[0].source.ipBlocks.join(', ')}` : 'from anywhere');
    const edges = [...edgePorts, ...edgePeers].sort();
    const jwt = jwtOf(get('AuthorizationPolicy', `${service}-jwt`));
    const route = get('VirtualService') ?? get('HTTPRoute');
    const routedFrom = route?.kind === 'VirtualService' ? virtualServiceRoutes(route, service) : route ? httpRouteRoutes(route, service) : undefined;
    const calls = Object.fromEntries((get('Sidecar')?.spec?.egress?.[0]?.hosts ?? []).flatMap((scoped: string) => {
      const host = scoped.split('/').pop()!;
      const entry = manifests.find(m => m?.kind === 'ServiceEntry' && (m.spec?.hosts ?? []).includes(host));
      const rule = manifests.find(m => m?.kind === 'DestinationRule' && m.spec?.host === host);
      if (fqdnToService.has(host)) return [[fqdnToService.get(host)!, { routes: [] } as CallIntent]];
      if (!entry && !rule) return [];
      const tls = rule?.spec?.trafficPolicy?.tls?.mode === 'SIMPLE' ? 'TLS' : 'plaintext';
      const targets = entry ? (entry.spec.endpoints ?? []).flatMap((e: any) => (entry.spec.ports ?? []).map((p: any) => `${e.address}:${p.targetPort ?? p.number}`)) : [host];
      return [[host.split('.')[0], { routes: [], external: targets.map((t: string) => `${t} ${tls}`).sort() } as CallIntent]];
    }));
    intents[key] = {
      service,
      namespace,
      mtls: peer === undefined ? 'NONE' : peer === 'DISABLE' ? 'DISABLED' : peer,
      ...(allow && { authorization: allow.metadata?.annotations?.['istio.io/dry-run'] === 'true' ? 'DRY_RUN' : 'ENFORCE', callers }),
      ...(edges.length > 0 && { edges }),
      ...(jwt && { jwt }),
      calls,
      ...(routedFrom && { routedFrom }),
    };
  }
  return intents;
}

function operation(op: any): string {
  if (!op) return '*';
  return `${op.methods?.join('|') ?? '*'} ${op.paths?.join('|') ?? '*'}`;
}

/** Paths that need a token and the issuers accepted there, from the DENY policy the Istio engine writes. */
function jwtOf(deny: any): Record<string, string[]> | undefined {
  if (!deny) return undefined;
  return Object.fromEntries((deny.spec?.rules ?? []).map((r: any) => [
    r.to?.[0]?.operation?.paths?.[0] ?? '*',
    (r.from?.[0]?.source?.notRequestPrincipals ?? []).map((p: string) => p.replace(/\/\*$/, '')).sort(),
  ]));
}

/** A VirtualService's routes by caller (its `sourceLabels`; `*` for every caller). */
function virtualServiceRoutes(vs: any, service: string): Record<string, CallIntent> {
  const byCaller: Record<string, Array<{ match: string; weights: Record<string, number>; entry: any }>> = {};
  for (const entry of vs.spec?.http ?? []) {
    const caller = entry.match?.[0]?.sourceLabels?.['mesh.cdk8s.io/service'] ?? '*';
    const matches = (entry.match ?? []).map(istioMatch).filter((m: string) => m !== '*');
    const weights = Object.fromEntries((entry.route ?? []).map((r: any) => [r.destination.subset ? `${service}_${r.destination.subset}` : r.destination.host, r.weight ?? 100]));
    (byCaller[caller] ??= []).push({ match: matches.length > 0 ? matches.join(' | ') : '*', weights, entry });
  }
  return Object.fromEntries(Object.entries(byCaller).map(([caller, routes]) => {
    const last = routes[routes.length - 1].entry;
    const attempts = last.retries?.attempts;
    return [caller, {
      routes: routes.map(({ match, weights }) => ({ match, weights })),
      ...(attempts > 0 && { attempts: attempts + 1 }),
      ...(last.retries?.perTryTimeout && { perTryTimeoutMs: millis(last.retries.perTryTimeout) }),
      ...(last.timeout && { timeoutMs: millis(last.timeout) }),
    }];
  }));
}

function istioMatch(m: any): string {
  const uri = m.uri ? (m.uri.prefix !== undefined ? `${m.uri.prefix}*` : m.uri.exact ?? `~${m.uri.regex}`) : undefined;
  const headers = Object.entries(m.headers ?? {}).map(([name, v]: [string, any]) => (v.regex === '.*' ? name : v.exact !== undefined ? `${name}=${v.exact}` : `${name}=~${v.regex}`));
  const parts = [...(uri ? [uri] : []), ...headers, ...(m.method?.exact ? [m.method.exact] : [])];
  return parts.length > 0 ? parts.join(' ') : '*';
}

/** An HTTPRoute's routes (GAMMA routes apply to every caller). */
function httpRouteRoutes(route: any, service: string): Record<string, CallIntent> {
  const rules: any[] = route.spec?.rules ?? [];
  const last = rules[rules.length - 1];
  return {
    '*': {
      routes: rules.map(rule => {
        const matches = (rule.matches ?? []).map(gatewayMatch).filter((m: string) => m !== '*');
        return {
          match: matches.length > 0 ? matches.join(' | ') : '*',
          weights: Object.fromEntries((rule.backendRefs ?? []).map((b: any) => [b.name.startsWith(`${service}-`) ? `${service}_${b.name.slice(service.length + 1)}` : b.name, b.weight ?? 1])),
        };
      }),
      ...(last?.timeouts?.request && { timeoutMs: millis(last.timeouts.request) }),
      ...(last?.retry?.attempts !== undefined && { attempts: last.retry.attempts + 1 }),
    },
  };
}

function gatewayMatch(m: any): string {
  const path = m.path ? ({ PathPrefix: `${m.path.value}*`, Exact: m.path.value, RegularExpression: `~${m.path.value}` } as Record<string, string>)[m.path.type] : undefined;
  const headers = (m.headers ?? []).map((h: any) => (h.type === 'RegularExpression' ? (h.value === '.*' ? h.name : `${h.name}=~${h.value}`) : `${h.name}=${h.value}`));
  const query = (m.queryParams ?? []).map((q: any) => `?${q.name}=${q.value}`);
  const parts = [...(path && path !== '/*' ? [path] : []), ...headers, ...query, ...(m.method ? [m.method] : [])];
  return parts.length > 0 ? parts.join(' ') : '*';
}

/** Milliseconds of a duration as Istio or Gateway API write it (`1.5s`, `250ms`, `1h2m`). */
export function millis(duration: string): number {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  let total = 0;
  for (const [, value, unit] of duration.matchAll(/([\d.]+)(ms|h|m|s)/g)) total += parseFloat(value) * units[unit];
  return Math.round(total);
}
