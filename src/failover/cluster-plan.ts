import type { Backup } from './backup';
import { circuitBreakerSpec } from './circuit-breaker';
import type { FailoverOptions } from './failover-options';
import { ClusterModel, ServiceModel } from '../model/mesh-model';
import { ClusterPlan, EndpointGroupPlan, RoutePlan } from '../plan/types';

/** One version of a service as a caller sees it: its pods at priority 0, its backups at lower priorities, its failover settings. */
export function planCluster(cluster: ClusterModel): ClusterPlan {
  const { service, version, failover, backups } = cluster;
  const backupServices = backups.flatMap(b => (b.service ? [b.service] : []));
  return {
    source: service.service.node.path,
    name: cluster.name,
    endpoints: [
      ...endpointGroups(service, version, 0),
      ...backups.flatMap(({ priority, service: next, host }) => (host
        ? [hostEndpointGroup(host, priority)]
        : endpointGroups(next!, next!.service.version, priority))),
    ],
    tls: { sni: service.service.fqdn, spiffeIds: [service, ...backupServices].map(s => s.service.spiffeId) },
    ...clusterFailover(failover),
  };
}

/**
 * An upstream's clusters and routes, rewriting `Host` to each endpoint's own name when
 * `rewrite`: every endpoint of every cluster then names itself, since the rewrite applies
 * to whichever endpoint a request lands on (Envoy's RouteAction.auto_host_rewrite takes the
 * chosen host's hostname: LbEndpoint.endpoint.hostname, else the DNS name of a DNS cluster).
 */
export function withHostRewrite<C extends ClusterPlan, R extends RoutePlan>(
  rewrite: boolean, clusters: C[], routes: R[],
): { clusters: C[]; routes: R[] } {
  if (!rewrite) return { clusters, routes };
  return { clusters: clusters.map(c => ({ ...c, rewriteHost: true })), routes: routes.map(r => ({ ...r, rewriteHost: true })) };
}

/** Whether requests that fail over would reach a host outside the mesh, which routes on its own name (virtual hosts, CDNs). */
export function reachesHostOutsideMesh(clusters: ClusterPlan[]): boolean {
  return clusters.some(c => c.endpoints.some(e => e.external));
}

/** A host outside the mesh (a backup, or an external service) as the endpoint group at `priority`. */
export function hostEndpointGroup(host: NonNullable<Backup['_host']>, priority: number): EndpointGroupPlan {
  return { host: host.hostname, port: host.port, priority, hostname: host.hostname, external: { tls: host.tls } };
}

/** Outlier detection, circuit breaking and health checks of a cluster, as `failover` sets them. */
export function clusterFailover(failover: FailoverOptions): Pick<ClusterPlan, 'outlierDetection' | 'circuitBreaker' | 'healthCheck'> {
  return {
    ...(failover.outlierDetection && { outlierDetection: failover.outlierDetection._spec() }),
    ...(failover.circuitBreaker && { circuitBreaker: circuitBreakerSpec(failover.circuitBreaker) }),
    ...(failover.healthCheck && { healthCheck: failover.healthCheck._spec() }),
  };
}

/** The headless Services of a version's pools, as endpoint groups at `priority`. */
function endpointGroups(service: ServiceModel, version: string, priority: number): EndpointGroupPlan[] {
  const { namespace, mesh } = service.service;
  const pools = service.workloads.filter(w => w.version === version);
  return pools.map(w => ({
    host: `${w.name}.${namespace}.svc.${mesh.clusterDomain}`,
    port: mesh._ports.inbound,
    priority,
    hostname: service.service.name,
    ...(pools.length > 1 && { weight: w.weight }),
  }));
}
