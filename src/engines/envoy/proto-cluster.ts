/**
 * Envoy v3 cluster messages (`envoy.config.cluster.v3`, `envoy.config.endpoint.v3`): balancing, ejection, limits, health checks.
 * Typed after the proto3 JSON mapping (snake_case fields, durations as "0.25s"); internal.
 */
import { Address, Metadata, TypeUrl } from './proto-core';
import { TransportSocket } from './proto-tls';

export interface LbEndpoint {
  readonly endpoint: {
    readonly address: Address;
    /** Associated with the endpoint for features that need a name, such as `auto_host_rewrite`; not resolved. */
    readonly hostname?: string;
    /** `hostname`: the `Host` of HTTP health checks of this endpoint. */
    readonly health_check_config?: { readonly hostname?: string };
  };
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
