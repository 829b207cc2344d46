import { ServiceModel, sortServices } from '../model/mesh-model';
import { SERVICE_LABEL } from '../workload';
import { MtlsMode } from './mtls';
import { EgressPlan, NetworkPolicyPlan } from '../engines/kubernetes/network-policy';

/** The connections a service's pods accept (and, with restricted egress, open). */
export function planNetworkPolicy(service: ServiceModel): NetworkPolicyPlan {
  const mesh = service.service.mesh;
  // Other engines' proxies receive callers on the application's port, and serve metrics on a port of their own.
  const staticEnvoy = mesh.engine._translator.ownsSidecar;
  return {
    podLabels: podLabels(service),
    inboundPort: staticEnvoy ? mesh._ports.inbound : service.service.appPort,
    ...(mesh.mtls !== MtlsMode.PERMISSIVE && {
      callers: service.callers.map(c => ({ namespace: c.service.namespace, podLabels: podLabels(c) })),
    }),
    statsPort: staticEnvoy ? mesh._ports.stats : mesh.engine._translator.metricsEndpoint!.port!,
    appMetricsPorts: [...new Set(service.monitors.flatMap(m => (m.metricsPort === undefined ? [] : [m.metricsPort])))].sort((a, b) => a - b),
    monitoringNamespace: mesh.monitoringNamespace,
    edges: service.exposures.map(e => ({ port: staticEnvoy ? e.port : service.service.appPort, ...(e.peer._peer && { peer: e.peer._peer }) })),
    // On Istio, restricted egress is the Sidecar resource's REGISTRY_ONLY policy.
    ...(mesh.restrictEgress && staticEnvoy && { egress: planEgress(service) }),
  };
}

/** What the pods connect to: the services their calls reach (routes and backups included), external hosts, the trace collector and DNS. */
function planEgress(service: ServiceModel): EgressPlan {
  const reached = sortServices([...new Set(service.calls.flatMap(call => call.reached))]);
  const externalPorts = [
    ...service.calls.flatMap(call => call.clusters.flatMap(c => c.backups.flatMap(b => (b.host ? [b.host.port] : [])))),
    ...service.jwtProviders.flatMap(j => (j.jwks?._remote ? [j.jwks._remote.port] : [])),
    ...(service.service.mesh.tracing ? [service.service.mesh.tracing._spec().collectorPort] : []),
    ...service.externalCalls.flatMap(({ external }) => (external.failover.backup?._host ? [external.failover.backup._host.port] : [])),
  ];
  const endpoints = service.externalCalls.map(({ external }) => external._endpoint);
  const hosts = endpoints.filter(e => !e.service);
  return {
    services: reached.map(s => ({ namespace: s.service.namespace, podLabels: podLabels(s) })),
    externalPorts: [...new Set([...externalPorts, ...hosts.filter(e => e.cidrs.length === 0).map(e => e.port)])].sort((a, b) => a - b),
    externalRanges: hosts.filter(e => e.cidrs.length > 0).map(({ cidrs, port }) => ({ cidrs, port })),
    clusterServices: endpoints.flatMap(({ service: s }) => (s ? [{ namespace: s.namespace, ...s.pods() }] : [])),
  };
}

function podLabels(service: ServiceModel): Record<string, string> {
  return { [SERVICE_LABEL]: service.service.name };
}
