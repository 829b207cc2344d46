/**
 * The subset of Envoy's v3 API that cdk8s-mesh emits, typed after the proto3
 * JSON mapping (snake_case field names, durations as strings such as "0.25s").
 *
 * These types are internal: they are the vocabulary of the pure renderers in
 * this folder and never part of the library's public API.
 */

/** `type.googleapis.com/...` prefix of every typed extension config. */
export const TYPE_URL = 'type.googleapis.com/';

/** The `@type` of a `google.protobuf.Any` holding the message named `M`. */
export type TypeUrl<M extends string> = `${typeof TYPE_URL}${M}`;

export interface SocketAddress {
  readonly address: string;
  readonly port_value: number;
}

export interface Address {
  readonly socket_address: SocketAddress;
}

/** A typed extension configuration (`google.protobuf.Any`): one of the extension messages the mesh emits. */
export type TypedConfig =
  | HttpConnectionManager | TcpProxy | NetworkRbac
  | HttpFault | HttpRbac | JwtAuthentication | HeaderMutation | LocalRateLimit | Router
  | TlsInspector | UpstreamTlsContext | DownstreamTlsContext | RawBuffer
  | StdoutAccessLog | PreviousHostsPredicate;

export interface TypedExtension<C extends TypedConfig> {
  readonly name: string;
  readonly typed_config: C;
}

/** A network filter of a filter chain. */
export type NetworkFilter = TypedExtension<HttpConnectionManager | TcpProxy | NetworkRbac>;

/** An HTTP filter of an HTTP connection manager. */
export type HttpFilter = TypedExtension<HttpFault | HttpRbac | JwtAuthentication | HeaderMutation | LocalRateLimit | Router> | DiscoveredHttpFilter;

/** An HTTP filter whose configuration is the resource of its name in another file (ECDS; `HttpFilter.config_discovery`). */
export interface DiscoveredHttpFilter {
  readonly name: string;
  readonly config_discovery: { readonly config_source: ConfigSource; readonly type_urls: string[] };
}

/** `envoy.config.core.v3.TypedExtensionConfig`: an ECDS resource, named as the filters that use it. */
export type TypedExtensionConfig = TypedExtension<HeaderMutation>;

/** A listener filter, run before a filter chain is chosen. */
export type ListenerFilter = TypedExtension<TlsInspector>;

/** A listener's or a cluster's `transport_socket`. */
export type TransportSocket = TypedExtension<UpstreamTlsContext | DownstreamTlsContext | RawBuffer>;

/** `envoy.config.accesslog.v3.AccessLog`, the logger the mesh uses. */
export type AccessLog = TypedExtension<StdoutAccessLog>;

/** `envoy.type.v3.FractionalPercent`. */
export interface FractionalPercent {
  readonly numerator: number;
  readonly denominator: 'HUNDRED' | 'TEN_THOUSAND' | 'MILLION';
}

export interface FilterChain {
  readonly filters: NetworkFilter[];
  readonly transport_socket?: TransportSocket;
  readonly filter_chain_match?: { readonly transport_protocol?: string };
}

/** `envoy.config.core.v3.Metadata`: string values by key, by filter name. */
export interface Metadata {
  readonly filter_metadata: Record<string, Record<string, string>>;
}

export interface Listener {
  readonly name: string;
  readonly address: Address;
  readonly metadata?: Metadata;
  readonly per_connection_buffer_limit_bytes?: number;
  readonly listener_filters?: ListenerFilter[];
  readonly filter_chains: FilterChain[];
}

export interface LbEndpoint {
  readonly endpoint: { readonly address: Address };
  readonly load_balancing_weight?: number;
  /** `filter_metadata`: string values by key, by filter name. */
  readonly metadata?: { readonly filter_metadata: Record<string, Record<string, string>> };
}

export interface LocalityLbEndpoints {
  readonly lb_endpoints: LbEndpoint[];
  readonly priority?: number;
}

export interface ClusterLoadAssignment {
  readonly cluster_name: string;
  readonly endpoints: LocalityLbEndpoints[];
}

export type LbPolicy = 'ROUND_ROBIN' | 'LEAST_REQUEST' | 'RING_HASH' | 'RANDOM' | 'MAGLEV';

/** `envoy.config.cluster.v3.Cluster.LeastRequestLbConfig`. */
export interface LeastRequestLbConfig {
  readonly choice_count: number;
}

/** `envoy.config.cluster.v3.Cluster.RingHashLbConfig`. */
export interface RingHashLbConfig {
  readonly minimum_ring_size: number;
  readonly maximum_ring_size?: number;
}

/** `envoy.config.cluster.v3.Cluster.MaglevLbConfig`. */
export interface MaglevLbConfig {
  readonly table_size: number;
}

/** Cluster fields that select and tune the load-balancing policy. */
export interface ClusterLbSettings {
  readonly lb_policy: LbPolicy;
  readonly least_request_lb_config?: LeastRequestLbConfig;
  readonly ring_hash_lb_config?: RingHashLbConfig;
  readonly maglev_lb_config?: MaglevLbConfig;
}

/** `envoy.config.cluster.v3.OutlierDetection`, the fields the mesh sets. */
export interface OutlierDetection {
  readonly consecutive_5xx?: number;
  readonly consecutive_gateway_failure?: number;
  readonly enforcing_consecutive_gateway_failure?: number;
  readonly enforcing_consecutive_5xx?: number;
  readonly enforcing_success_rate?: number;
  /** Thousandths of a standard deviation. */
  readonly success_rate_stdev_factor?: number;
  readonly success_rate_minimum_hosts?: number;
  readonly success_rate_request_volume?: number;
  readonly interval: string;
  readonly base_ejection_time: string;
  readonly max_ejection_percent: number;
}

/** `envoy.config.cluster.v3.CircuitBreakers.Thresholds`. */
export interface CircuitBreakerThresholds {
  readonly priority: 'DEFAULT' | 'HIGH';
  readonly max_connections: number;
  readonly max_pending_requests: number;
  readonly max_requests: number;
  readonly max_retries: number;
  readonly retry_budget?: { readonly budget_percent: { readonly value: number }; readonly min_retry_concurrency: number };
}

/** `envoy.config.cluster.v3.CircuitBreakers`. */
export interface CircuitBreakers {
  readonly thresholds: CircuitBreakerThresholds[];
}

/** `envoy.config.core.v3.HealthCheck` timing and thresholds, with one of the checkers the mesh uses. */
export type HealthCheck = {
  readonly timeout: string;
  readonly interval: string;
  readonly unhealthy_threshold: number;
  readonly healthy_threshold: number;
} & HealthChecker;

/** The `health_checker` oneof of `envoy.config.core.v3.HealthCheck`. */
export type HealthChecker =
  | { readonly http_health_check: { readonly path: string; readonly host?: string } }
  | { readonly tcp_health_check: Record<string, never> };

/** `envoy.config.cluster.v3.Cluster.TransportSocketMatch`. */
export interface TransportSocketMatch {
  readonly name: string;
  readonly match: Record<string, string>;
  readonly transport_socket: TransportSocket;
}

export interface Cluster extends ClusterLbSettings {
  readonly name: string;
  readonly metadata?: Metadata;
  readonly type: 'STATIC' | 'STRICT_DNS' | 'LOGICAL_DNS';
  readonly connect_timeout: string;
  readonly dns_lookup_family?: 'V4_ONLY' | 'AUTO' | 'V4_PREFERRED';
  readonly dns_refresh_rate?: string;
  readonly respect_dns_ttl?: boolean;
  readonly outlier_detection?: OutlierDetection;
  readonly circuit_breakers?: CircuitBreakers;
  readonly health_checks?: HealthCheck[];
  readonly load_assignment: ClusterLoadAssignment;
  readonly typed_extension_protocol_options?: {
    readonly 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': HttpProtocolOptions;
  };
  readonly transport_socket?: TransportSocket;
  readonly transport_socket_matches?: TransportSocketMatch[];
}

/** `envoy.extensions.upstreams.http.v3.HttpProtocolOptions`, as the mesh sets it: HTTP/2 on the wire. */
export interface HttpProtocolOptions {
  readonly '@type': TypeUrl<'envoy.extensions.upstreams.http.v3.HttpProtocolOptions'>;
  readonly 'explicit_http_config': { readonly http2_protocol_options: Record<string, never> };
}

/** A route-level hash policy (`envoy.config.route.v3.RouteAction.HashPolicy`). */
export type RouteHashPolicy =
  | { readonly header: { readonly header_name: string } }
  | { readonly cookie: { readonly name: string; readonly ttl?: string; readonly path?: string } }
  | { readonly connection_properties: { readonly source_ip: boolean } };

/** A TCP proxy hash policy (`envoy.type.v3.HashPolicy`), the form the mesh emits: the caller's address. */
export interface TcpHashPolicy {
  readonly source_ip: Record<string, never>;
}

/** `envoy.type.matcher.v3.StringMatcher`, the forms the mesh emits. */
export type StringMatcher =
  | { readonly exact: string }
  | { readonly prefix: string }
  | { readonly safe_regex: { readonly regex: string } };

export interface HeaderMatcher {
  readonly name: string;
  readonly string_match?: StringMatcher;
  readonly present_match?: boolean;
}

export interface RouteMatch {
  readonly prefix?: string;
  readonly path?: string;
  readonly safe_regex?: { readonly regex: string };
  readonly headers?: HeaderMatcher[];
  readonly query_parameters?: Array<{ readonly name: string; readonly string_match: StringMatcher }>;
}

/** `envoy.config.route.v3.RetryPolicy`. */
export interface RetryPolicy {
  /** Comma-separated retry conditions. */
  readonly retry_on: string;
  readonly num_retries: number;
  readonly per_try_timeout?: string;
  readonly retry_back_off?: { readonly base_interval: string; readonly max_interval?: string };
  readonly retry_host_predicate?: Array<TypedExtension<PreviousHostsPredicate>>;
  readonly host_selection_retry_max_attempts?: number;
  readonly retriable_status_codes?: number[];
}

/** `envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate` (no fields). */
export interface PreviousHostsPredicate {
  readonly '@type': TypeUrl<'envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate'>;
}

/** `envoy.extensions.filters.http.fault.v3.HTTPFault`, the fields the mesh sets. */
export interface HttpFault {
  readonly '@type': TypeUrl<'envoy.extensions.filters.http.fault.v3.HTTPFault'>;
  readonly 'delay'?: { readonly fixed_delay: string; readonly percentage: FractionalPercent };
  readonly 'abort'?: { readonly http_status: number; readonly percentage: FractionalPercent };
}

/** `envoy.config.route.v3.RouteAction.RequestMirrorPolicy`. */
export interface RequestMirrorPolicy {
  readonly cluster: string;
  readonly runtime_fraction: { readonly default_value: FractionalPercent };
}

export interface HeaderValueOption {
  readonly header: { readonly key: string; readonly value: string };
  readonly append_action: 'OVERWRITE_IF_EXISTS_OR_ADD';
}

/** One cluster, or a weighted split between clusters (route actions and TCP proxies alike). */
export type ClusterOrSplit =
  | { readonly cluster: string }
  | { readonly weighted_clusters: { readonly clusters: Array<{ readonly name: string; readonly weight: number }> } };

export type RouteAction = ClusterOrSplit & {
  readonly timeout?: string;
  readonly idle_timeout?: string;
  readonly retry_policy?: RetryPolicy;
  readonly request_mirror_policies?: RequestMirrorPolicy[];
  readonly hash_policy?: RouteHashPolicy[];
  readonly auto_host_rewrite?: boolean;
};

export interface Route {
  readonly name?: string;
  readonly match: RouteMatch;
  readonly route: RouteAction;
  readonly request_headers_to_add?: HeaderValueOption[];
  readonly request_headers_to_remove?: string[];
  readonly metadata?: Metadata;
  /** Per-route settings of HTTP filters, by filter name. */
  readonly typed_per_filter_config?: Record<string, LocalRateLimit>;
}

/** `envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit`. */
export interface LocalRateLimit {
  readonly '@type': TypeUrl<'envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit'>;
  readonly 'stat_prefix': string;
  readonly 'token_bucket'?: { readonly max_tokens: number; readonly tokens_per_fill: number; readonly fill_interval: string };
  readonly 'filter_enabled'?: { readonly default_value: FractionalPercent; readonly runtime_key: string };
  readonly 'filter_enforced'?: { readonly default_value: FractionalPercent; readonly runtime_key: string };
  readonly 'response_headers_to_add'?: HeaderValueOption[];
  readonly 'rate_limited_as_resource_exhausted'?: boolean;
}

export interface VirtualHost {
  readonly name: string;
  readonly domains: string[];
  readonly routes: Route[];
  readonly metadata?: Metadata;
}

export interface RouteConfiguration {
  readonly name: string;
  readonly virtual_hosts: VirtualHost[];
}

export interface Bootstrap {
  readonly node: { readonly id: string; readonly cluster: string };
  readonly admin: { readonly address: Address };
  readonly static_resources: {
    readonly listeners: Listener[];
    readonly clusters: Cluster[];
  };
  readonly stats_config?: {
    readonly histogram_bucket_settings: Array<{ readonly match: { readonly suffix: string }; readonly buckets: number[] }>;
  };
  readonly dynamic_resources?: { readonly lds_config: ConfigSource; readonly cds_config: ConfigSource };
  readonly overload_manager?: OverloadManager;
}

/** `envoy.config.core.v3.ConfigSource`, as the mesh uses it: a file reloaded when its directory is swapped. */
export interface ConfigSource {
  readonly path_config_source: { readonly path: string; readonly watched_directory: { readonly path: string } };
  readonly resource_api_version: 'V3';
}

/** A file-based xDS file: a DiscoveryResponse whose resources are `Any`s of one type. */
export interface DiscoveryFile<T> {
  /** The configuration version Envoy reports once it accepted the file. */
  readonly version_info?: string;
  readonly resources: Array<T & { readonly '@type': string }>;
}

/** `envoy.config.overload.v3.OverloadManager`, as the mesh uses it: a global limit on downstream connections. */
export interface OverloadManager {
  readonly resource_monitors: Array<{
    readonly name: 'envoy.resource_monitors.global_downstream_max_connections';
    readonly typed_config: {
      readonly '@type': TypeUrl<'envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig'>;
      readonly 'max_active_downstream_connections': number;
    };
  }>;
}

// ---------------------------------------------------------------------------
// Network filters
// ---------------------------------------------------------------------------

/** `envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager`, the fields the mesh sets. */
export interface HttpConnectionManager {
  readonly '@type': TypeUrl<'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager'>;
  readonly 'stat_prefix': string;
  readonly 'access_log'?: AccessLog[];
  readonly 'codec_type': 'AUTO' | 'HTTP1' | 'HTTP2' | 'HTTP3';
  readonly 'common_http_protocol_options'?: {
    readonly headers_with_underscores_action: 'ALLOW' | 'REJECT_REQUEST' | 'DROP_HEADER';
    readonly idle_timeout?: string;
  };
  readonly 'http2_protocol_options'?: {
    readonly max_concurrent_streams: number;
    readonly initial_stream_window_size: number;
    readonly initial_connection_window_size: number;
  };
  readonly 'use_remote_address'?: boolean;
  readonly 'request_headers_timeout'?: string;
  readonly 'stream_idle_timeout'?: string;
  readonly 'request_timeout'?: string;
  readonly 'normalize_path'?: boolean;
  readonly 'merge_slashes'?: boolean;
  readonly 'path_with_escaped_slashes_action'?: 'KEEP_UNCHANGED' | 'REJECT_REQUEST' | 'UNESCAPE_AND_REDIRECT' | 'UNESCAPE_AND_FORWARD';
  readonly 'route_config'?: RouteConfiguration;
  readonly 'rds'?: { readonly route_config_name: string; readonly config_source: ConfigSource };
  /** Decoded in order; the last one is the router. */
  readonly 'http_filters': HttpFilter[];
  readonly 'tracing'?: HttpTracing;
}

/** `HttpConnectionManager.Tracing` with Envoy's OpenTelemetry tracer. */
export interface HttpTracing {
  readonly client_sampling?: { readonly value: number };
  readonly random_sampling: { readonly value: number };
  readonly provider: {
    readonly name: 'envoy.tracers.opentelemetry';
    readonly typed_config: {
      readonly '@type': TypeUrl<'envoy.config.trace.v3.OpenTelemetryConfig'>;
      readonly 'grpc_service': { readonly envoy_grpc: { readonly cluster_name: string }; readonly timeout: string };
      readonly 'service_name': string;
    };
  };
}

/** `envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy`: one cluster or a weighted split, optionally hashing the caller's address. */
export type TcpProxy = ClusterOrSplit & {
  readonly '@type': TypeUrl<'envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy'>;
  readonly 'stat_prefix': string;
  readonly 'access_log'?: AccessLog[];
  readonly 'hash_policy'?: TcpHashPolicy[];
};

/** `envoy.extensions.filters.network.rbac.v3.RBAC`. */
export interface NetworkRbac extends RbacFilterRules {
  readonly '@type': TypeUrl<'envoy.extensions.filters.network.rbac.v3.RBAC'>;
  readonly 'stat_prefix': string;
}

// ---------------------------------------------------------------------------
// HTTP filters
// ---------------------------------------------------------------------------

/** `envoy.extensions.filters.http.rbac.v3.RBAC`. */
export interface HttpRbac extends RbacFilterRules {
  readonly '@type': TypeUrl<'envoy.extensions.filters.http.rbac.v3.RBAC'>;
}

/** The rules of an RBAC filter (HTTP or network): enforced, or only evaluated and counted (shadow). */
export interface RbacFilterRules {
  readonly rules?: Rbac;
  readonly shadow_rules?: Rbac;
  /** Prefix of the shadow rules' statistics. */
  readonly shadow_rules_stat_prefix?: string;
}

/** `envoy.config.rbac.v3.RBAC`: policies by name, and what a match does. */
export interface Rbac {
  readonly action: 'ALLOW' | 'DENY' | 'LOG';
  readonly policies: Record<string, RbacPolicy>;
}

/** `envoy.config.rbac.v3.Policy`: any of the permissions, for any of the principals. */
export interface RbacPolicy {
  readonly permissions: RbacPermission[];
  readonly principals: RbacPrincipal[];
}

/** `envoy.config.rbac.v3.Permission`, the rules the mesh uses. */
export type RbacPermission =
  | { readonly any: true }
  | { readonly and_rules: { readonly rules: RbacPermission[] } }
  | { readonly or_rules: { readonly rules: RbacPermission[] } }
  | { readonly header: HeaderMatcher }
  | { readonly url_path: { readonly path: StringMatcher } };

/** `envoy.config.rbac.v3.Principal`, as the mesh identifies callers: by their certificate's identity. */
export interface RbacPrincipal {
  readonly authenticated: { readonly principal_name: StringMatcher };
}

/** `envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication`. */
export interface JwtAuthentication {
  readonly '@type': TypeUrl<'envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication'>;
  readonly 'providers': Record<string, JwtProvider>;
  /** Tried in order; the first rule whose match holds applies. */
  readonly 'rules': JwtRequirementRule[];
}

/** `envoy.extensions.filters.http.jwt_authn.v3.JwtProvider`, with keys fetched (`remote_jwks`) or read from a file (`local_jwks`). */
export interface JwtProvider {
  readonly issuer: string;
  readonly audiences?: string[];
  readonly remote_jwks?: {
    readonly http_uri: { readonly uri: string; readonly cluster: string; readonly timeout: string };
    readonly cache_duration: string;
  };
  readonly local_jwks?: DataSource;
  readonly forward: boolean;
  readonly claim_to_headers?: Array<{ readonly header_name: string; readonly claim_name: string }>;
}

/** `envoy.extensions.filters.http.jwt_authn.v3.RequirementRule`. */
export interface JwtRequirementRule {
  readonly match: RouteMatch;
  readonly requires: JwtRequirement;
}

/** `envoy.extensions.filters.http.jwt_authn.v3.JwtRequirement`: one provider, or any or all of several requirements. */
export type JwtRequirement =
  | { readonly provider_name: string }
  | { readonly requires_any: { readonly requirements: JwtRequirement[] } }
  | { readonly requires_all: { readonly requirements: JwtRequirement[] } };

/** `envoy.extensions.filters.http.header_mutation.v3.HeaderMutation`, as the mesh uses it: request headers removed. */
export interface HeaderMutation {
  readonly '@type': TypeUrl<'envoy.extensions.filters.http.header_mutation.v3.HeaderMutation'>;
  readonly 'mutations': { readonly request_mutations: Array<{ readonly remove: string }> };
}

/** `envoy.extensions.filters.http.router.v3.Router` (defaults only). */
export interface Router {
  readonly '@type': TypeUrl<'envoy.extensions.filters.http.router.v3.Router'>;
}

/** `envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector` (defaults only). */
export interface TlsInspector {
  readonly '@type': TypeUrl<'envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector'>;
}

/** `envoy.extensions.access_loggers.stream.v3.StdoutAccessLog`: one JSON object per line, values are command operators. */
export interface StdoutAccessLog {
  readonly '@type': TypeUrl<'envoy.extensions.access_loggers.stream.v3.StdoutAccessLog'>;
  readonly 'log_format': { readonly json_format: Record<string, string> };
}

// ---------------------------------------------------------------------------
// TLS (envoy.extensions.transport_sockets.tls.v3)
// ---------------------------------------------------------------------------

/** `envoy.config.core.v3.DataSource`, the form the mesh uses: a file. */
export interface DataSource {
  readonly filename: string;
}

/** `envoy.extensions.transport_sockets.tls.v3.TlsParameters.TlsProtocol`. */
export type TlsProtocol = 'TLS_AUTO' | 'TLSv1_0' | 'TLSv1_1' | 'TLSv1_2' | 'TLSv1_3';

/** `TlsParameters`, the versions the mesh pins. */
export interface TlsParameters {
  readonly tls_minimum_protocol_version: TlsProtocol;
  readonly tls_maximum_protocol_version: TlsProtocol;
}

/** `SdsSecretConfig`: a secret read from a file (`path_config_source`) that Envoy re-reads when `watched_directory` changes. */
export interface SdsSecretConfig {
  readonly name: string;
  readonly sds_config: {
    readonly path_config_source: { readonly path: string; readonly watched_directory: { readonly path: string } };
  };
}

/** `SubjectAltNameMatcher`: a certificate SAN of the given type matching `matcher`. */
export interface SubjectAltNameMatcher {
  readonly san_type: 'EMAIL' | 'DNS' | 'URI' | 'IP_ADDRESS' | 'OTHER_NAME';
  readonly matcher: StringMatcher;
}

/** `CertificateValidationContext`, the fields the mesh sets. */
export interface CertificateValidationContext {
  readonly trusted_ca?: DataSource;
  readonly match_typed_subject_alt_names?: SubjectAltNameMatcher[];
}

/** `CommonTlsContext`; at most one of the three validation context fields (a oneof). */
export interface CommonTlsContext {
  readonly tls_params: TlsParameters;
  readonly tls_certificate_sds_secret_configs?: SdsSecretConfig[];
  readonly alpn_protocols?: string[];
  readonly validation_context?: CertificateValidationContext;
  readonly validation_context_sds_secret_config?: SdsSecretConfig;
  /** Static checks (`default_validation_context`) added to a validation context from SDS. */
  readonly combined_validation_context?: {
    readonly default_validation_context: CertificateValidationContext;
    readonly validation_context_sds_secret_config: SdsSecretConfig;
  };
}

/** `UpstreamTlsContext`: the client side of TLS, on a cluster. */
export interface UpstreamTlsContext {
  readonly '@type': TypeUrl<'envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext'>;
  readonly 'sni'?: string;
  readonly 'common_tls_context': CommonTlsContext;
}

/** `DownstreamTlsContext`: the server side of TLS, on a listener's filter chain. */
export interface DownstreamTlsContext {
  readonly '@type': TypeUrl<'envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext'>;
  readonly 'require_client_certificate'?: boolean;
  readonly 'common_tls_context': CommonTlsContext;
}

/** `envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer`: plaintext. */
export interface RawBuffer {
  readonly '@type': TypeUrl<'envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer'>;
}

/** `Secret`: a certificate and its key, or a validation context (CA bundle). */
export interface Secret {
  readonly '@type': TypeUrl<'envoy.extensions.transport_sockets.tls.v3.Secret'>;
  readonly 'name': string;
  readonly 'tls_certificate'?: { readonly certificate_chain: DataSource; readonly private_key: DataSource };
  readonly 'validation_context'?: CertificateValidationContext;
}

/** A file read by a `path_config_source`: the resources of a discovery response, here SDS secrets. */
export interface SdsFile {
  readonly resources: Secret[];
}
