import { LoadBalancer } from './load-balancer';
import { routeSettings } from './route-plan';
import { loopbackAddress } from './upstream-address';
import { UpstreamPlan } from '../envoy/plan';
import { clusterFailover } from '../failover/cluster-plan';
import { faultSpec } from '../failover/fault-injection';
import { ExternalCallModel } from '../model/mesh-model';

/** The cluster name of a service outside the mesh (Kubernetes names have no '_'). */
export function externalClusterName(name: string): string {
  return `${name}_external`;
}

/**
 * What a caller's sidecar does for a call outside the mesh: it listens where
 * the application believes the service is, and sends to the endpoint (then
 * to its backup host) without mutual TLS, in TLS where the endpoint asks for it.
 */
export function planExternalUpstream(call: ExternalCallModel): UpstreamPlan {
  const { external, options } = call;
  const endpoint = external.endpoint._spec(external.mesh.clusterDomain);
  const failover = external.failover;
  const backup = failover.backup?._host;
  const cluster = externalClusterName(external.name);
  const source = external.node.path;
  return {
    source: call.caller.service.node.path,
    upstreamSource: source,
    name: external.name,
    protocol: external.protocol,
    listen: { address: loopbackAddress(external.namespace, external.name), port: options.localPort ?? external.port },
    clusters: [{
      source,
      name: cluster,
      endpoints: [
        { host: endpoint.host, port: endpoint.port, priority: 0, external: { tls: endpoint.tls } },
        ...(backup ? [{ host: backup.hostname, port: backup.port, priority: 1, external: { tls: backup.tls } }] : []),
      ],
      ...clusterFailover(failover),
      ...(!endpoint.service && { healthCheckHost: endpoint.host }),
    }],
    routes: [{ source, match: {}, split: [{ cluster, weight: 100 }], ...routeSettings(failover), ...(!endpoint.service && { rewriteHost: true }) }],
    loadBalancing: (options.loadBalancer ?? LoadBalancer.roundRobin())._spec(),
    ...(failover.fault && { fault: faultSpec(failover.fault) }),
  };
}
