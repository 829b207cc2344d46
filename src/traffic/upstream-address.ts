import { createHash } from 'crypto';
import { AddressFormat, CallOptions } from './call-options';
import { ExternalRef, isMeshService } from '../model/external-ref';
import type { ServiceRef } from '../model/refs';
import { Protocol } from '../protocol';

/**
 * Where an application finds an upstream: a loopback address of its own in
 * the caller's pod, the upstream's names pointing at it (host aliases), and
 * environment variables for applications that read addresses from there.
 */

/**
 * A stable loopback address for an upstream, derived from its namespace and
 * name alone: adding or removing other upstreams never moves it. Addresses
 * come from 127.1.0.1-127.254.255.254, leaving 127.0.0.0/16 to the
 * application and the sidecar's admin interface.
 */
export function loopbackAddress(namespace: string, name: string): string {
  const digest = createHash('sha256').update(`${namespace}/${name}`).digest();
  return `127.${1 + (digest[0] % 254)}.${digest[1]}.${1 + (digest[2] % 254)}`;
}

/**
 * The names an application in `callerNamespace` may use for `upstream`; the
 * short name only within one namespace. A host outside the cluster is called
 * by its own name only; a Service outside the mesh by every name but its fully
 * qualified one, which the sidecar resolves to reach it.
 */
export function aliasesOf(upstream: ServiceRef | ExternalRef, callerNamespace: string): string[] {
  if (!isMeshService(upstream) && !upstream._endpoint.service) return [upstream.name];
  const names = [`${upstream.name}.${upstream.namespace}`, `${upstream.name}.${upstream.namespace}.svc`];
  if (isMeshService(upstream)) names.push(upstream.fqdn);
  return upstream.namespace === callerNamespace ? [upstream.name, ...names] : names;
}

/** What an application needs to find an upstream. */
type UpstreamAddress = Pick<ServiceRef | ExternalRef, 'name' | 'namespace' | 'port' | 'protocol'>;

/** The environment variables that tell the application where `upstream` is. */
export function upstreamVariables(upstream: UpstreamAddress, options: CallOptions): Record<string, string> {
  const address = loopbackAddress(upstream.namespace, upstream.name);
  const port = options.localPort ?? upstream.port;
  const prefix = envPrefix(upstream.name);
  return {
    [`${prefix}_SERVICE_HOST`]: address,
    [`${prefix}_SERVICE_PORT`]: String(port),
    [options.addressVariable ?? defaultAddressVariable(upstream)]: formatAddress(
      options.addressFormat ?? defaultAddressFormat(upstream.protocol), upstream.name, address, port),
  };
}

/**
 * The variable that tells the application where `upstream` is when another
 * engine's proxy captures its calls: the upstream's own name and port (no
 * loopback address; Kubernetes' service links keep their own values).
 */
export function capturedUpstreamVariables(upstream: UpstreamAddress, options: CallOptions): Record<string, string> {
  const format = options.addressFormat ?? defaultAddressFormat(upstream.protocol);
  const host = format === AddressFormat.IP_URL ? AddressFormat.URL : format === AddressFormat.IP_PORT ? AddressFormat.HOST_PORT : format; // IP formats are refused
  return { [options.addressVariable ?? defaultAddressVariable(upstream)]: formatAddress(host, upstream.name, '', upstream.port) };
}

/** `order-service` -> `ORDER_SERVICE`, the prefix Kubernetes uses for service environment variables. */
export function envPrefix(name: string): string {
  return name.toUpperCase().replace(/-/g, '_');
}

/** `<NAME>_URL` for HTTP upstreams, `<NAME>_ADDRESS` for the others. */
export function defaultAddressVariable(upstream: { name: string; protocol: Protocol }): string {
  const suffix = upstream.protocol === Protocol.HTTP || upstream.protocol === Protocol.HTTP2 ? 'URL' : 'ADDRESS';
  return `${envPrefix(upstream.name)}_${suffix}`;
}

/** A URL for HTTP upstreams, `host:port` for the others. */
export function defaultAddressFormat(protocol: Protocol): AddressFormat {
  return protocol === Protocol.HTTP || protocol === Protocol.HTTP2 ? AddressFormat.URL : AddressFormat.HOST_PORT;
}

/** An upstream's address in the given format. */
export function formatAddress(format: AddressFormat, name: string, address: string, port: number): string {
  switch (format) {
    case AddressFormat.URL: return `http://${name}:${port}`;
    case AddressFormat.HOST_PORT: return `${name}:${port}`;
    case AddressFormat.IP_URL: return `http://${address}:${port}`;
    case AddressFormat.IP_PORT: return `${address}:${port}`;
  }
}
