import { ApiObject } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-27';
import { ServiceModel, sortServices } from '../model/mesh-model';
import { SERVICE_LABEL } from '../workload';
import { MtlsMode } from './mtls';
import { EgressPlan, NetworkPolicyPlan } from './network-policy';

/** The connections a service's pods accept (and, with restricted egress, open). */
export function planNetworkPolicy(service: ServiceModel): NetworkPolicyPlan {
  const mesh = service.service.mesh;
  return {
    podLabels: podLabels(service),
    inboundPort: mesh._ports.inbound,
    ...(mesh.mtls !== MtlsMode.PERMISSIVE && {
      callers: service.callers.map(c => ({ namespace: c.service.namespace, podLabels: podLabels(c) })),
    }),
    statsPort: mesh._ports.stats,
    appMetricsPorts: [...new Set(service.monitors.flatMap(m => (m.metricsPort === undefined ? [] : [m.metricsPort])))].sort((a, b) => a - b),
    monitoringNamespace: mesh.monitoringNamespace,
    edges: service.exposures.map(e => ({ port: e.port, ...(e.peer._peer && { peer: e.peer._peer }) })),
    ...(mesh.restrictEgress && { egress: planEgress(service) }),
  };
}

/** What the pods connect to: the services their calls reach (routes and backups included), external hosts, the trace collector and DNS. */
function planEgress(service: ServiceModel): EgressPlan {
  const reached = sortServices([...new Set(service.calls.flatMap(call => call.reached))]);
  const externalPorts = [
    ...service.calls.flatMap(call => call.clusters.flatMap(c => c.backups.flatMap(b => (b.host ? [b.host.port] : [])))),
    ...service.jwtProviders.flatMap(j => (j.jwks?._remote ? [j.jwks._remote.port] : [])),
    ...(service.service.mesh.tracing ? [service.service.mesh.tracing._spec().collectorPort] : []),
  ];
  const endpoints = service.externalCalls.map(({ external }) => external.endpoint._spec(external.mesh.clusterDomain));
  const hosts = endpoints.filter(e => !e.service);
  return {
    services: reached.map(s => ({ namespace: s.service.namespace, podLabels: podLabels(s) })),
    externalPorts: [...new Set([...externalPorts, ...hosts.filter(e => e.cidrs.length === 0).map(e => e.port)])].sort((a, b) => a - b),
    externalRanges: hosts.filter(e => e.cidrs.length > 0).map(({ cidrs, port }) => ({ cidrs, port })),
    clusterServices: endpoints.flatMap(({ service: s, port }) => (s ? [{ namespace: s.namespace, ...servicePods(s.object, port) }] : [])),
  };
}

/**
 * The pods behind a Service and the port they listen on, read from the
 * rendered Service (cdk8s-plus keeps its selector private): the Service's
 * `targetPort` for `port` if it is a number, else `port`.
 */
function servicePods(service: kplus.Service, port: number): { podLabels?: Record<string, string>; port: number } {
  const spec = ApiObject.of(service).toJson().spec ?? {};
  const target = (spec.ports ?? []).find((p: { port: number }) => p.port === port)?.targetPort;
  return { ...(spec.selector && { podLabels: spec.selector }), port: typeof target === 'number' ? target : port };
}

function podLabels(service: ServiceModel): Record<string, string> {
  return { [SERVICE_LABEL]: service.service.name };
}
