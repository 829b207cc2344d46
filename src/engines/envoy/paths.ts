/** Where the sidecar's files are mounted. */

/** The sidecar's ConfigMap: bootstrap and SDS files. */
export const CONFIG_DIR = '/etc/mesh/envoy';
/** Key (and file name) of the bootstrap in the ConfigMap. */
export const BOOTSTRAP_FILE = 'envoy.json';
/** The service's certificate Secret (`tls.crt`, `tls.key`, `ca.crt`). */
export const CERT_DIR = '/etc/mesh/certs';
/** The trust bundle (`ca.crt`), when the mesh has one. */
export const TRUST_DIR = '/etc/mesh/trust';
/** JWKS files of local JWT providers, one folder per provider. */
export const JWKS_DIR = '/etc/mesh/jwks';
/** Server certificates of edge listeners, one folder per port. */
export const EDGE_CERT_DIR = '/etc/mesh/edge';
