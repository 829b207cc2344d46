import { RoutePlan } from '../envoy/plan';
import { CircuitBreakerSpec, circuitBreakerSpec } from '../failover/circuit-breaker';
import type { FailoverOptions } from '../failover/failover-policy';
import { FaultSpec, faultSpec } from '../failover/fault-injection';
import { OutlierDetectionSpec } from '../failover/outlier-detection';
import type { MeshModel, ServiceModel } from '../model/mesh-model';
import { Protocol } from '../protocol';
import { Destination, TrafficPolicy } from './types';
import { MtlsMode } from '../security/mtls';
import type { ExternalService } from '../traffic/external-service';
import { LoadBalancingSpec, LoadBalancer } from '../traffic/load-balancer';
import { planRoutes, routeSettings } from '../traffic/route-plan';

/** How callers reach one mesh service under Istio: its VirtualService and DestinationRule, in domain values. */
export interface IstioHostPlan {
  /** The service's fully qualified name, which both resources name as their host. */
  readonly host: string;
  readonly protocol: Protocol;
  /** The main version, which takes the requests of callers that were not declared; none for hosts outside the mesh. */
  readonly mainVersion?: string;
  readonly versions: string[];
  /** Route blocks in the order Istio tries them: one per declared caller, or one for all when they agree. */
  readonly blocks: RouteBlockPlan[];
  readonly loadBalancing: LoadBalancingSpec;
  readonly outlierDetection?: OutlierDetectionSpec;
  readonly circuitBreaker: CircuitBreakerSpec;
  /** Transport security towards the host's pods. */
  readonly tls: NonNullable<TrafficPolicy['tls']>;
}

/** The routes of one caller (or of every caller), with where each cluster name goes. */
export interface RouteBlockPlan {
  /** The caller the block applies to; undefined: every caller. */
  readonly caller?: { readonly name: string; readonly namespace: string };
  readonly routes: RoutePlan[];
  readonly fault?: FaultSpec;
  /** The host and subset of each cluster name the routes use. */
  readonly destinations: Record<string, Destination>;
}

/**
 * Envoy's circuit breaker defaults (envoy/config/cluster/v3/circuit_breaker.proto:
 * 1024 connections, pending and active requests, 3 retries), which a static
 * Envoy sidecar applies when no circuit breaker is declared. Istio raises all
 * four to 2^32-1, so they are emitted to keep the same limits.
 */
const ENVOY_CIRCUIT_BREAKER: CircuitBreakerSpec = { maxConnections: 1024, maxPendingRequests: 1024, maxRequests: 1024, maxRetries: 3 };

/** The VirtualService and DestinationRule plan of a mesh service. Pure. */
export function planIstioHost(model: MeshModel, service: ServiceModel): IstioHostPlan {
  const { fqdn, protocol, version, loadBalancer, mesh } = service.service;
  const wide = serviceWideFailover(service);
  const calls = model.services.flatMap(caller => caller.calls.filter(call => call.upstream === service));
  const blocks: RouteBlockPlan[] = calls.map(call => ({
    caller: { name: call.caller.service.name, namespace: call.caller.service.namespace },
    routes: planRoutes(call).map(({ source, ...route }) => route),
    ...(call.failover.fault && { fault: faultSpec(call.failover.fault) }),
    destinations: Object.fromEntries(call.clusters.map(c => [c.name, { host: c.service.service.fqdn, subset: c.version }])),
  }));
  const same = blocks.length > 0 && blocks.every(b => sameRouting(b, blocks[0]));
  return {
    host: fqdn,
    protocol,
    mainVersion: version,
    versions: service.versions,
    blocks: same ? [{ ...blocks[0], caller: undefined }] : blocks,
    loadBalancing: loadBalancer._spec(),
    ...(wide.outlierDetection && { outlierDetection: wide.outlierDetection._spec() }),
    circuitBreaker: wide.circuitBreaker ? circuitBreakerSpec(wide.circuitBreaker) : ENVOY_CIRCUIT_BREAKER,
    tls: { mode: mesh.mtls === MtlsMode.DISABLED ? 'DISABLE' : 'ISTIO_MUTUAL' },
  };
}

/** The failover policy that names no caller: what a DestinationRule, shared by every caller, expresses. */
export function serviceWideFailover(service: ServiceModel): FailoverOptions {
  return service.failoverPolicies.find(p => p.caller === undefined)?.options ?? {};
}

function sameRouting(a: RouteBlockPlan, b: RouteBlockPlan): boolean {
  const strip = ({ caller, ...rest }: RouteBlockPlan) => rest;
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

/** How callers reach a service outside the mesh: one block for every caller, no versions. Pure. */
export function planIstioExternal(external: ExternalService): IstioHostPlan {
  const endpoint = external._endpoint;
  const host = endpoint.service ? `${endpoint.service.name}.${endpoint.service.namespace}.svc.${external.mesh.clusterDomain}` : external.name;
  const failover = external.failover;
  return {
    host,
    protocol: external.protocol,
    versions: [],
    blocks: [{ routes: [{ match: {}, split: [{ cluster: 'external', weight: 100 }], ...routeSettings(failover) }], destinations: { external: { host } } }],
    loadBalancing: LoadBalancer.roundRobin()._spec(),
    ...(failover.outlierDetection && { outlierDetection: failover.outlierDetection._spec() }),
    circuitBreaker: failover.circuitBreaker ? circuitBreakerSpec(failover.circuitBreaker) : ENVOY_CIRCUIT_BREAKER,
    tls: !endpoint.service && endpoint.tls ? { mode: 'SIMPLE', sni: endpoint.host, subjectAltNames: [endpoint.host] } : { mode: 'DISABLE' },
  };
}
