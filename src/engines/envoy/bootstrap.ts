import { ADMIN_CLUSTER, renderClusters, socketAddress, staticClusters } from './clusters';
import { discoveryFile, fileSource, resourceJson, withVersion } from './files';
import { CONTROL_HEADER_STRIP_FILE, controlHeaderStrip } from './http-filters';
import { rdsFile, renderListeners, renderOutboundListeners, renderRouteConfigurations, statsListener } from './listeners';
import { BOOTSTRAP_FILE } from './paths';
import { Bootstrap, DiscoveryFile, TYPE_URL } from './types';
import { SidecarPlan } from '../../plan/types';

/** The LDS and CDS files of a sidecar, beside its bootstrap. */
export const LDS_FILE = 'lds.json';
export const CDS_FILE = 'cds.json';

/** Connections one sidecar accepts at once, over all its listeners (the figure of Envoy's edge example). */
const MAX_DOWNSTREAM_CONNECTIONS = 50_000;

/**
 * Every file of one sidecar's configuration, by ConfigMap key: the static
 * bootstrap, which changes only with the pod (sidecar ports, the application's
 * port, mesh-wide settings), and the LDS, CDS, RDS and ECDS files Envoy
 * reloads at run time, which share one `version_info` (`withVersion`). Pure:
 * the same plan always gives the same files, and only the service's own
 * upstreams appear in them, so their size does not grow with the mesh.
 */
export function renderSidecarFiles(plan: SidecarPlan): Record<string, object> {
  return { [BOOTSTRAP_FILE]: renderBootstrap(plan), ...withVersion(renderDiscoveryFiles(plan)) };
}

/**
 * The LDS, CDS, RDS and ECDS files of a sidecar, before their version. An
 * `outboundOnly` sidecar (a shard of a sidecar, `shards.ts`) has only the
 * listeners of the plan's upstreams, their clusters and routes, and the
 * tracing collector: the service's own listeners are another's.
 */
export function renderDiscoveryFiles(plan: SidecarPlan, outboundOnly = false): Record<string, DiscoveryFile<object>> {
  const routes = renderRouteConfigurations(plan);
  const clusters = outboundOnly ? renderClusters({ ...plan, security: { ...plan.security, jwt: undefined } }) : renderClusters(plan);
  return {
    [LDS_FILE]: discoveryFile('envoy.config.listener.v3.Listener', outboundOnly ? renderOutboundListeners(plan) : renderListeners(plan)),
    [CDS_FILE]: discoveryFile('envoy.config.cluster.v3.Cluster', clusters),
    ...Object.fromEntries(routes.map(route => [rdsFile(route.name), discoveryFile('envoy.config.route.v3.RouteConfiguration', [route])])),
    // The outbound HTTP listeners share one strip of control headers.
    ...(routes.length > 0 && { [CONTROL_HEADER_STRIP_FILE]: discoveryFile('envoy.config.core.v3.TypedExtensionConfig', [controlHeaderStrip()]) }),
  };
}

/**
 * The static bootstrap of one sidecar: what cannot change without restarting
 * it, and where the rest is read from. An `outboundOnly` sidecar reaches no
 * application: its only static cluster is its admin interface.
 */
export function renderBootstrap(plan: SidecarPlan, outboundOnly = false): Bootstrap {
  return {
    node: { id: `${plan.service}.${plan.namespace}`, cluster: plan.service },
    admin: { address: socketAddress('127.0.0.1', plan.ports.admin) },
    static_resources: {
      listeners: [statsListener(plan)],
      clusters: staticClusters(plan).filter(cluster => !outboundOnly || cluster.name === ADMIN_CLUSTER),
    },
    dynamic_resources: { lds_config: fileSource(LDS_FILE), cds_config: fileSource(CDS_FILE) },
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

/**
 * A configuration file as the text of its ConfigMap key. A discovery file
 * (LDS, CDS, RDS, SDS) holds its version, if any, on the first line, then one
 * compact resource per line: a change shows in a diff as the lines of the
 * resources it touches (and the versions), and a sidecar with many
 * upstreams stays far below the ConfigMap limits. The bootstrap is indented.
 */
export function serializeFile(file: object): string {
  const { resources, version_info: version } = file as Partial<DiscoveryFile<object>>;
  if (!Array.isArray(resources)) return JSON.stringify(file, undefined, 2) + '\n';
  const versionLine = version === undefined ? '' : `"version_info": ${JSON.stringify(version)},\n`;
  return `{${versionLine}"resources": [\n${resources.map(resourceJson).join(',\n')}\n]}\n`;
}
