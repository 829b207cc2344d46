import { LoadBalancer } from './load-balancer';
import { routeSettings } from './route-plan';
import { loopbackAddress } from './upstream-address';
import { clusterFailover, hostEndpointGroup, withHostRewrite } from '../failover/cluster-plan';
import { faultSpec } from '../failover/fault-injection';
import { ExternalCallModel } from '../model/mesh-model';
import { UpstreamPlan } from '../plan/types';

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
  const endpoint = external._endpoint;
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
    // A host is reached under its own name; a Service of the cluster under the name the application called, unless a backup host is reached too.
    ...withHostRewrite(!endpoint.service || !!backup, [{
      source,
      name: cluster,
      endpoints: [
        {
          ...hostEndpointGroup({ hostname: endpoint.host, port: endpoint.port, tls: endpoint.tls }, 0),
          ...(endpoint.service && { hostname: external.name }),
        },
        ...(backup ? [hostEndpointGroup(backup, 1)] : []),
      ],
      ...clusterFailover(failover),
    }], [{ source, match: {}, split: [{ cluster, weight: 100 }], ...routeSettings(failover) }]),
    loadBalancing: (options.loadBalancer ?? LoadBalancer.roundRobin())._spec(),
    ...(failover.fault && { fault: faultSpec(failover.fault) }),
  };
}
