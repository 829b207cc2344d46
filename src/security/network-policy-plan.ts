import { EdgeSource, isAnySource } from './edge-peer';
import { MtlsMode } from './mtls';
import { SERVICE_LABEL, VERSION_LABEL } from '../model/labels';
import { callingVersions, ServiceModel, sortServices } from '../model/mesh-model';

/** The ingress a mesh service's pods accept; everything else is refused. */
export interface NetworkPolicyPlan {
  /** Labels selecting the service's pods. */
  readonly podLabels: Record<string, string>;
  /** The sidecar's inbound port: open to the callers below. */
  readonly inboundPort: number;
  /**
   * Pods whose sidecars call the service (a caller's calling versions only,
   * when it calls `fromVersions`); undefined opens the port to any source (PERMISSIVE mTLS).
   */
  readonly callers?: Array<{ readonly namespace: string; readonly podLabels: Record<string, string> }>;
  /** The metrics ports of the proxy (one per shard of the mesh's own sidecar): open to the monitoring namespace only. */
  readonly statsPorts: number[];
  /** Metrics ports of the application itself (`MonitoredWorkload.metricsPort`), also open to the monitoring namespace. */
  readonly appMetricsPorts: number[];
  readonly monitoringNamespace: string;
  /** Ports opened explicitly to callers outside the mesh. */
  readonly edges: Array<{ readonly port: number; readonly peer?: EdgeSource }>;
  /** Where the pods may connect to, when egress is restricted. */
  readonly egress?: EgressPlan;
}

/** The only connections a mesh pod may open when egress is restricted. */
export interface EgressPlan {
  /** Pods of the mesh services the sidecar sends to (on their inbound port). */
  readonly services: Array<{ readonly namespace: string; readonly podLabels: Record<string, string> }>;
  /** Ports of hosts outside the mesh (backups, JWKS, the trace collector), open to any address: a NetworkPolicy cannot name DNS names. */
  readonly externalPorts: number[];
  /** Hosts outside the cluster whose addresses the user gave, on their port. */
  readonly externalRanges: Array<{ readonly cidrs: string[]; readonly port: number }>;
  /** Services of the cluster outside the mesh: their pods (all the namespace's without a selector), on their target port. */
  readonly clusterServices: Array<{ readonly namespace: string; readonly podLabels?: Record<string, string>; readonly port: number | string }>;
}

/**
 * The connections a service's pods accept (and, with restricted egress,
 * open); `sidecarStatsPorts` are those of the mesh's own sidecar, when it
 * runs more than its one stats port (engines/envoy/shards.ts).
 */
export function planNetworkPolicy(service: ServiceModel, sidecarStatsPorts?: number[]): NetworkPolicyPlan {
  const mesh = service.service.mesh;
  // Other engines' proxies receive callers on the application's port, and serve metrics on a port of their own.
  const staticEnvoy = mesh.engine._translator.ownsSidecar;
  return {
    podLabels: podLabels(service),
    inboundPort: staticEnvoy ? mesh._ports.inbound : service.service.appPort,
    ...(mesh.mtls !== MtlsMode.PERMISSIVE && {
      callers: service.callers.flatMap(c => {
        const versions = callingVersions(c, service);
        const peer = (labels: Record<string, string>) => ({ namespace: c.service.namespace, podLabels: labels });
        return versions === undefined ? [peer(podLabels(c))] : versions.map(v => peer({ ...podLabels(c), [VERSION_LABEL]: v }));
      }),
    }),
    statsPorts: staticEnvoy ? sidecarStatsPorts ?? [mesh._ports.stats] : [mesh.engine._translator.metricsEndpoint!.port!],
    appMetricsPorts: [...new Set(service.monitors.flatMap(m => (m.metricsPort === undefined ? [] : [m.metricsPort])))].sort((a, b) => a - b),
    monitoringNamespace: mesh.monitoringNamespace,
    edges: service.exposures.map(e => ({
      port: staticEnvoy ? e.port : service.service.appPort,
      ...(!isAnySource(e.peer._source) && { peer: e.peer._source }),
    })),
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
