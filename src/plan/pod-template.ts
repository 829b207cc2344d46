import type * as kplus from 'cdk8s-plus-27';
import { CallDeclaration, WorkloadHandle } from '../model/declarations';
import { calledFrom, firstCallPerUpstream, ServiceModel } from '../model/mesh-model';
import type { JwksSource } from '../security/jwks-source';
import { jwksDir } from '../security/security-plan';
import { reservedPorts } from '../service-checks';
import { aliasesOf, capturedUpstreamVariables, loopbackAddress, upstreamVariables } from '../traffic/upstream-address';

/** What the mesh adds to every pod template of a service, derived once from the complete graph. */
export interface PodTemplatePlan {
  /** Each upstream's loopback address, the names that resolve to it, its listener port and its variables, in declaration order. */
  readonly upstreams: UpstreamAddressPlan[];
  /** Edge listener ports of the sidecar, with their server certificates. */
  readonly edges: Array<{ readonly port: number; readonly tlsSecret?: kplus.ISecret }>;
  /** The lowest port below 1024 any container of the pod binds, if one does: it needs `net.ipv4.ip_unprivileged_port_start`. */
  readonly unprivilegedPortStart?: number;
  /** JWKS sources of the service's providers, mounted when their keys are files, by directory in the sidecar. */
  readonly jwks: Array<{ readonly dir: string; readonly volumeId: string; readonly source: JwksSource }>;
}

/** Where an application finds one upstream. */
export interface UpstreamAddressPlan {
  /** The sidecar's loopback address for it, which `hostnames` resolve to; none where another engine's proxy captures calls. */
  readonly address?: string;
  readonly hostnames: string[];
  readonly port: number;
  readonly variables: Record<string, string>;
}

/**
 * The pod template additions of one version of a service (its instance pools
 * included): only the calls its version makes (`CallOptions.fromVersions`)
 * get an address in its pods.
 */
export function planPodTemplate(service: ServiceModel, version: string): PodTemplatePlan {
  const ownNamespace = service.service.namespace;
  const reserved = reservedPorts(service);
  const ports = new Set<number>();
  const upstreams = wiredCalls(service, version).map(({ upstream, options }) => ({
    address: loopbackAddress(upstream.namespace, upstream.name),
    hostnames: aliasesOf(upstream, ownNamespace),
    port: options.localPort ?? upstream.port,
    variables: upstreamVariables(upstream, options),
  }));
  const edges = service.exposures.filter(e => !reserved.has(e.port) && !ports.has(e.port) && !!ports.add(e.port))
    .map(({ port, tlsSecret }) => ({ port, tlsSecret }));
  const { admin, inbound, stats } = service.service.mesh._ports;
  const bound = [...upstreams.map(u => u.port), ...edges.map(e => e.port), admin, inbound, stats, service.service.appPort];
  const lowest = Math.min(...bound);
  return {
    upstreams,
    edges,
    ...(lowest < 1024 && { unprivilegedPortStart: lowest }),
    jwks: [...new Map(service.jwtProviders.filter(j => j.jwks !== undefined)
      .map(j => [j.providerName, { dir: jwksDir(j.providerName), volumeId: `jwks-${j.providerName}`, source: j.jwks }])).values()],
  };
}

/**
 * The pod template additions of one version of a service whose proxy is
 * another engine's, which captures calls to the upstreams' own addresses: no
 * host aliases, and each address variable names the upstream and its own
 * port (a `localPort` is the static sidecar's, and ignored with a note).
 */
export function planCapturedPodTemplate(service: ServiceModel, version: string): PodTemplatePlan {
  const appPort = service.service.appPort;
  return {
    upstreams: wiredCalls(service, version).map(({ upstream, options }) => ({
      hostnames: [],
      port: upstream.port,
      variables: capturedUpstreamVariables(upstream, options),
    })),
    edges: [],
    jwks: [],
    ...(appPort < 1024 && { unprivilegedPortStart: appPort }),
  };
}

/** Adds the plan to a workload's pod template (host aliases, variables, ports, mounts). */
export function applyPodTemplate(workload: WorkloadHandle, plan: PodTemplatePlan): void {
  for (const upstream of plan.upstreams) workload.addUpstream(upstream.address, upstream.hostnames, upstream.variables);
  if (plan.unprivilegedPortStart !== undefined) workload.allowUnprivilegedPortsFrom(plan.unprivilegedPortStart);
  for (const edge of plan.edges) workload.addEdgePort(edge.port, edge.tlsSecret);
  for (const jwks of plan.jwks) {
    const volume = jwks.source._volume(workload.pods, jwks.volumeId); // undefined for remote keys
    if (volume) workload.mountIntoProxy(jwks.dir, volume);
  }
}

/** The calls a version's pods are wired for: the first declaration per upstream of the same mesh, in declaration order. */
function wiredCalls(service: ServiceModel, version: string): CallDeclaration[] {
  return firstCallPerUpstream(service).filter(({ upstream, options }) => upstream.mesh === service.service.mesh && calledFrom(options, version));
}
