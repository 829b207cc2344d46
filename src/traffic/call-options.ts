import { LoadBalancer } from './load-balancer';

/** How the address of an upstream is written into the caller's environment variable. */
export enum AddressFormat {
  /** `http://order-service:8080` (the name resolves to the caller's sidecar through /etc/hosts). */
  URL = 'URL',
  /** `order-service:8080`. */
  HOST_PORT = 'HOST_PORT',
  /** `http://127.1.2.3:8080`: the sidecar's loopback address, for applications that skip /etc/hosts. */
  IP_URL = 'IP_URL',
  /** `127.1.2.3:8080`. */
  IP_PORT = 'IP_PORT',
}

/** Options of a call from one mesh service to another (`callTo`). */
export interface CallOptions {
  /**
   * Load-balancing policy of this caller towards the upstream.
   * @default - the upstream's own `loadBalancer`
   */
  readonly loadBalancer?: LoadBalancer;
  /**
   * Port the caller's application uses for the upstream. Needed when the
   * upstream's port is also the port the caller's application listens on:
   * two sockets cannot share a port when one listens on all addresses.
   * @default - the upstream's port
   */
  readonly localPort?: number;
  /**
   * Name of the environment variable that receives the upstream's address.
   * @default - `<UPSTREAM>_URL` for HTTP upstreams, `<UPSTREAM>_ADDRESS` for gRPC and TCP
   */
  readonly addressVariable?: string;
  /**
   * Format of the address variable.
   * @default - `AddressFormat.URL` for HTTP upstreams, `AddressFormat.HOST_PORT` for gRPC and TCP
   */
  readonly addressFormat?: AddressFormat;
  /**
   * The versions of the caller that make this call (Bookinfo: reviews v2 and
   * v3 call ratings, v1 does not). Only their pods get the upstream's host
   * aliases and address variables, and the upstream's NetworkPolicy admits
   * only their pods (by version label). The versions share the caller's
   * ServiceAccount, hence its identity, so the upstream's authorization admits
   * the caller as a whole, and the caller's sidecar configuration (one per
   * service) holds the listener for every version.
   * @default - every version of the caller
   */
  readonly fromVersions?: string[];
}
