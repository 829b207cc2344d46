import { renderClusters, socketAddress } from './clusters';
import { renderListeners } from './listeners';
import { SidecarPlan } from './plan';
import { Bootstrap } from './types';

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
