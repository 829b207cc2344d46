/**
 * What Istio and a GAMMA implementation do with the resources the engines
 * emit, for the few fields the library writes: which callers an
 * AuthorizationPolicy lets through, and where a VirtualService or an
 * HTTPRoute sends a request. Each rule follows the resource's reference,
 * cited beside it; a field the model does not know fails the test instead of
 * being ignored.
 */

/** A request as a proxy sees it: lower-case header names. */
export interface Request {
  readonly path: string;
  readonly method: string;
  readonly headers?: Record<string, string>;
  /** The caller's principal as Istio writes it (`cluster.local/ns/<ns>/sa/<sa>`); absent without a certificate. */
  readonly principal?: string;
}

/**
 * Whether an ALLOW AuthorizationPolicy admits the request (istio.io, security
 * reference, AuthorizationPolicy: "A match occurs when at least one source,
 * one operation and all conditions matches the request"; fields of one
 * source or operation are ANDed; no rule matches nothing).
 */
export function istioAllows(policy: any, request: Request): boolean {
  expect(policy.spec.action).toBe('ALLOW');
  return (policy.spec.rules ?? []).some((rule: any) => {
    known(rule, ['from', 'to']);
    return (rule.from ?? [{ source: {} }]).some((f: any) => sourceMatches(f.source, request))
      && (rule.to ?? [{ operation: {} }]).some((t: any) => operationMatches(t.operation, request));
  });
}

function sourceMatches(source: any, request: Request): boolean {
  known(source, ['principals', 'notPrincipals']);
  const p = request.principal;
  return (!source.principals || (p !== undefined && source.principals.some((x: string) => glob(x, p))))
    && (!source.notPrincipals || p === undefined || !source.notPrincipals.some((x: string) => glob(x, p)));
}

function operationMatches(operation: any, request: Request): boolean {
  known(operation, ['paths', 'notPaths', 'methods']);
  return (!operation.paths || operation.paths.some((x: string) => glob(x, request.path)))
    && (!operation.notPaths || !operation.notPaths.some((x: string) => glob(x, request.path)))
    && (!operation.methods || operation.methods.includes(request.method));
}

/** Istio's string match in authorization: exact, a prefix (`abc*`), a suffix (`*abc`) or presence (`*`). */
function glob(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  return value === pattern;
}

/**
 * The destinations (`<subset>` or host) and weights of the first HTTP route
 * of a VirtualService that matches (networking reference, VirtualService:
 * routes are "evaluated in order"; match entries are ORed, the conditions of
 * one entry ANDed), or undefined when none does.
 */
export function istioRoute(vs: any, request: Request): Record<string, number> | undefined {
  const route = vs.spec.http.find((r: any) => !r.match || r.match.some((m: any) => istioMatches(m, request)));
  return route && Object.fromEntries(route.route.map((d: any) => [d.destination.subset ?? d.destination.host, d.weight ?? 100]));
}

function istioMatches(m: any, request: Request): boolean {
  known(m, ['uri', 'method', 'headers']);
  return (!m.uri || stringMatches(m.uri, request.path))
    && (!m.method || stringMatches(m.method, request.method))
    && Object.entries(m.headers ?? {}).every(([name, s]) => stringMatches(s, request.headers?.[name]));
}

function stringMatches(m: any, value: string | undefined): boolean {
  if (value === undefined) return false;
  if ('exact' in m) return value === m.exact;
  if ('prefix' in m) return value.startsWith(m.prefix);
  return new RegExp(`^(?:${m.regex})$`).test(value);
}

/**
 * The backends (Service names) and weights of the HTTPRoute rule that takes
 * the request, or undefined when none matches (gateway.networking.k8s.io/v1,
 * HTTPRouteRule.matches: among matching rules the longest match wins: an
 * exact path, then the longest prefix, then a method, then the most headers,
 * then the most query parameters; then the first rule in list order. A rule
 * without matches matches the prefix `/`).
 */
export function gatewayRoute(route: any, request: Request): Record<string, number> | undefined {
  const candidates = route.spec.rules.flatMap((rule: any) => (rule.matches ?? [{}]).map((m: any) => ({ rule, m })))
    .filter(({ m }: any) => gatewayMatches(m, request));
  const rank = (m: any) => [m.path?.type === 'Exact' ? 1 : 0, m.path?.type === 'PathPrefix' ? m.path.value.length : 1,
    m.method ? 1 : 0, (m.headers ?? []).length, (m.queryParams ?? []).length];
  const better = (a: number[], b: number[]) => {
    const i = a.findIndex((x, k) => x !== b[k]);
    return i >= 0 && a[i] > b[i];
  };
  const best = candidates.reduce((a: any, b: any) => (a === undefined || better(rank(b.m), rank(a.m)) ? b : a), undefined);
  return best && Object.fromEntries(best.rule.backendRefs.map((b: any) => [b.name, b.weight ?? 1]));
}

function gatewayMatches(m: any, request: Request): boolean {
  known(m, ['path', 'method', 'headers']);
  const path = m.path ?? { type: 'PathPrefix', value: '/' };
  const prefix = path.value.endsWith('/') ? path.value : `${path.value}/`;
  const pathOk = path.type === 'Exact' ? request.path === path.value
    : path.type === 'PathPrefix' ? request.path === path.value || request.path.startsWith(prefix)
      : new RegExp(`^(?:${path.value})$`).test(request.path);
  return pathOk && (!m.method || m.method === request.method)
    && (m.headers ?? []).every((h: any) => {
      const value = request.headers?.[h.name.toLowerCase()];
      return value !== undefined && (h.type === 'Exact' ? value === h.value : new RegExp(`^(?:${h.value})$`).test(value));
    });
}

/** Fails on a field the model does not evaluate, so a new condition is never silently ignored. */
function known(object: any, fields: string[]): void {
  expect(Object.keys(object ?? {}).filter(k => !fields.includes(k))).toEqual([]);
}
