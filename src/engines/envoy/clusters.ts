import { constructMetadata } from './construct-metadata';
import { renderCircuitBreakers, renderHealthCheck, renderOutlierDetection } from './failover';
import { renderClusterLoadBalancing } from './load-balancing';
import { upstreamMeshTls, upstreamPublicTls } from './tls';
import { COLLECTOR_CLUSTER } from './tracing';
import { Address, Cluster, HttpProtocolOptions, RawBuffer, TypedExtension, TYPE_URL } from './types';
import { ClusterPlan, SecurityPlan, SidecarPlan, TracingPlan } from '../../plan/types';
import { isHttp2, Protocol } from '../../protocol';
import { TlsVersion } from '../../security/mtls';
import { LoadBalancingSpec } from '../../traffic/load-balancer';

/** Name of the cluster that reaches the local application. */
export const APP_CLUSTER = '_app';
/** Name of the cluster that reaches Envoy's own admin interface. */
export const ADMIN_CLUSTER = '_admin';

/** The clusters a sidecar loads from its CDS file: each upstream version, the hosts JWKS are fetched from, the trace collector. */
export function renderClusters(plan: SidecarPlan): Cluster[] {
  const clusters: Cluster[] = [];
  const named = new Set<string>();
  for (const upstream of plan.upstreams) {
    // A version reached through two upstreams (one routes to the other) is one cluster.
    for (const cluster of upstream.clusters.filter(c => !named.has(c.name))) {
      named.add(cluster.name);
      clusters.push(upstreamCluster(cluster, upstream.protocol, upstream.loadBalancing, plan.security));
    }
  }
  for (const jwks of plan.security.jwt?.jwksClusters ?? []) {
    clusters.push({ ...publicHostCluster(jwks.name, jwks.host, jwks.port, plan.security.tlsMinimumVersion), ...constructMetadata(jwks.source) });
  }
  if (plan.tracing) clusters.push(collectorCluster(plan.tracing));
  return clusters;
}

/** The clusters in the static bootstrap: the application and the admin interface, on loopback; they change only with the pod. */
export function staticClusters(plan: SidecarPlan): Cluster[] {
  return [staticCluster(APP_CLUSTER, plan.app.port, plan.app.protocol), staticCluster(ADMIN_CLUSTER, plan.ports.admin, Protocol.HTTP)]
    .map(cluster => ({ ...cluster, ...constructMetadata(plan.source) }));
}

export function socketAddress(address: string, port: number): Address {
  return { socket_address: { address, port_value: port } };
}

function staticCluster(name: string, port: number, protocol: Protocol): Cluster {
  return {
    name,
    type: 'STATIC',
    connect_timeout: '1s',
    lb_policy: 'ROUND_ROBIN',
    load_assignment: {
      cluster_name: name,
      endpoints: [{ lb_endpoints: [{ endpoint: { address: socketAddress('127.0.0.1', port) } }] }],
    },
    ...protocolOptions(protocol),
  };
}

/** The OpenTelemetry collector: OTLP over plaintext gRPC, to every address of its Service name. */
function collectorCluster(tracing: TracingPlan): Cluster {
  return {
    name: COLLECTOR_CLUSTER,
    ...constructMetadata(tracing.source),
    type: 'STRICT_DNS',
    connect_timeout: '1s',
    dns_lookup_family: 'V4_PREFERRED',
    lb_policy: 'ROUND_ROBIN',
    load_assignment: {
      cluster_name: COLLECTOR_CLUSTER,
      endpoints: [{ lb_endpoints: [{ endpoint: { address: socketAddress(tracing.collectorHost, tracing.collectorPort) } }] }],
    },
    ...protocolOptions(Protocol.GRPC),
  };
}

/** A host outside the mesh reached over TLS, for example a JWKS endpoint. */
function publicHostCluster(name: string, host: string, port: number, tlsMinimumVersion: TlsVersion): Cluster {
  return {
    name,
    type: 'LOGICAL_DNS',
    connect_timeout: '5s',
    dns_lookup_family: 'V4_PREFERRED',
    lb_policy: 'ROUND_ROBIN',
    load_assignment: {
      cluster_name: name,
      endpoints: [{ lb_endpoints: [{ endpoint: { address: socketAddress(host, port) } }] }],
    },
    transport_socket: upstreamPublicTls(host, tlsMinimumVersion),
  };
}

function upstreamCluster(plan: ClusterPlan, protocol: Protocol, lb: LoadBalancingSpec, security: SecurityPlan): Cluster {
  const priorities = [...new Set(plan.endpoints.map(e => e.priority))].sort((a, b) => a - b);
  const meshTls = plan.tls && security.mtls !== 'DISABLED'
    ? upstreamMeshTls(security.tlsMinimumVersion, security.trustBundle, plan.tls.sni, plan.tls.spiffeIds, isHttp2(protocol) ? ['h2'] : [])
    : undefined;
  const externals = plan.endpoints.filter(e => e.external);
  const httpProbe = plan.healthCheck?.probe.kind === 'http';
  return {
    name: plan.name,
    ...constructMetadata(plan.source),
    type: 'STRICT_DNS',
    connect_timeout: '1s',
    // Envoy re-resolves every 5 s by default (`dns_refresh_rate`), ignoring the records' TTL (`respect_dns_ttl`).
    dns_lookup_family: 'V4_PREFERRED',
    ...renderClusterLoadBalancing(lb),
    ...(plan.outlierDetection && { outlier_detection: renderOutlierDetection(plan.outlierDetection) }),
    ...(plan.circuitBreaker && { circuit_breakers: renderCircuitBreakers(plan.circuitBreaker) }),
    ...(plan.healthCheck && { health_checks: [renderHealthCheck(plan.healthCheck)] }),
    load_assignment: {
      cluster_name: plan.name,
      endpoints: priorities.map(priority => ({
        ...(priority > 0 && { priority }),
        lb_endpoints: plan.endpoints.filter(e => e.priority === priority).map(e => ({
          endpoint: {
            address: socketAddress(e.host, e.port),
            // What auto_host_rewrite sends as Host to this endpoint (RouteAction.auto_host_rewrite, Endpoint.hostname).
            ...(plan.rewriteHost && e.hostname && { hostname: e.hostname }),
            // An HTTP probe's Host: the endpoint's health_check_config.hostname, else the health check's host, else the
            // cluster's name (Envoy's HealthCheckerFactory::getHostname): each group is probed under its own name.
            ...(httpProbe && e.hostname && { health_check_config: { hostname: e.hostname } }),
          },
          ...(e.weight !== undefined && { load_balancing_weight: e.weight }),
          ...(e.external && { metadata: { filter_metadata: { [SOCKET_MATCH]: { external: `${e.host}:${e.port}` } } } }),
        })),
      })),
    },
    ...protocolOptions(protocol),
    ...(meshTls && { transport_socket: meshTls }),
    ...(externals.length > 0 && {
      transport_socket_matches: externals.map(e => ({
        name: `external-${e.host}:${e.port}`,
        match: { external: `${e.host}:${e.port}` },
        transport_socket: e.external!.tls ? upstreamPublicTls(e.host, security.tlsMinimumVersion, isHttp2(protocol) ? ['h2'] : []) : RAW_BUFFER,
      })),
    }),
  };
}

/** Endpoint metadata key that selects a cluster's transport socket per endpoint. */
const SOCKET_MATCH = 'envoy.transport_socket_match';

/** Plaintext, for hosts outside the mesh that speak no TLS. */
const RAW_BUFFER: TypedExtension<RawBuffer> = {
  name: 'envoy.transport_sockets.raw_buffer',
  typed_config: { '@type': `${TYPE_URL}envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer` },
};

/** HTTP/2 on the wire for HTTP/2 and gRPC upstreams; Envoy's HTTP/1.1 default otherwise. */
function protocolOptions(protocol: Protocol): Pick<Cluster, 'typed_extension_protocol_options'> {
  if (!isHttp2(protocol)) return {};
  const options: HttpProtocolOptions = {
    '@type': `${TYPE_URL}envoy.extensions.upstreams.http.v3.HttpProtocolOptions`,
    'explicit_http_config': { http2_protocol_options: {} },
  };
  return { typed_extension_protocol_options: { 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': options } };
}
