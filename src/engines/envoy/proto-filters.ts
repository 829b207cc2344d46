/**
 * Envoy v3 network and HTTP filters the mesh emits: HTTP connection manager, TCP proxy, RBAC, JWT, header mutation, access log.
 * Typed after the proto3 JSON mapping (snake_case fields, durations as "0.25s"); internal.
 */
import { ConfigSource, DataSource, HeaderMatcher, StringMatcher, TypeUrl, TypedExtension } from './proto-core';
import { ClusterOrSplit, HttpFault, LocalRateLimit, RouteConfiguration, RouteMatch, TcpHashPolicy } from './proto-route';

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

/** `envoy.config.accesslog.v3.AccessLog`, the logger the mesh uses. */
export type AccessLog = TypedExtension<StdoutAccessLog>;

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
