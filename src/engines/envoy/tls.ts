import { isIP } from 'net';
import { CERT_DIR, CONFIG_DIR, EDGE_CERT_DIR, TRUST_DIR } from './paths';
import {
  CommonTlsContext, DownstreamTlsContext, SdsFile, SdsSecretConfig, Secret, TlsParameters, TlsProtocol, TypedExtension, TYPE_URL,
  UpstreamTlsContext,
} from './types';
import { TlsVersion } from '../../security/mtls';

/** The SDS files, in the sidecar's ConfigMap, that point at the mounted certificate. */
export const SDS_CERT_FILE = 'sds-cert.json';
export const SDS_CA_FILE = 'sds-ca.json';
/** The CA bundle of the Envoy image, for TLS to hosts outside the mesh. */
export const SYSTEM_CA_FILE = '/etc/ssl/certs/ca-certificates.crt';

const TLS_SOCKET = 'envoy.transport_sockets.tls';
const SECRET_TYPE: Secret['@type'] = `${TYPE_URL}envoy.extensions.transport_sockets.tls.v3.Secret`;

/** Envoy's name of each TLS version. */
const TLS_PROTOCOL: Record<TlsVersion, TlsProtocol> = {
  [TlsVersion.TLS_1_2]: 'TLSv1_2',
  [TlsVersion.TLS_1_3]: 'TLSv1_3',
};

/** An SDS secret config read from a file that Envoy re-reads when the certificate directory changes. */
function sdsConfig(name: string, file: string, certDir = CERT_DIR): SdsSecretConfig {
  return {
    name,
    sds_config: { path_config_source: { path: `${CONFIG_DIR}/${file}`, watched_directory: { path: certDir } } },
  };
}

/**
 * TLS versions of every context, client or server. Envoy's clients default to a
 * TLS 1.2 maximum (`tls_maximum_protocol_version` in
 * envoy/extensions/transport_sockets/tls/v3/common.proto), so without an explicit
 * maximum a TLS 1.3 minimum leaves no version to negotiate.
 */
export function tlsParams(minimumVersion: TlsVersion): TlsParameters {
  return { tls_minimum_protocol_version: TLS_PROTOCOL[minimumVersion], tls_maximum_protocol_version: 'TLSv1_3' };
}

function commonTlsContext(minimumVersion: TlsVersion, alpn: string[]): CommonTlsContext {
  return {
    tls_params: tlsParams(minimumVersion),
    tls_certificate_sds_secret_configs: [sdsConfig('mesh-cert', SDS_CERT_FILE)],
    ...(alpn.length > 0 && { alpn_protocols: alpn }),
  };
}

/** Inbound: requires a client certificate signed by the mesh CA. */
export function downstreamTls(minimumVersion: TlsVersion, trustBundle: boolean, alpn: string[]): TypedExtension<DownstreamTlsContext> {
  return {
    name: TLS_SOCKET,
    typed_config: {
      '@type': `${TYPE_URL}envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext`,
      'require_client_certificate': true,
      'common_tls_context': {
        ...commonTlsContext(minimumVersion, alpn),
        validation_context_sds_secret_config: sdsConfig('mesh-ca', SDS_CA_FILE, trustBundle ? TRUST_DIR : CERT_DIR),
      },
    },
  };
}

/** Outbound: presents this service's certificate and accepts only the upstream's SPIFFE identities. */
export function upstreamMeshTls(
  minimumVersion: TlsVersion, trustBundle: boolean, sni: string, spiffeIds: string[], alpn: string[],
): TypedExtension<UpstreamTlsContext> {
  return {
    name: TLS_SOCKET,
    typed_config: {
      '@type': `${TYPE_URL}envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext`,
      'sni': sni,
      'common_tls_context': {
        ...commonTlsContext(minimumVersion, alpn),
        combined_validation_context: {
          default_validation_context: {
            match_typed_subject_alt_names: spiffeIds.map(id => ({ san_type: 'URI', matcher: { exact: id } })),
          },
          validation_context_sds_secret_config: sdsConfig('mesh-ca', SDS_CA_FILE, trustBundle ? TRUST_DIR : CERT_DIR),
        },
      },
    },
  };
}

/** The edge listener on `port`: server TLS from the mounted Secret, no client certificate. */
export function edgeTls(port: number, minimumVersion: TlsVersion, alpn: string[]): TypedExtension<DownstreamTlsContext> {
  return {
    name: TLS_SOCKET,
    typed_config: {
      '@type': `${TYPE_URL}envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext`,
      'common_tls_context': {
        tls_params: tlsParams(minimumVersion),
        tls_certificate_sds_secret_configs: [sdsConfig(`edge-${port}`, edgeSdsFile(port), edgeCertDir(port))],
        ...(alpn.length > 0 && { alpn_protocols: alpn }),
      },
    },
  };
}

/** Where the certificate of the edge listener on `port` is mounted. */
export function edgeCertDir(port: number): string {
  return `${EDGE_CERT_DIR}/${port}`;
}

/** The SDS file of the edge listener on `port`. */
export function edgeSdsFile(port: number): string {
  return `sds-edge-${port}.json`;
}

/** TLS to a host outside the mesh, verified against the public CA bundle and its DNS name. */
export function upstreamPublicTls(hostname: string, minimumVersion: TlsVersion, alpn: string[] = []): TypedExtension<UpstreamTlsContext> {
  // An IP literal is named by an IP SAN, and is never sent as SNI (RFC 6066 section 3 allows host names only).
  const ip = isIP(hostname) !== 0;
  return {
    name: TLS_SOCKET,
    typed_config: {
      '@type': `${TYPE_URL}envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext`,
      ...(!ip && { sni: hostname }),
      'common_tls_context': {
        tls_params: tlsParams(minimumVersion),
        // HTTP/2 and gRPC servers behind TLS expect the protocol offered by ALPN.
        ...(alpn.length > 0 && { alpn_protocols: alpn }),
        validation_context: {
          trusted_ca: { filename: SYSTEM_CA_FILE },
          match_typed_subject_alt_names: [{ san_type: ip ? 'IP_ADDRESS' : 'DNS', matcher: { exact: hostname } }],
        },
      },
    },
  };
}

/** An SDS file holding the certificate and key of a mounted `kubernetes.io/tls` Secret. */
function certificateFile(name: string, dir: string): SdsFile {
  return {
    resources: [{
      '@type': SECRET_TYPE,
      'name': name,
      'tls_certificate': {
        certificate_chain: { filename: `${dir}/tls.crt` },
        private_key: { filename: `${dir}/tls.key` },
      },
    }],
  };
}

/** The SDS file of the edge listener on `port`. */
export function edgeSdsContent(port: number): SdsFile {
  return certificateFile(`edge-${port}`, edgeCertDir(port));
}

/** The SDS files: the workload certificate, and the mesh CA from it or from the trust bundle. */
export function sdsFiles(trustBundle: boolean): Record<string, SdsFile> {
  return {
    [SDS_CERT_FILE]: certificateFile('mesh-cert', CERT_DIR),
    [SDS_CA_FILE]: {
      resources: [{
        '@type': SECRET_TYPE,
        'name': 'mesh-ca',
        'validation_context': { trusted_ca: { filename: `${trustBundle ? TRUST_DIR : CERT_DIR}/ca.crt` } },
      }],
    },
  };
}
