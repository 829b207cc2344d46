import { CallOptions } from './call-options';
import { envoyDuration } from './envoy/duration';
import { ClusterPlan, EndpointGroupPlan, RoutePlan, SplitPlan, UpstreamPlan } from './envoy/plan';
import { HostBackup } from './failover/backup';
import { renderCircuitBreaker } from './failover/circuit-breaker';
import { renderFault } from './failover/fault-injection';
import { FailoverOptions } from './failover-policy';
import type { MeshService } from './mesh-service';
import { loopbackAddress } from './names';
import { isCatchAll, renderMatch } from './traffic/route-match';
import { RouteTarget } from './traffic/route-target';

/**
 * What `caller`'s sidecar does for its calls to `upstream`: where it listens,
 * how it routes, and the clusters (with failover settings) it sends to.
 */
export function planUpstream(caller: MeshService, upstream: MeshService, options: CallOptions): UpstreamPlan {
  const policy = upstream._failoverFor(caller);
  const routes = upstream._routesFor(caller);
  const routePlans: RoutePlan[] = routes.map(route => ({
    match: renderMatch(route.props.match ?? {}),
    split: route.props.targets.map(t => split(upstream, t)),
    ...routeSettings(policy, route.props.timeout),
    ...(route.props.mirror && {
      mirror: { cluster: clusterName(route.props.mirror._resolve(upstream)), percent: route.props.mirrorPercent ?? 100 },
    }),
    ...(route.props.requestHeaders?.set && { headersToSet: route.props.requestHeaders.set }),
    ...(route.props.requestHeaders?.remove && { headersToRemove: route.props.requestHeaders.remove }),
  }));
  if (!routes.some(r => isCatchAll(r.props.match ?? {}))) {
    routePlans.push({
      match: renderMatch({}),
      split: [{ cluster: clusterName({ service: upstream, version: upstream.version }), weight: 100 }],
      ...routeSettings(policy),
    });
  }

  return {
    name: upstream.name,
    protocol: upstream.protocol,
    listen: { address: loopbackAddress(upstream.namespace, upstream.name), port: options.localPort ?? upstream.port },
    clusters: clusterTargets(caller, upstream).map(target => planCluster(caller, target.service, target.version)),
    routes: routePlans,
    loadBalancing: (options.loadBalancer ?? upstream.loadBalancer)._render(),
    ...(policy.fault && { fault: renderFault(policy.fault) }),
  };
}

/** The service versions `caller`'s routes to `upstream` send to (mirrors included), sorted by cluster name. */
function clusterTargets(caller: MeshService, upstream: MeshService): Array<{ service: MeshService; version: string }> {
  const routes = upstream._routesFor(caller);
  const targets = new Map<string, { service: MeshService; version: string }>();
  for (const route of routes) {
    for (const target of [...route.props.targets, ...(route.props.mirror ? [route.props.mirror] : [])]) {
      const resolved = target._resolve(upstream);
      targets.set(clusterName(resolved), resolved);
    }
  }
  if (!routes.some(r => isCatchAll(r.props.match ?? {}))) {
    targets.set(clusterName({ service: upstream, version: upstream.version }), { service: upstream, version: upstream.version });
  }
  return [...targets.keys()].sort().map(name => targets.get(name)!);
}

/**
 * Every mesh service `caller`'s sidecar may connect to when it calls
 * `upstream`: route and mirror targets and their backups. They must accept
 * the caller (authorization, network policy).
 */
export function servicesReached(caller: MeshService, upstream: MeshService): MeshService[] {
  const reached = new Set<MeshService>();
  for (const { service } of clusterTargets(caller, upstream)) {
    reached.add(service);
    for (const backup of backupChain(caller, service).services) reached.add(backup);
  }
  return [...reached];
}

/** `<service>_<version>`: unique among a sidecar's clusters (Kubernetes names have no '_'). */
export function clusterName(target: { service: MeshService; version: string }): string {
  return `${target.service.name}_${target.version}`;
}

function split(upstream: MeshService, target: RouteTarget): SplitPlan {
  return { cluster: clusterName(target._resolve(upstream)), weight: target.weight };
}

function routeSettings(policy: FailoverOptions, routeTimeout?: FailoverOptions['timeout']): Partial<RoutePlan> {
  const timeout = routeTimeout ?? policy.timeout;
  return {
    ...(timeout && { timeout: envoyDuration(timeout) }),
    ...(policy.idleTimeout && { idleTimeout: envoyDuration(policy.idleTimeout) }),
    ...(policy.retry && { retry: policy.retry._render() }),
  };
}

/** One version of a service, as `caller` sees it, with its backups at lower priorities. */
function planCluster(caller: MeshService, service: MeshService, version: string): ClusterPlan {
  const policy = service._failoverFor(caller);
  const backups = backupChain(caller, service);
  return {
    name: clusterName({ service, version }),
    endpoints: [...service._endpointGroups(version, 0), ...backups.endpoints],
    tls: { sni: service.fqdn, spiffeIds: [service.spiffeId, ...backups.services.map(s => s.spiffeId)] },
    ...(policy.outlierDetection && { outlierDetection: policy.outlierDetection._render() }),
    ...(policy.circuitBreaker && { circuitBreakers: renderCircuitBreaker(policy.circuitBreaker) }),
    ...(policy.healthCheck && { healthChecks: [policy.healthCheck._render()] }),
  };
}

/**
 * The backup chain of a service: its backup at priority 1, the backup's
 * backup at priority 2, and so on. Stops at a loop (reported by validation).
 */
function backupChain(caller: MeshService, service: MeshService): { endpoints: EndpointGroupPlan[]; services: MeshService[] } {
  const groups: EndpointGroupPlan[] = [];
  const seen = new Set<MeshService>([service]);
  let backup = service._failoverFor(caller).backup;
  for (let priority = 1; backup !== undefined; priority++) {
    if (backup instanceof HostBackup) {
      groups.push({ host: backup.hostname, port: backup.port, priority, external: { tls: backup.tls } });
      break;
    }
    const next = backup.backupService!;
    if (seen.has(next)) break;
    seen.add(next);
    groups.push(...next._endpointGroups(next.version, priority));
    backup = next._failoverFor(caller).backup;
  }
  return { endpoints: groups, services: [...seen].slice(1) };
}
