/**
 * The application protocol a mesh service speaks on its port.
 */
export enum Protocol {
  /** HTTP/1.1 (Envoy accepts HTTP/2 from callers that negotiate it). */
  HTTP = 'HTTP',
  /** HTTP/2 with prior knowledge (h2c) between sidecar and application. */
  HTTP2 = 'HTTP2',
  /** gRPC: HTTP/2 with gRPC-aware retries and status codes. */
  GRPC = 'GRPC',
  /** Any other protocol over TCP, proxied as an opaque byte stream. */
  TCP = 'TCP',
}

/** Whether the protocol is routed at layer 7 (HTTP semantics). */
export function isHttp(protocol: Protocol): boolean {
  return protocol !== Protocol.TCP;
}

/** Whether the protocol needs HTTP/2 on the wire. */
export function isHttp2(protocol: Protocol): boolean {
  return protocol === Protocol.HTTP2 || protocol === Protocol.GRPC;
}
