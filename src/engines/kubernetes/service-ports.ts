import { ApiObject, JsonPatch } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-27';
import { Protocol } from '../../protocol';

/**
 * Name of a Service port for a protocol: `http`, `http2`, `grpc` or `tcp`,
 * which Istio and other meshes read as the port's protocol.
 */
export function servicePortName(protocol: Protocol): string {
  return { HTTP: 'http', HTTP2: 'http2', GRPC: 'grpc', TCP: 'tcp' }[protocol];
}

/**
 * Declares the protocol of a Service's port by `appProtocol` too, which
 * meshes other than Istio read (Istio reads the port's name): `http`,
 * `kubernetes.io/h2c` for HTTP/2 and gRPC (cleartext HTTP/2), or `tcp`.
 * cdk8s-plus-27 does not model the field, so it is patched in.
 */
export function declareAppProtocol(service: kplus.Service, portIndex: number, protocol: Protocol): void {
  const appProtocol = { HTTP: 'http', HTTP2: 'kubernetes.io/h2c', GRPC: 'kubernetes.io/h2c', TCP: 'tcp' }[protocol];
  ApiObject.of(service).addJsonPatch(JsonPatch.add(`/spec/ports/${portIndex}/appProtocol`, appProtocol));
}
