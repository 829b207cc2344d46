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

/** A typed extension configuration (`google.protobuf.Any`). */
export interface TypedConfig {
  readonly '@type': string;
  readonly [field: string]: unknown;
}

export interface TypedExtension {
  readonly name: string;
  readonly typed_config: TypedConfig;
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

/** Cluster fields that select and tune the load-balancing policy. */
export interface ClusterLbSettings {
  readonly lb_policy: LbPolicy;
  readonly least_request_lb_config?: { readonly choice_count: number };
  readonly ring_hash_lb_config?: { readonly minimum_ring_size?: number; readonly maximum_ring_size?: number };
  readonly maglev_lb_config?: { readonly table_size?: number };
}

export interface Cluster extends ClusterLbSettings {
  readonly name: string;
  readonly type: 'STATIC' | 'STRICT_DNS' | 'LOGICAL_DNS';
  readonly connect_timeout: string;
  readonly dns_lookup_family?: 'V4_ONLY' | 'AUTO' | 'V4_PREFERRED';
  readonly dns_refresh_rate?: string;
  readonly respect_dns_ttl?: boolean;
  readonly load_assignment: ClusterLoadAssignment;
  readonly typed_extension_protocol_options?: Record<string, TypedConfig>;
  readonly transport_socket?: TypedExtension;
  readonly [field: string]: unknown;
}

/** A route-level hash policy (`envoy.config.route.v3.RouteAction.HashPolicy`). */
export type RouteHashPolicy =
  | { readonly header: { readonly header_name: string } }
  | { readonly cookie: { readonly name: string; readonly ttl?: string; readonly path?: string } }
  | { readonly connection_properties: { readonly source_ip: boolean } };

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
  readonly retry_on: string;
  readonly num_retries: number;
  readonly per_try_timeout?: string;
  readonly retry_back_off?: { readonly base_interval: string; readonly max_interval?: string };
  readonly retry_host_predicate?: TypedExtension[];
  readonly host_selection_retry_max_attempts?: number;
  readonly retriable_status_codes?: number[];
}

export interface HeaderValueOption {
  readonly header: { readonly key: string; readonly value: string };
  readonly append_action: 'OVERWRITE_IF_EXISTS_OR_ADD';
}

export interface RouteAction {
  readonly cluster?: string;
  readonly weighted_clusters?: { readonly clusters: Array<{ readonly name: string; readonly weight: number }> };
  readonly timeout?: string;
  readonly hash_policy?: RouteHashPolicy[];
  readonly [field: string]: unknown;
}

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
