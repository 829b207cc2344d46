import {
  Destination, DestinationRuleSpec, HttpMatchRequest, HttpRoute, LoadBalancerSettings, StringMatch, TcpRoute, TrafficPolicy, VirtualServiceSpec,
} from './types';
import { CircuitBreakerSpec } from '../../failover/circuit-breaker';
import { OutlierDetectionSpec } from '../../failover/outlier-detection';
import { RetrySpec } from '../../failover/retry';
import { SERVICE_LABEL, VERSION_LABEL } from '../../model/labels';
import { DestinationPlan, HostPlan, RouteBlockPlan } from '../../plan/host-plan';
import { RoutePlan } from '../../plan/types';
import { isHttp } from '../../protocol';
import { MtlsMode } from '../../security/mtls';
import { LoadBalancingSpec } from '../../traffic/load-balancer';
import { HttpRouteMatch, PathMatch } from '../../traffic/route-match';
import { envoyMillis } from '../envoy/duration';

/**
 * Envoy's route timeout when none is set (route/v3/route_components.proto,
 * `RouteAction.timeout`: 15 s), which static Envoy sidecars apply. Istio
 * disables the timeout instead, so it is emitted.
 */
const ENVOY_ROUTE_TIMEOUT = '15s';

/** The VirtualService of a mesh service: each block's routes, then the main version for any other caller. */
export function renderVirtualService(plan: HostPlan): VirtualServiceSpec {
  const main = { name: plan.name, namespace: plan.namespace, host: plan.host, port: plan.port, version: plan.mainVersion };
  const fallback = { destinations: { main }, routes: [{ match: {}, split: [{ cluster: 'main', weight: 100 }] }] };
  const blocks: RouteBlockPlan[] = plan.blocks.some(b => b.caller === undefined) ? plan.blocks : [...plan.blocks, fallback];
  if (!isHttp(plan.protocol)) return { hosts: [plan.host], tcp: blocks.flatMap(tcpRoutes) };
  return { hosts: [plan.host], http: blocks.flatMap(httpRoutes) };
}

/**
 * The DestinationRule of a host: load balancing, outlier detection,
 * connection limits and TLS, and a subset per version unless each version
 * has a Service of its own (`host` names it then).
 */
export function renderDestinationRule(plan: HostPlan, mtls: MtlsMode, host?: string): DestinationRuleSpec {
  return {
    host: host ?? plan.host,
    trafficPolicy: {
      loadBalancer: loadBalancer(plan.loadBalancing),
      connectionPool: connectionPool(plan.circuitBreaker),
      ...(plan.outlierDetection && { outlierDetection: outlierDetection(plan.outlierDetection) }),
      tls: tls(plan, mtls),
    },
    ...(!host && plan.versions.length > 0 && { subsets: plan.versions.map(version => ({ name: version, labels: { [VERSION_LABEL]: version } })) }),
  };
}

/** Mutual TLS to mesh pods, TLS originated to an external host (SNI and SAN checked), or plaintext. */
function tls(plan: HostPlan, mtls: MtlsMode): TrafficPolicy['tls'] {
  if (plan.originateTls) return { mode: 'SIMPLE', sni: plan.originateTls, subjectAltNames: [plan.originateTls] };
  return { mode: plan.outsideMesh || mtls === MtlsMode.DISABLED ? 'DISABLE' : 'ISTIO_MUTUAL' };
}

/** Where a route sends: a version's subset of a mesh service, or a host outside the mesh. */
function destination(plan: DestinationPlan): Destination {
  return { host: plan.host, ...(plan.version && { subset: plan.version }) };
}

/** The conditions naming a block's caller, if it has one. */
function callerMatch(block: RouteBlockPlan) {
  return block.caller && { sourceLabels: { [SERVICE_LABEL]: block.caller.name }, sourceNamespace: block.caller.namespace };
}

function httpRoutes(block: RouteBlockPlan): HttpRoute[] {
  const source = callerMatch(block);
  return block.routes.map(route => {
    const matches = matchRequests(route.match).map(m => ({ ...m, ...source }));
    return {
      ...(matches.some(m => Object.keys(m).length > 0) && { match: matches }),
      route: route.split.map(s => ({ destination: destination(block.destinations[s.cluster]), weight: s.weight })),
      timeout: route.timeoutMs === undefined ? ENVOY_ROUTE_TIMEOUT : envoyMillis(route.timeoutMs),
      retries: retries(route.retry),
      ...(route.mirror && { mirror: destination(block.destinations[route.mirror.cluster]), mirrorPercentage: { value: route.mirror.percent } }),
      ...headers(route),
      ...(block.fault && { fault: fault(block.fault) }),
    };
  });
}

function tcpRoutes(block: RouteBlockPlan): TcpRoute[] {
  const source = callerMatch(block);
  return block.routes.map(route => ({
    ...(source && { match: [source] }),
    route: route.split.map(s => ({ destination: destination(block.destinations[s.cluster]), weight: s.weight })),
  }));
}

/**
 * The match requests of a route: Istio ORs the entries and ANDs the
 * conditions of each, and matches one method per entry, so a route with
 * several methods becomes one entry per method.
 */
function matchRequests(match: HttpRouteMatch): HttpMatchRequest[] {
  const base: HttpMatchRequest = {
    ...(match.path && !(match.path._kind === 'prefix' && match.path._value === '/') && { uri: pathMatch(match.path) }),
    ...(match.headers?.length && {
      headers: Object.fromEntries(match.headers.map(h => [h._name.toLowerCase(), h._kind === 'present' ? { regex: '.*' } : { [h._kind]: h._value }])),
    }),
    ...(match.queryParameters?.length && { queryParams: Object.fromEntries(match.queryParameters.map(q => [q._name, { exact: q._value }])) }),
  };
  return match.methods?.length ? match.methods.map(method => ({ ...base, method: { exact: method } })) : [base];
}

function pathMatch(path: PathMatch): StringMatch {
  return { [path._kind === 'path' ? 'exact' : path._kind]: path._value };
}

/** Istio retries twice unless told otherwise: no retry policy is `attempts: 0`. */
function retries(retry: RetrySpec | undefined): HttpRoute['retries'] {
  if (!retry) return { attempts: 0 };
  const on = [...retry.conditions.filter(c => c !== 'retriable-status-codes'), ...retry.retriableStatusCodes.map(String)];
  return {
    attempts: retry.attempts - 1, // Istio counts retries; the mesh counts tries
    ...(retry.perTryTimeoutMs !== undefined && { perTryTimeout: envoyMillis(retry.perTryTimeoutMs) }),
    retryOn: on.join(','),
    retryIgnorePreviousHosts: retry.retryOtherHost,
  };
}

function headers(route: RoutePlan): Pick<HttpRoute, 'headers'> {
  if (!route.headersToSet && !route.headersToRemove) return {};
  const request = { ...(route.headersToSet && { set: route.headersToSet }), ...(route.headersToRemove && { remove: route.headersToRemove }) };
  return { headers: { request } };
}

function fault(spec: NonNullable<RouteBlockPlan['fault']>): NonNullable<HttpRoute['fault']> {
  return {
    ...(spec.delay && { delay: { fixedDelay: envoyMillis(spec.delay.durationMs), percentage: { value: spec.delay.percent } } }),
    ...(spec.abort && { abort: { httpStatus: spec.abort.httpStatus, percentage: { value: spec.abort.percent } } }),
  };
}

function loadBalancer(spec: LoadBalancingSpec): LoadBalancerSettings {
  switch (spec.policy) {
    case 'roundRobin': return { simple: 'ROUND_ROBIN' };
    case 'random': return { simple: 'RANDOM' };
    case 'leastRequest': return { simple: 'LEAST_REQUEST' };
    case 'ringHash':
    case 'maglev': {
      const key = spec.key;
      const hashOn = !key || key.kind === 'sourceIp' ? { useSourceIp: true }
        : key.kind === 'header' ? { httpHeaderName: key.name }
          : { httpCookie: { name: key.name, ...(key.ttlMs !== undefined && { ttl: envoyMillis(key.ttlMs) }), ...(key.path && { path: key.path }) } };
      return {
        consistentHash: spec.policy === 'ringHash'
          ? { ...hashOn, ringHash: { minimumRingSize: spec.minimumRingSize } }
          : { ...hashOn, maglev: { tableSize: spec.tableSize } },
      };
    }
  }
}

function connectionPool(spec: CircuitBreakerSpec): NonNullable<TrafficPolicy['connectionPool']> {
  return {
    tcp: { maxConnections: spec.maxConnections },
    http: { http1MaxPendingRequests: spec.maxPendingRequests, http2MaxRequests: spec.maxRequests, maxRetries: spec.maxRetries },
  };
}

/** Istio counts 5xx ejections unless `consecutive5xxErrors` is 0, so it is always given. */
function outlierDetection(spec: OutlierDetectionSpec): NonNullable<TrafficPolicy['outlierDetection']> {
  const rule = spec.ejectOn;
  return {
    consecutive5xxErrors: rule.kind === 'consecutiveErrors' ? rule.errors : 0,
    ...(rule.kind === 'consecutiveGatewayErrors' && { consecutiveGatewayErrors: rule.errors }),
    interval: envoyMillis(spec.intervalMs),
    baseEjectionTime: envoyMillis(spec.baseEjectionTimeMs),
    maxEjectionPercent: spec.maxEjectionPercent,
  };
}
