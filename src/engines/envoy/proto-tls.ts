/**
 * Envoy v3 TLS messages (`envoy.extensions.transport_sockets.tls.v3`) and SDS files.
 * Typed after the proto3 JSON mapping (snake_case fields, durations as "0.25s"); internal.
 */
import { DataSource, StringMatcher, TypeUrl, TypedExtension } from './proto-core';

/** A listener's or a cluster's `transport_socket`. */
export type TransportSocket = TypedExtension<UpstreamTlsContext | DownstreamTlsContext | RawBuffer>;

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
