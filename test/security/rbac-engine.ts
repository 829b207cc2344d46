/**
 * Envoy's RBAC semantics as gRPC implements them (`@grpc/grpc-js-xds`,
 * build/src/rbac.js), applied to the RBAC filters we emit. The emitted JSON is
 * decoded through Envoy's protos first: gRPC's parser expects proto-loader
 * objects with the oneof fields (`rule`, `identifier`, `match_pattern`) set,
 * and raw JSON would fall through to rules that match nothing.
 *
 * Limits of gRPC's engine: metadata permissions are always false,
 * `requested_server_name` only matches empty, and shadow rules are ignored.
 */
import { loadEnvoyProtos } from '../validate/envoy';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parseConfig } = require('@grpc/grpc-js-xds/build/src/rbac.js');

/** A request reaching a sidecar's inbound listener. */
export interface InboundRequest {
  /** The caller's SPIFFE identity (URI SAN of its client certificate); undefined for no certificate. */
  readonly principal?: string;
  readonly path: string;
  readonly method: string;
}

/** Whether the HTTP RBAC filter config `rbac` (a typed_config of envoy.filters.http.rbac) lets the request through. */
export type RbacEngine = (request: InboundRequest) => boolean;

/** gRPC's RBAC engine for an emitted HTTP RBAC filter config (enforced rules only). */
export function rbacEngine(rbac: any): RbacEngine {
  if (!rbac.rules) return () => true; // no enforced rules (dry run): everything passes
  const type = loadEnvoyProtos().lookupType('envoy.config.rbac.v3.RBAC');
  const problem = type.verify(type.fromObject(rbac.rules));
  if (problem) throw new Error(`RBAC rules do not decode: ${problem}`);
  const decoded = type.toObject(type.fromObject(rbac.rules), { oneofs: true, defaults: true, enums: String, longs: String });
  const group = parseConfig(decoded);
  return ({ principal, path, method }) => group.apply({
    tls: true,
    peerCertificate: principal ? { subjectaltname: `URI:${principal}`, subject: {} } : null,
    sourceIp: '10.1.2.3',
    headers: headerMap({ ':method': method, ':path': path, ':authority': 'service' }),
    urlPath: path,
    destinationIp: '10.1.2.4',
    destinationPort: 15006,
  });
}

/** The one method of gRPC's Metadata the matchers use; real Metadata refuses pseudo-header names such as ':method'. */
function headerMap(headers: Record<string, string>) {
  return { get: (name: string) => (name in headers ? [headers[name]] : []) };
}
