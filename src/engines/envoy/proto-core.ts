/**
 * Envoy v3 messages shared by the others: addresses, typed extensions, metadata, config sources, matchers.
 * Typed after the proto3 JSON mapping (snake_case fields, durations as "0.25s"); internal.
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

/** A typed extension: its name and configuration (a `google.protobuf.Any`). */
export interface TypedExtension<C extends { readonly '@type': string }> {
  readonly name: string;
  readonly typed_config: C;
}

/** `envoy.type.v3.FractionalPercent`. */
export interface FractionalPercent {
  readonly numerator: number;
  readonly denominator: 'HUNDRED' | 'TEN_THOUSAND' | 'MILLION';
}

/** `envoy.config.core.v3.Metadata`: string values by key, by filter name. */
export interface Metadata {
  readonly filter_metadata: Record<string, Record<string, string>>;
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

export interface HeaderValueOption {
  readonly header: { readonly key: string; readonly value: string };
  readonly append_action: 'OVERWRITE_IF_EXISTS_OR_ADD';
}

/** `envoy.config.core.v3.ConfigSource`, as the mesh uses it: a file reloaded when its directory is swapped. */
export interface ConfigSource {
  readonly path_config_source: { readonly path: string; readonly watched_directory: { readonly path: string } };
  /** Absent inside discovery files: AUTO, which is v3. */
  readonly resource_api_version?: 'V3';
}

/** A file-based xDS file: a DiscoveryResponse whose resources are `Any`s of one type. */
export interface DiscoveryFile<T> {
  /** The configuration version Envoy reports once it accepted the file. */
  readonly version_info?: string;
  readonly resources: Array<T & { readonly '@type': string }>;
}

/** `envoy.config.core.v3.DataSource`, the form the mesh uses: a file. */
export interface DataSource {
  readonly filename: string;
}
