/**
 * Envoy v3 route messages (`envoy.config.route.v3`): virtual hosts, matches, retries, faults, mirrors.
 * Typed after the proto3 JSON mapping (snake_case fields, durations as "0.25s"); internal.
 */
import { FractionalPercent, HeaderMatcher, HeaderValueOption, Metadata, StringMatcher, TypeUrl, TypedExtension } from './proto-core';

/** A route-level hash policy (`envoy.config.route.v3.RouteAction.HashPolicy`). */
export type RouteHashPolicy =
  | { readonly header: { readonly header_name: string } }
  | { readonly cookie: { readonly name: string; readonly ttl?: string; readonly path?: string } }
  | { readonly connection_properties: { readonly source_ip: boolean } };

/** A TCP proxy hash policy (`envoy.type.v3.HashPolicy`), the form the mesh emits: the caller's address. */
export interface TcpHashPolicy {
  readonly source_ip: Record<string, never>;
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
