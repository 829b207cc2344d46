import { BackendRef, HttpRouteFilter, HttpRouteMatch, HttpRouteRule, HttpRouteSpec } from './types';
import { DestinationPlan, HostPlan, RouteBlockPlan } from '../../plan/host-plan';
import { RoutePlan } from '../../plan/types';
import { HttpRouteMatch as MeshMatch } from '../../traffic/route-match';

/**
 * Envoy's route timeout when none is set (15 s), which static Envoy sidecars
 * apply; Gateway API leaves it to the implementation, so it is stated.
 */
const ENVOY_ROUTE_TIMEOUT_MS = 15_000;

/**
 * The HTTPRoute of a mesh service (GAMMA): attached to its Service, with a
 * rule per route sending to the Services of its versions. Routes apply to
 * every caller (per-caller routes are refused by the checks); a service no
 * caller was declared for still gets a rule sending everything to its main
 * version, which its Service alone would spread over every version.
 */
export function renderHttpRoute(plan: HostPlan): HttpRouteSpec {
  const block: RouteBlockPlan = plan.blocks[0] ?? {
    destinations: { main: { name: plan.name, namespace: plan.namespace, host: plan.host, port: plan.port, version: plan.mainVersion } },
    routes: [{ match: {}, split: [{ cluster: 'main', weight: 100 }] }],
  };
  return {
    parentRefs: [{ group: '', kind: 'Service', name: plan.name, port: plan.port }],
    rules: block.routes.map(route => rule(route, block)),
  };
}

function rule(route: RoutePlan, block: RouteBlockPlan): HttpRouteRule {
  const matches = routeMatches(route.match);
  const filters = [...headerFilter(route), ...(route.mirror ? [mirror(block.destinations[route.mirror.cluster], route.mirror.percent)] : [])];
  return {
    ...(matches.length > 0 && { matches }),
    ...(filters.length > 0 && { filters }),
    backendRefs: route.split.map(s => ({ ...backendRef(block.destinations[s.cluster]), weight: s.weight })),
    timeouts: { request: gatewayDuration(route.timeoutMs ?? ENVOY_ROUTE_TIMEOUT_MS) },
  };
}

/**
 * The matches of a route: Gateway API ORs the entries and matches one method
 * per entry, so a route with several methods becomes one entry per method.
 * Prefixes other than `/` and regular expressions are refused by the checks
 * where their meaning would differ.
 */
export function routeMatches(match: MeshMatch): HttpRouteMatch[] {
  const path = match.path && !(match.path._kind === 'prefix' && match.path._value === '/') ? match.path : undefined;
  const base: HttpRouteMatch = {
    ...(path && { path: { type: ({ path: 'Exact', prefix: 'PathPrefix', regex: 'RegularExpression' } as const)[path._kind], value: path._value } }),
    ...(match.headers?.length && {
      headers: match.headers.map(h => ({ type: h._kind === 'exact' ? 'Exact' as const : 'RegularExpression' as const, name: h._name, value: h._kind === 'present' ? '.*' : h._value })),
    }),
    ...(match.queryParameters?.length && { queryParams: match.queryParameters.map(q => ({ type: 'Exact' as const, name: q._name, value: q._value })) }),
  };
  if (match.methods?.length) return match.methods.map(method => ({ ...base, method }));
  return Object.keys(base).length > 0 ? [base] : [];
}

/** The Service of one version (`<service>-<version>`), or the Service of a host outside the mesh. */
export function backendRef(destination: DestinationPlan): BackendRef {
  return { name: destination.version ? `${destination.name}-${destination.version}` : destination.name, port: destination.port };
}

function headerFilter(route: RoutePlan): HttpRouteFilter[] {
  if (!route.headersToSet && !route.headersToRemove) return [];
  return [{
    type: 'RequestHeaderModifier',
    requestHeaderModifier: {
      ...(route.headersToSet && { set: Object.entries(route.headersToSet).map(([name, value]) => ({ name, value })) }),
      ...(route.headersToRemove && { remove: route.headersToRemove }),
    },
  }];
}

/** Mirroring to a version: a whole `percent`, or a `fraction` in millionths (the CRD's percent is an integer). */
function mirror(destination: DestinationPlan, percent: number): HttpRouteFilter {
  const share = Number.isInteger(percent) ? { percent } : { fraction: { numerator: Math.round(percent * 10_000), denominator: 1_000_000 } };
  return { type: 'RequestMirror', requestMirror: { backendRef: backendRef(destination), ...share } };
}

/**
 * A Gateway API duration (`^([0-9]{1,5}(h|m|s|ms)){1,4}$`): hours, minutes,
 * seconds and milliseconds, each given when not 0 (`2s`, `500ms`, `1h30m`),
 * rounded up to a whole millisecond so a timeout never shortens. Durations of
 * 100,000 hours and more are refused by the checks.
 */
export function gatewayDuration(ms: number): string {
  let rest = Math.ceil(ms);
  const parts = ([['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]] as const).map(([unit, size]) => {
    const count = Math.floor(rest / size);
    rest -= count * size;
    return count > 0 ? `${count}${unit}` : '';
  }).join('');
  return parts === '' ? '0s' : parts;
}
