/**
 * The subset of Envoy's v3 API that cdk8s-mesh emits, typed after the proto3
 * JSON mapping (snake_case field names, durations as strings such as "0.25s").
 *
 * These types are internal: they are the vocabulary of the pure renderers in
 * this folder and never part of the library's public API.
 */

/** `type.googleapis.com/...` prefix of every typed extension config. */
export const TYPE_URL = 'type.googleapis.com/';

export interface SocketAddress {
  readonly address: string;
  readonly port_value: number;
}

export interface Address {
  readonly socket_address: SocketAddress;
}

/**
 * A typed extension configuration (`google.protobuf.Any`): one of the
 * extension messages typed in this file, or another extension's.
 */
export type TypedConfig = HttpFault | PreviousHostsPredicate | HttpProtocolOptions | OtherTypedConfig;

/**
 * The configuration of an extension not typed here yet (HTTP connection
 * manager, TCP proxy, RBAC, JWT, TLS, access logs, ...).
 */
export interface OtherTypedConfig {
  readonly '@type': string;
  readonly [field: string]: unknown;
}

export interface TypedExtension<C extends TypedConfig = TypedConfig> {
  readonly name: string;
  readonly typed_config: C;
}

/** `envoy.type.v3.FractionalPercent`. */
export interface FractionalPercent {
  readonly numerator: number;
  readonly denominator: 'HUNDRED' | 'TEN_THOUSAND' | 'MILLION';
}

export interface Filter extends TypedExtension {}

export interface FilterChain {
  readonly filters: Filter[];
  readonly transport_socket?: TypedExtension;
  readonly filter_chain_match?: { readonly transport_protocol?: string };
}

export interface Listener {
  readonly name: string;
  readonly address: Address;
  readonly listener_filters?: TypedExtension[];
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
  | { readonly http_health_check: { readonly path: string } }
  | { readonly tcp_health_check: Record<string, never> };

/** `envoy.config.cluster.v3.Cluster.TransportSocketMatch`. */
export interface TransportSocketMatch {
  readonly name: string;
  readonly match: Record<string, string>;
  readonly transport_socket: TypedExtension;
}

export interface Cluster extends ClusterLbSettings {
  readonly name: string;
  readonly type: 'STATIC' | 'STRICT_DNS' | 'LOGICAL_DNS';
  readonly connect_timeout: string;
  readonly dns_lookup_family?: 'V4_ONLY' | 'AUTO' | 'V4_PREFERRED';
  readonly dns_refresh_rate?: string;
  readonly respect_dns_ttl?: boolean;
  readonly outlier_detection?: OutlierDetection;
  readonly circuit_breakers?: CircuitBreakers;
  readonly health_checks?: HealthCheck[];
  readonly load_assignment: ClusterLoadAssignment;
  readonly typed_extension_protocol_options?: Record<string, TypedConfig>;
  readonly transport_socket?: TypedExtension;
  readonly transport_socket_matches?: TransportSocketMatch[];
}

/** `envoy.extensions.upstreams.http.v3.HttpProtocolOptions`, as the mesh sets it: HTTP/2 on the wire. */
export interface HttpProtocolOptions {
  readonly '@type': string;
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
export type StringMatcher = { readonly exact: string } | { readonly safe_regex: { readonly regex: string } };

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
  readonly '@type': string;
}

/** `envoy.extensions.filters.http.fault.v3.HTTPFault`, the fields the mesh sets. */
export interface HttpFault {
  readonly '@type': string;
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
};

export interface Route {
  readonly name?: string;
  readonly match: RouteMatch;
  readonly route: RouteAction;
  readonly request_headers_to_add?: HeaderValueOption[];
  readonly request_headers_to_remove?: string[];
}

export interface VirtualHost {
  readonly name: string;
  readonly domains: string[];
  readonly routes: Route[];
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
}
