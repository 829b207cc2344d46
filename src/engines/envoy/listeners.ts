import { stdoutAccessLog } from './access-log';
import { ADMIN_CLUSTER, APP_CLUSTER, socketAddress } from './clusters';
import { constructMetadata } from './construct-metadata';
import { envoyMillis } from './duration';
import { renderFaultFilter, renderRetryPolicy } from './failover';
import { discoveredFileSource } from './files';
import { ENVOY_CONTROL_HEADERS, jwtFilters, removeRequestHeaders, SHARED_CONTROL_HEADER_STRIP } from './http-filters';
import { renderRouteHashPolicy, renderTcpHashPolicy } from './load-balancing';
import { millionths } from './percent';
import { applicationRoutes, rateLimitFilter } from './rate-limit';
import { httpRbacFilter, networkRbacFilter } from './rbac';
import { downstreamTls, edgeTls } from './tls';
import { renderTracing } from './tracing';
import {
  ClusterOrSplit, FilterChain, HttpConnectionManager, HttpFilter, HttpTracing, Listener, NetworkFilter, Route, RouteAction, RouteConfiguration,
  TcpHashPolicy, TcpProxy, TYPE_URL, TypedExtension,
} from './types';
import { EdgePlan, RoutePlan, SidecarPlan, SplitPlan, UpstreamPlan } from '../../plan/types';
import { isHttp, Protocol } from '../../protocol';
import { renderMatch } from '../../traffic/route-match';

const HCM = 'envoy.filters.network.http_connection_manager';
const TCP_PROXY = 'envoy.filters.network.tcp_proxy';

/** The listeners a sidecar loads from its LDS file: inbound, edges, and one per upstream. */
export function renderListeners(plan: SidecarPlan): Listener[] {
  return [
    inboundListener(plan),
    ...plan.security.edges.map(edge => edgeListener(plan, edge)),
    ...renderOutboundListeners(plan),
  ];
}

/** The listeners of the plan's upstreams, one each, where the application believes the upstream is. */
export function renderOutboundListeners(plan: SidecarPlan): Listener[] {
  return plan.upstreams.map(upstream => outboundListener(upstream, plan));
}

/**
 * The route configuration of each HTTP upstream, each in an RDS file of its
 * own: weights, matches, retries and timeouts change there, and reach open
 * connections without replacing the listener.
 */
export function renderRouteConfigurations(plan: SidecarPlan): RouteConfiguration[] {
  return plan.upstreams.filter(upstream => isHttp(upstream.protocol)).map(upstream => {
    const name = outboundName(upstream);
    return { name, virtual_hosts: [{ name, domains: ['*'], routes: upstream.routes.map(r => httpRoute(r, upstream)), ...constructMetadata(upstream.upstreamSource) }] };
  });
}

/** The RDS file of a route configuration, in the sidecar's ConfigMap. */
export function rdsFile(routeConfiguration: string): string {
  return `rds.${routeConfiguration}.json`;
}

/** The RDS file of the routes to the upstream named `upstream`. */
export function rdsFileOf(upstream: string): string {
  return rdsFile(`outbound_${upstream}`);
}

/**
 * Receives the mesh's traffic for this service and hands it to the
 * application on loopback: mutual TLS terminates here and callers are
 * authorized by identity. PERMISSIVE adds a plaintext chain (no identity, so
 * no authorization by it) for clients not yet in the mesh.
 */
function inboundListener(plan: SidecarPlan): Listener {
  const { mtls, tlsMinimumVersion, authorization } = plan.security;
  const http = isHttp(plan.app.protocol);
  const filters = (authorized: boolean): NetworkFilter[] => {
    const rbac = authorized && authorization;
    if (!http) return [...(rbac ? [networkRbacFilter(rbac)] : []), tcpProxy('inbound', { cluster: APP_CLUSTER }, plan.accessLogs)];
    const routes = applicationRoutes(plan.rateLimits, plan.app.protocol === Protocol.GRPC);
    const httpFilters = [...untrustedRequestFilters(plan), ...(rbac ? [httpRbacFilter(rbac)] : []), ...rateLimitFilters(plan)];
    return [httpConnectionManager('inbound', routes, { filters: httpFilters, ...observability(plan), untrusted: true, source: plan.source })];
  };
  const address = socketAddress('0.0.0.0', plan.ports.inbound);
  const trace = constructMetadata(plan.source);
  if (mtls === 'DISABLED') return { name: 'inbound', address, ...trace, filter_chains: [{ filters: filters(false) }] };

  const tlsChain: FilterChain = {
    filters: filters(true),
    transport_socket: downstreamTls(tlsMinimumVersion, plan.security.trustBundle, http ? ['h2', 'http/1.1'] : []),
  };
  if (mtls === 'STRICT') return { name: 'inbound', address, ...trace, filter_chains: [tlsChain] };
  return {
    name: 'inbound',
    address,
    ...trace,
    listener_filters: [{
      name: 'envoy.filters.listener.tls_inspector',
      typed_config: { '@type': `${TYPE_URL}envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector` },
    }],
    filter_chains: [{ ...tlsChain, filter_chain_match: { transport_protocol: 'tls' } }, { filters: filters(false) }],
  };
}

/** Serves callers outside the mesh that the service was opened to, on a port of its own. */
function edgeListener(plan: SidecarPlan, edge: EdgePlan): Listener {
  const name = `edge_${edge.port}`;
  const http = isHttp(plan.app.protocol);
  const filter = http
    ? httpConnectionManager(name, applicationRoutes(plan.rateLimits, plan.app.protocol === Protocol.GRPC, false),
      {
        filters: [...untrustedRequestFilters(plan), ...rateLimitFilters(plan)],
        ...observability(plan, { edge: true }),
        untrusted: true,
        source: plan.source,
        edge: { streaming: plan.app.protocol === Protocol.GRPC },
      })
    : tcpProxy(name, { cluster: APP_CLUSTER }, plan.accessLogs);
  return {
    name,
    address: socketAddress('0.0.0.0', edge.port),
    ...constructMetadata(plan.source),
    per_connection_buffer_limit_bytes: EDGE_BUFFER_LIMIT_BYTES,
    filter_chains: [{
      filters: [filter],
      ...(edge.tls && { transport_socket: edgeTls(edge.port, plan.security.tlsMinimumVersion, http ? ['h2', 'http/1.1'] : []) }),
    }],
  };
}

/**
 * The first HTTP filters for requests of other pods (inbound, edge): a strip of
 * the headers a client must not choose, then the JWT filter if the service
 * requires end-user tokens. jwt_authn adds claim headers next to any the client
 * sent and removes the client's only where a rule verifies a token
 * (`addJWTClaimToHeader` and `sanitizeHeaders` in Envoy's
 * source/extensions/filters/http/jwt_authn/), so without the strip a client
 * could forge them on every other path. HTTP filters decode in order, and
 * header_mutation applies its request mutations in `decodeHeaders`, so the
 * strip happens before jwt_authn writes the verified values.
 */
function untrustedRequestFilters(plan: SidecarPlan): HttpFilter[] {
  return [removeRequestHeaders([...ENVOY_CONTROL_HEADERS, ...plan.security.jwt?.headersWritten ?? []]), ...jwtFilters(plan)];
}

/**
 * Access logs and tracing of a sidecar's HTTP listeners, as the mesh sets
 * them. On edge listeners, clients outside the mesh cannot force a trace
 * with `x-client-trace-id` (`client_sampling` 0).
 */
function observability(plan: SidecarPlan, options: { edge?: boolean } = {}): Pick<HcmOptions, 'accessLogs' | 'tracing'> {
  return { accessLogs: plan.accessLogs, ...(plan.tracing && { tracing: renderTracing(plan.tracing, plan.service, options) }) };
}

/** The rate-limit filter, last before the router (denied requests spend no tokens), when the service has limits. */
function rateLimitFilters(plan: SidecarPlan): HttpFilter[] {
  return plan.rateLimits ? [rateLimitFilter()] : [];
}

/** Exposes only `/stats/prometheus` and `/ready` of the admin interface, which stays on loopback. */
export function statsListener(plan: SidecarPlan): Listener {
  const routes: Route[] = ['/stats/prometheus', '/ready'].map(path => ({
    match: { path },
    route: { cluster: ADMIN_CLUSTER },
  }));
  return {
    name: 'stats',
    address: socketAddress('0.0.0.0', plan.ports.stats),
    ...constructMetadata(plan.source),
    filter_chains: [{ filters: [httpConnectionManager('stats', routes, { source: plan.source })] }],
  };
}

/** Listens where the application believes the upstream is, and routes to its clusters. */
function outboundListener(upstream: UpstreamPlan, plan: SidecarPlan): Listener {
  const { accessLogs } = plan;
  const statPrefix = outboundName(upstream);
  const tcpHashPolicy = renderTcpHashPolicy(upstream.loadBalancing);
  const filter = isHttp(upstream.protocol)
    ? httpConnectionManager(statPrefix, { rds: statPrefix }, {
      filters: [SHARED_CONTROL_HEADER_STRIP, ...(upstream.fault ? [renderFaultFilter(upstream.fault)] : [])], ...observability(plan),
    })
    : tcpProxy(statPrefix, {
      ...clusterOrSplit(upstream.routes[upstream.routes.length - 1].split),
      ...(tcpHashPolicy && { hash_policy: tcpHashPolicy }),
    }, accessLogs);
  return {
    name: statPrefix,
    address: socketAddress(upstream.listen.address, upstream.listen.port),
    ...constructMetadata(upstream.source),
    filter_chains: [{ filters: [filter] }],
  };
}

function outboundName(upstream: { readonly name: string }): string {
  return `outbound_${upstream.name}`;
}

function httpRoute(route: RoutePlan, upstream: UpstreamPlan): Route {
  const hashPolicy = renderRouteHashPolicy(upstream.loadBalancing);
  const action: RouteAction = {
    ...clusterOrSplit(route.split),
    ...(route.timeoutMs !== undefined && { timeout: envoyMillis(route.timeoutMs) }),
    ...(route.idleTimeoutMs !== undefined && { idle_timeout: envoyMillis(route.idleTimeoutMs) }),
    ...(route.retry && { retry_policy: renderRetryPolicy(route.retry) }),
    ...(route.mirror && {
      request_mirror_policies: [{ cluster: route.mirror.cluster, runtime_fraction: { default_value: millionths(route.mirror.percent) } }],
    }),
    ...(hashPolicy && { hash_policy: hashPolicy }),
    // A host outside the mesh serves its own name (virtual hosting, CDNs), not the alias the application called.
    ...(route.rewriteHost && { auto_host_rewrite: true }),
  };
  const set = Object.entries(route.headersToSet ?? {});
  return {
    match: renderMatch(route.match),
    route: action,
    ...constructMetadata(route.source),
    ...(set.length > 0 && {
      request_headers_to_add: set.map(([key, value]) => ({ header: { key, value }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' as const })),
    }),
    ...(route.headersToRemove?.length && { request_headers_to_remove: route.headersToRemove }),
  };
}

/** A single cluster, or weighted clusters when traffic is split. */
function clusterOrSplit(split: SplitPlan[]): ClusterOrSplit {
  const targets = split.filter(t => t.weight > 0);
  if (targets.length === 1) return { cluster: targets[0].cluster };
  return { weighted_clusters: { clusters: targets.map(t => ({ name: t.cluster, weight: t.weight })) } };
}

interface HcmOptions {
  /** HTTP filters before the router. */
  readonly filters?: HttpFilter[];
  readonly accessLogs?: boolean;
  /** A span per request, and the trace id in access logs. */
  readonly tracing?: HttpTracing;
  /** Path of the construct an inline virtual host belongs to. */
  readonly source?: string;
  /** Requests come from other pods (inbound, edge), not from the application. */
  readonly untrusted?: boolean;
  /** Callers outside the mesh: Envoy's edge settings; `streaming` (gRPC) gets no whole-request timeout. */
  readonly edge?: { readonly streaming: boolean };
}

/**
 * Limits for callers outside the mesh, after Envoy's "Configuring Envoy as an
 * edge proxy" best practices (docs/root/configuration/best_practices/edge.rst):
 * 32 KiB of buffer per connection, 10 s to send the headers, a stream idle for
 * 5 min or a request running 5 min (not for gRPC, whose streams live long) is
 * closed, and an idle connection after 1 h.
 */
const EDGE_BUFFER_LIMIT_BYTES = 32_768;
const EDGE_TIMEOUTS = { requestHeaders: '10s', streamIdle: '300s', request: '300s', connectionIdle: '3600s' };

/**
 * HTTP/2 limits on every listener, which protect Envoy itself: at most 100
 * concurrent streams per connection, 64 KiB stream and 1 MiB connection flow
 * control windows (Envoy's defaults since 1.36 are 1,024 streams, a 16 MiB
 * stream and a 24 MiB connection window; 2^31-1 and 256 MiB before).
 * Request headers keep Envoy's 60 KiB limit (`max_request_headers_kb`).
 */
const HTTP2_LIMITS = { max_concurrent_streams: 100, initial_stream_window_size: 65_536, initial_connection_window_size: 1_048_576 };

/**
 * An HTTP connection manager with its routes inline (they only reach the
 * application or the admin interface, static clusters), or from the RDS file
 * of the route configuration named `rds`.
 */
function httpConnectionManager(
  statPrefix: string, routes: Route[] | { readonly rds: string }, options: HcmOptions = {},
): TypedExtension<HttpConnectionManager> {
  const { filters = [], accessLogs = false, untrusted = false, edge, tracing, source } = options;
  return {
    name: HCM,
    typed_config: {
      '@type': `${TYPE_URL}envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager`,
      'stat_prefix': statPrefix,
      ...(accessLogs && { access_log: stdoutAccessLog(statPrefix, { traceId: !!tracing }) }),
      'codec_type': 'AUTO',
      // Headers with underscores are dropped from requests of other pods, so that `x_user_id` cannot pass for
      // `x-user-id` in applications (and proxies such as nginx or CGI) that treat '_' and '-' alike.
      ...(untrusted && {
        common_http_protocol_options: { headers_with_underscores_action: 'DROP_HEADER', ...(edge && { idle_timeout: EDGE_TIMEOUTS.connectionIdle }) },
      }),
      'http2_protocol_options': HTTP2_LIMITS,
      ...(edge && {
        // The caller's address is the peer's (x-forwarded-for is appended to, never trusted): no hop is trusted.
        use_remote_address: true,
        request_headers_timeout: EDGE_TIMEOUTS.requestHeaders,
        stream_idle_timeout: EDGE_TIMEOUTS.streamIdle,
        ...(!edge.streaming && { request_timeout: EDGE_TIMEOUTS.request }),
      }),
      'normalize_path': true,
      'merge_slashes': true,
      // `%2F` and `%5C` would let `/account%2Fprofile` miss a `/account/` rule and still reach an application that decodes
      // them: Envoy unescapes them and redirects the client to the path the rules see (the default keeps them unchanged).
      'path_with_escaped_slashes_action': 'UNESCAPE_AND_REDIRECT',
      ...(Array.isArray(routes)
        ? { route_config: { name: statPrefix, virtual_hosts: [{ name: statPrefix, domains: ['*'], routes, ...constructMetadata(source) }] } }
        : { rds: { route_config_name: routes.rds, config_source: discoveredFileSource(rdsFile(routes.rds)) } }),
      'http_filters': [...filters, {
        name: 'envoy.filters.http.router',
        typed_config: { '@type': `${TYPE_URL}envoy.extensions.filters.http.router.v3.Router` },
      }],
      ...(tracing && { tracing }),
    },
  };
}

/** Where a TCP proxy sends connections, and how it picks a host. */
type TcpProxyTarget = ClusterOrSplit & { readonly hash_policy?: TcpHashPolicy[] };

function tcpProxy(statPrefix: string, target: TcpProxyTarget, accessLogs = false): TypedExtension<TcpProxy> {
  return {
    name: TCP_PROXY,
    typed_config: {
      '@type': `${TYPE_URL}envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy`,
      'stat_prefix': statPrefix,
      ...(accessLogs && { access_log: stdoutAccessLog(statPrefix) }),
      ...target,
    },
  };
}
