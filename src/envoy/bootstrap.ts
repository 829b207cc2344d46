import { renderClusters, socketAddress } from './clusters';
import { renderListeners } from './listeners';
import { SidecarPlan } from './plan';
import { Bootstrap, TYPE_URL } from './types';

/** Connections one sidecar accepts at once, over all its listeners (the figure of Envoy's edge example). */
const MAX_DOWNSTREAM_CONNECTIONS = 50_000;

/**
 * The complete static bootstrap of one sidecar. Pure: the same plan always
 * gives the same configuration, and only the service's own upstreams appear
 * in it, so its size does not grow with the mesh.
 */
export function renderBootstrap(plan: SidecarPlan): Bootstrap {
  return {
    node: { id: `${plan.service}.${plan.namespace}`, cluster: plan.service },
    admin: { address: socketAddress('127.0.0.1', plan.ports.admin) },
    static_resources: {
      listeners: renderListeners(plan),
      clusters: renderClusters(plan),
    },
    // Envoy's edge best practices cap connections across all listeners, so a flood cannot exhaust file descriptors.
    overload_manager: {
      resource_monitors: [{
        name: 'envoy.resource_monitors.global_downstream_max_connections',
        typed_config: {
          '@type': `${TYPE_URL}envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig`,
          'max_active_downstream_connections': MAX_DOWNSTREAM_CONNECTIONS,
        },
      }],
    },
    ...(plan.latencyBucketsMs && {
      // Latency objectives need their threshold as a histogram bucket bound.
      stats_config: { histogram_bucket_settings: [{ match: { suffix: 'rq_time' }, buckets: plan.latencyBucketsMs }] },
    }),
  };
}

/** The bootstrap as the text of the sidecar's `envoy.json`. */
export function serializeBootstrap(bootstrap: Bootstrap): string {
  return JSON.stringify(bootstrap, undefined, 2) + '\n';
}
