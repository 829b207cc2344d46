import { ApiObject, JsonPatch } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-27';
import type { ServiceRef } from '../../model/refs';
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

/**
 * Adds a port to a service's Service that sends callers to the application's
 * port, named and declared for its protocol: proxies that capture traffic
 * (Istio's, other GAMMA meshes') receive them there and read the protocol.
 */
function bindToApplication(kubeService: kplus.Service, service: ServiceRef, port: number, name: string): void {
  kubeService.bind(port, { name, targetPort: service.appPort });
  declareAppProtocol(kubeService, kubeService.ports.length - 1, service.protocol);
}

/** Adds a service's own port to its Service, to the application's port. */
export function bindServicePortToApplication(service: ServiceRef, kubeService: kplus.Service): void {
  bindToApplication(kubeService, service, service.port, servicePortName(service.protocol));
}

/** Adds an edge port to a service's Service, to the application's port. */
export function bindEdgePortToApplication(service: ServiceRef, kubeService: kplus.Service, port: number): void {
  bindToApplication(kubeService, service, port, `${servicePortName(service.protocol)}-edge-${port}`);
}
