import type { FailoverOptions } from '../../failover/failover-options';
import type { MeshModel, ServiceModel } from '../../model/mesh-model';
import { routesFor } from '../../model/mesh-model';
import { Problem, problemsAt } from '../../model/problem';
import { isHttp } from '../../protocol';
import { isAnySource } from '../../security/edge-peer';
import { MtlsMode } from '../../security/mtls';
import { HttpRouteMatch, isCatchAll } from '../../traffic/route-match';

/**
 * What Gateway API routes (GAMMA, standard channel) cannot express with the
 * meaning a declaration has on static Envoy sidecars. With Istio policies,
 * Istio's own checks cover the rest; with routes only, so do these.
 */
export function gatewayApiChecks(model: MeshModel, withIstioPolicies: boolean, percentageMirrors: boolean): Problem[] {
  const on = `on ${model.mesh.engine.description}`;
  return [
    ...model.services.flatMap(service => routingProblems(service, on)),
    ...(percentageMirrors ? [] : model.services.flatMap(service => service.routes.filter(r => r.mirror && (r.mirrorPercent ?? 100) < 100)
      .flatMap(r => problemsAt(r.path, [`mirrorPercent ${r.mirrorPercent} ${on}: a partial mirror needs Gateway API v1.3+ CRDs and the Extended feature `
        + 'HTTPRouteRequestPercentageMirror (older CRDs refuse the field, or lenient appliers drop it and mirror every request); '
        + 'declare both with gatewayApi({ percentageMirrors: true }), or mirror 100%'])))),
    ...(withIstioPolicies ? [] : routesOnlyProblems(model, on)),
  ];
}

/** What HTTPRoutes cannot say, whichever mesh applies them. */
function routingProblems(service: ServiceModel, on: string): Problem[] {
  const path = service.service.node.path;
  const routes = routesFor(service, undefined);
  return [
    ...(!isHttp(service.service.protocol) && service.versions.length > 1
      ? problemsAt(path, [`TCP service with versions ${service.versions.join(', ')} ${on}: the standard channel has no TCP routes, so its Service would spread `
        + 'connections over every version; remove the versions or use another engine'])
      : []),
    ...service.routes.filter(r => r.caller).flatMap(r => problemsAt(r.path, [`a route for caller ${r.caller!.name} only ${on}: HTTPRoutes apply to every caller; remove caller`])),
    ...service.routes.flatMap(r => problemsAt(r.path, [...pathProblems(r.match ?? {}, on), ...matchProblems(r.match ?? {}, on)])),
    ...(ruleCount(routes) > MAX_RULES ? problemsAt(path, [`${ruleCount(routes)} rules (the routes, and the main version for what no route matches) ${on}: `
      + `an HTTPRoute holds at most ${MAX_RULES}; merge routes`]) : []),
    ...(matchCount(routes) >= MAX_MATCHES ? problemsAt(path, [`${matchCount(routes)} route matches (one per method) ${on}: an HTTPRoute holds fewer `
      + `than ${MAX_MATCHES}; merge routes or methods`]) : []),
    ...[
      ...service.routes.map(r => ({ path: r.path, timeout: r.timeout })),
      ...service.failoverPolicies.map(p => ({ path: p.path, timeout: p.options.timeout })),
    ].filter(t => t.timeout && t.timeout.toHours({ integral: false }) >= 100_000)
      .flatMap(t => problemsAt(t.path, [`timeout of ${t.timeout!.toHours({ integral: false })} hours ${on}: Gateway API durations stop below 100,000 hours`])),
    ...routes.flatMap((later, j) => routes.slice(0, j).filter(earlier => mayOverlap(later.match ?? {}, earlier.match ?? {})
      && outranks(later.match ?? {}, earlier.match ?? {}))
      .flatMap(earlier => problemsAt(later.path, [`route order ${on}: Gateway API tries exact paths, longer prefixes, methods, then more headers and query `
        + `parameters first, so this route would win over ${earlier.path}, which the mesh tries first; give this route a lower priority or its own match`]))),
    ...service.failoverPolicies.flatMap(policy => problemsAt(policy.path, [
      ...(policy.caller ? [`failover for caller ${policy.caller.name} only ${on}: HTTPRoutes apply to every caller; remove caller`] : []),
      ...(policy.options.retry ? [`retries ${on}: the standard channel of HTTPRoute has no retries; remove retry or use MeshEngine.istio()`] : []),
      ...(policy.options.fault ? [`fault injection ${on}: HTTPRoute has no faults; remove fault or use MeshEngine.istio()`] : []),
    ])),
  ];
}

/** The CRD's limits on an HTTPRoute: rules, matches in all, headers or query parameters per match. */
const MAX_RULES = 16;
const MAX_MATCHES = 128;
const MAX_CONDITIONS = 16;

/** The rules of an HTTPRoute: one per route, and one for the main version unless a route matches every request. */
function ruleCount(routes: Array<{ match?: HttpRouteMatch }>): number {
  return routes.length + (routes.some(r => isCatchAll(r.match ?? {})) ? 0 : 1);
}

/** The matches of the routes' rules: one per method (at least one per route). */
function matchCount(routes: Array<{ match?: HttpRouteMatch }>): number {
  return routes.reduce((sum, r) => sum + Math.max(1, r.match?.methods?.length ?? 0), 0);
}

/**
 * Conditions an HTTPRoute cannot hold with the same meaning: pseudo-headers
 * (refused by its header name pattern), and two conditions on one header
 * (names compared without case, where Gateway API considers only the first)
 * or one query parameter; over 16 of either.
 */
function matchProblems(match: HttpRouteMatch, on: string): string[] {
  const headers = (match.headers ?? []).map(h => h._name.toLowerCase());
  const params = (match.queryParameters ?? []).map(q => q._name);
  const repeated = (names: string[]) => [...new Set(names.filter((n, i) => names.indexOf(n) !== i))];
  return [
    ...headers.filter(h => h.startsWith(':')).map(h => `header ${h} ${on}: HTTPRoute matches no pseudo-header; match another header`),
    ...repeated(headers).map(h => `two conditions on header ${h} ${on}: Gateway API considers only the first; merge them into one`),
    ...repeated(params).map(q => `two conditions on query parameter ${q} ${on}: Gateway API considers only one; merge them`),
    ...(headers.length > MAX_CONDITIONS || params.length > MAX_CONDITIONS
      ? [`more than ${MAX_CONDITIONS} header or query conditions ${on}: an HTTPRoute match holds at most ${MAX_CONDITIONS} of each`] : []),
  ];
}

/** Whether one request could match both (by path and methods; conservative otherwise). */
function mayOverlap(a: HttpRouteMatch, b: HttpRouteMatch): boolean {
  const prefix = (m: HttpRouteMatch) => (m.path?._kind === 'prefix' ? m.path._value : m.path ? undefined : '/');
  const covers = (p: string, m: HttpRouteMatch) => (m.path?._kind === 'path' ? m.path._value.startsWith(p) : (prefix(m) ?? '').startsWith(p));
  const paths = a.path?._kind === 'path' && b.path?._kind === 'path' ? a.path._value === b.path._value
    : covers(prefix(a) ?? '\u0000', b) || covers(prefix(b) ?? '\u0000', a);
  const methods = !a.methods?.length || !b.methods?.length || a.methods.some(m => b.methods!.includes(m));
  return paths && methods;
}

/** Whether Gateway API would prefer `later` over `earlier` (HTTPRouteMatch precedence: exact path, prefix length, method, headers, query). */
function outranks(later: HttpRouteMatch, earlier: HttpRouteMatch): boolean {
  const rank = (m: HttpRouteMatch) => [
    m.path?._kind === 'path' ? 1 : 0,
    m.path?._kind === 'prefix' ? m.path._value.length : 1,
    m.methods?.length ? 1 : 0,
    m.headers?.length ?? 0,
    m.queryParameters?.length ?? 0,
  ];
  const [a, b] = [rank(later), rank(earlier)];
  const first = a.findIndex((x, i) => x !== b[i]);
  return first >= 0 && a[first] > b[first];
}

function pathProblems(match: HttpRouteMatch, on: string): string[] {
  const path = match.path;
  if (path?._kind === 'regex') return [`path regex '${path._value}' ${on}: the precedence of regular expressions is implementation-specific; use exact paths`];
  if (path?._kind === 'prefix' && path._value !== '/') {
    return [`path prefix '${path._value}' ${on}: Gateway API prefixes match whole path segments ('/api' matches /api and /api/x, not /apix), `
      + 'unlike the mesh\'s character prefixes; use PathMatch.exact() or route on a header'];
  }
  return [];
}

/** What needs an engine's own policies, refused when the mesh emits routes only. */
function routesOnlyProblems(model: MeshModel, on: string): Problem[] {
  const { mesh } = model;
  const how = 'or pick gatewayApi({ policies: GatewayApiPolicies.ISTIO })';
  const meshProblems = problemsAt(mesh.node.path, [
    ...(mesh.mtls !== MtlsMode.DISABLED
      ? [`mtls ${mesh.mtls} and caller authorization ${on}: routes cannot require mutual TLS or authorize callers; set mtls: MtlsMode.DISABLED (the mesh under the routes may still encrypt) ${how}`] : []),
    ...(mesh.networkPolicies ? [`networkPolicies ${on}: the ports of the mesh's own proxies are unknown; set networkPolicies: false ${how}`] : []),
    ...(mesh.restrictEgress ? [`restrictEgress ${on}: egress is the mesh implementation's; remove restrictEgress ${how}`] : []),
    ...(mesh.tracing ? [`tracing ${on}: tracing is configured in the mesh implementation; remove tracing ${how}`] : []),
    ...(mesh.nativeSidecars ? [`nativeSidecars ${on}: the mesh implementation injects its own sidecar; enable native sidecars in its installation instead ${how}`] : []),
    ...(mesh.accessLogs ? [`accessLogs ${on}: access logs are configured in the mesh implementation; remove accessLogs ${how}`] : []),
  ]);
  return [
    ...meshProblems,
    ...model.services.flatMap(service => {
      const path = service.service.node.path;
      return [
        ...problemsAt(path, [
          ...(service.props?.loadBalancer ? [`loadBalancer ${on}: routes do not choose how hosts are balanced; remove loadBalancer ${how}`] : []),
          ...service.routes.flatMap(r => (r.match?.headers ?? []).filter(h => h._kind !== 'exact'))
            .map(h => `header ${h._name} matched ${h._kind === 'regex' ? 'by a regex' : 'by presence'} ${on}: header regexes are `
              + `implementation-specific in Gateway API (any dialect); match an exact value ${how}`),
          ...service.exposures.filter(e => !isAnySource(e.peer._source)).map(e => `exposeTo ${e.peer.description} ${on}: routes cannot restrict who connects, and `
            + `NetworkPolicies are off; use EdgePeer.anywhere() ${how}`),
        ]),
        ...service.failoverPolicies.flatMap(policy => problemsAt(policy.path, policyProblems(policy.options, on, how))),
        ...service.jwtProviders.flatMap(jwt => problemsAt(jwt.path, [`JWT authentication ${on}: routes cannot verify tokens; remove it ${how}`])),
      ];
    }),
    ...model.externals.flatMap(external => problemsAt(external.node.path, [
      ...(!external._endpoint.service ? [`a host outside the cluster ${on}: routes cannot declare one (Istio: ServiceEntry); ${how.replace('or ', '')}`] : []),
      ...policyProblems(external.failover, on, how),
      ...(external.failover.retry ? [`retries ${on}: the standard channel of HTTPRoute has no retries; remove retry`] : []),
    ])),
  ];
}

function policyProblems(failover: FailoverOptions, on: string, how: string): string[] {
  return [
    ...(failover.outlierDetection ? [`outlier detection ${on}: routes cannot eject hosts; remove outlierDetection ${how}`] : []),
    ...(failover.circuitBreaker ? [`circuit breaker ${on}: routes cannot limit connections; remove circuitBreaker ${how}`] : []),
  ];
}
