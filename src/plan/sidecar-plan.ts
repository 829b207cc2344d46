import { SidecarPlan, UpstreamPlan } from './types';
import { planCluster, reachesHostOutsideMesh, withHostRewrite } from '../failover/cluster-plan';
import { faultSpec } from '../failover/fault-injection';
import { CallModel, ServiceModel } from '../model/mesh-model';
import { latencyBuckets } from '../monitoring/buckets';
import { MtlsMode } from '../security/mtls';
import { planAuthorization, planJwt } from '../security/security-plan';
import { planExternalUpstream } from '../traffic/external-plan';
import { planRateLimits } from '../traffic/rate-limit-plan';
import { planRoutes } from '../traffic/route-plan';
import { loopbackAddress } from '../traffic/upstream-address';

/** What one service's sidecar must do, from the model of the complete graph. Pure. */
export function planSidecar(service: ServiceModel): SidecarPlan {
  const { name, namespace, appPort, protocol, mesh } = service.service;
  const thresholds = service.monitors.flatMap(m => m.latencyThresholdsMs).filter(ms => ms > 0 && Number.isFinite(ms));
  const jwt = planJwt(service);
  const rateLimits = planRateLimits(service);
  return {
    source: service.service.node.path,
    service: name,
    namespace,
    ports: mesh._ports,
    app: { port: appPort, protocol },
    upstreams: [...service.calls.map(planUpstream), ...service.externalCalls.map(planExternalUpstream)].sort((a, b) => a.name.localeCompare(b.name)),
    accessLogs: mesh.accessLogs,
    ...(thresholds.length > 0 && { latencyBucketsMs: latencyBuckets(thresholds) }),
    ...(rateLimits && { rateLimits }),
    ...(mesh.tracing && { tracing: { ...mesh.tracing._spec(), source: mesh.node.path } }),
    security: {
      mtls: mesh.mtls,
      tlsMinimumVersion: mesh.tlsMinimumVersion,
      trustBundle: mesh.trustBundle !== undefined,
      ...(mesh.mtls !== MtlsMode.DISABLED && { authorization: planAuthorization(service) }),
      edges: uniqueExposures(service).map(e => ({ port: e.port, tls: e.tlsSecret !== undefined })),
      ...(jwt && { jwt }),
    },
  };
}

/** What a caller's sidecar does for one call: where it listens, how it routes, the clusters it sends to. */
function planUpstream(call: CallModel): UpstreamPlan {
  const { upstream, options, failover } = call;
  const { name, namespace, port, protocol, loadBalancer } = upstream.service;
  const clusters = call.clusters.map(planCluster);
  return {
    source: call.caller.service.node.path,
    upstreamSource: upstream.service.node.path,
    name,
    protocol,
    listen: { address: loopbackAddress(namespace, name), port: options.localPort ?? port },
    // A backup host outside the mesh gets its own name as Host, and so, then, do the service's pods.
    ...withHostRewrite(reachesHostOutsideMesh(clusters), clusters, planRoutes(call)),
    loadBalancing: (options.loadBalancer ?? loadBalancer)._spec(),
    ...(failover.fault && { fault: faultSpec(failover.fault) }),
  };
}

/** Exposures with distinct ports (the last declared per port), sorted by port. */
function uniqueExposures(service: ServiceModel) {
  return [...new Map(service.exposures.map(e => [e.port, e])).values()].sort((a, b) => a.port - b.port);
}
