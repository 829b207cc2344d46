import { RoutePlan } from './types';
import { CircuitBreakerSpec, circuitBreakerSpec } from '../failover/circuit-breaker';
import { FaultSpec, faultSpec } from '../failover/fault-injection';
import { OutlierDetectionSpec } from '../failover/outlier-detection';
import type { ExternalRef } from '../model/external-ref';
import { serviceWideFailover, ServiceModel } from '../model/mesh-model';
import { Protocol } from '../protocol';
import { LoadBalancer, LoadBalancingSpec } from '../traffic/load-balancer';
import { planRoutes, routeSettings } from '../traffic/route-plan';

/**
 * How callers reach one host (a mesh service, or a service outside the
 * mesh) when a mesh engine's control plane routes for them: the routes,
 * load balancing and failover every engine's renderers express in their own
 * resources. Domain values only.
 */
export interface HostPlan {
  /** The Kubernetes Service callers address, or the external host's name. */
  readonly name: string;
  readonly namespace: string;
  /** The fully qualified name (`<name>.<namespace>.svc.<domain>`), or the external host's name. */
  readonly host: string;
  readonly port: number;
  readonly protocol: Protocol;
  /** The main version, which takes the requests of callers that were not declared; none for hosts outside the mesh. */
  readonly mainVersion?: string;
  readonly versions: string[];
  /** Route blocks in the order they are tried: one per declared caller, or one for all when they agree. */
  readonly blocks: RouteBlockPlan[];
  readonly loadBalancing: LoadBalancingSpec;
  readonly outlierDetection?: OutlierDetectionSpec;
  readonly circuitBreaker: CircuitBreakerSpec;
  /** A host outside the cluster whose connections the proxy wraps in TLS, checking this name. */
  readonly originateTls?: string;
  /** Whether the host's pods are outside the mesh (no mutual TLS to them). */
  readonly outsideMesh: boolean;
}

/** The routes of one caller (or of every caller), with where each cluster name goes. */
export interface RouteBlockPlan {
  /** The caller the block applies to; undefined: every caller. */
  readonly caller?: { readonly name: string; readonly namespace: string };
  readonly routes: RoutePlan[];
  readonly fault?: FaultSpec;
  /** Where each cluster name the routes use goes. */
  readonly destinations: Record<string, DestinationPlan>;
}

/** One version of a service (or a host outside the mesh) that routes send to. */
export interface DestinationPlan {
  /** The service's name and namespace, its fully qualified host, and its port. */
  readonly name: string;
  readonly namespace: string;
  readonly host: string;
  readonly port: number;
  /** The version; undefined for a host outside the mesh. */
  readonly version?: string;
}

/**
 * Envoy's circuit breaker defaults (envoy/config/cluster/v3/circuit_breaker.proto:
 * 1024 connections, pending and active requests, 3 retries), which a static
 * Envoy sidecar applies when no circuit breaker is declared. Istio raises all
 * four to 2^32-1, so they are emitted to keep the same limits.
 */
const ENVOY_CIRCUIT_BREAKER: CircuitBreakerSpec = { maxConnections: 1024, maxPendingRequests: 1024, maxRequests: 1024, maxRetries: 3 };

/**
 * The routing plan of a mesh service, from the calls of every caller (the
 * services that reach it, by their calls to it), computed once per model.
 */
export function planHost(service: ServiceModel): HostPlan {
  let plan = hostPlans.get(service);
  if (!plan) {
    plan = computeHostPlan(service);
    hostPlans.set(service, plan);
  }
  return plan;
}

/** The host plan of each service model: a model is immutable, and each engine renders several resources from one plan. */
const hostPlans = new WeakMap<ServiceModel, HostPlan>();

function computeHostPlan(service: ServiceModel): HostPlan {
  const { name, namespace, fqdn, port, protocol, version, loadBalancer } = service.service;
  const wide = serviceWideFailover(service);
  const calls = service.callers.flatMap(caller => caller.calls.filter(call => call.upstream === service));
  const blocks: RouteBlockPlan[] = calls.map(call => ({
    caller: { name: call.caller.service.name, namespace: call.caller.service.namespace },
    routes: planRoutes(call).map(({ source, ...route }) => route),
    ...(call.failover.fault && { fault: faultSpec(call.failover.fault) }),
    destinations: Object.fromEntries(call.clusters.map(c => {
      const target = c.service.service;
      return [c.name, { name: target.name, namespace: target.namespace, host: target.fqdn, port: target.port, version: c.version }];
    })),
  }));
  const same = blocks.length > 0 && blocks.every(b => sameRouting(b, blocks[0]));
  return {
    name,
    namespace,
    host: fqdn,
    port,
    protocol,
    mainVersion: version,
    versions: service.versions,
    blocks: same ? [{ ...blocks[0], caller: undefined }] : blocks,
    loadBalancing: loadBalancer._spec(),
    ...(wide.outlierDetection && { outlierDetection: wide.outlierDetection._spec() }),
    circuitBreaker: wide.circuitBreaker ? circuitBreakerSpec(wide.circuitBreaker) : ENVOY_CIRCUIT_BREAKER,
    outsideMesh: false,
  };
}

/** The routing plan of a service outside the mesh: one block for every caller, no versions. Pure. */
export function planExternalHost(external: ExternalRef): HostPlan {
  const endpoint = external._endpoint;
  const service = endpoint.service;
  // A host outside the cluster gets a name in the mesh's namespace: Istio reads a dotless host of a rule as one
  // (ResolveShortnameToFQDN), so every resource must use the fully qualified form to match its ServiceEntry.
  const host = `${service?.name ?? external.name}.${service?.namespace ?? external.namespace}.svc.${external.mesh.clusterDomain}`;
  const destination = { name: service?.name ?? external.name, namespace: external.namespace, host, port: external.port };
  const failover = external.failover;
  return {
    name: destination.name,
    namespace: destination.namespace,
    host,
    port: external.port,
    protocol: external.protocol,
    versions: [],
    blocks: [{ routes: [{ match: {}, split: [{ cluster: 'external', weight: 100 }], ...routeSettings(failover) }], destinations: { external: destination } }],
    loadBalancing: LoadBalancer.roundRobin()._spec(),
    ...(failover.outlierDetection && { outlierDetection: failover.outlierDetection._spec() }),
    circuitBreaker: failover.circuitBreaker ? circuitBreakerSpec(failover.circuitBreaker) : ENVOY_CIRCUIT_BREAKER,
    ...(!service && endpoint.tls && { originateTls: endpoint.host }),
    outsideMesh: true,
  };
}

function sameRouting(a: RouteBlockPlan, b: RouteBlockPlan): boolean {
  const strip = ({ caller, ...rest }: RouteBlockPlan) => rest;
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}
