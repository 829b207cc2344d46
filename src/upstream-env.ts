import { AddressFormat } from './call-options';
import { envPrefix } from './names';
import { Protocol } from './protocol';

export function defaultAddressVariable(upstream: { name: string; protocol: Protocol }): string {
  const suffix = upstream.protocol === Protocol.HTTP || upstream.protocol === Protocol.HTTP2 ? 'URL' : 'ADDRESS';
  return `${envPrefix(upstream.name)}_${suffix}`;
}

export function defaultAddressFormat(protocol: Protocol): AddressFormat {
  return protocol === Protocol.HTTP || protocol === Protocol.HTTP2 ? AddressFormat.URL : AddressFormat.HOST_PORT;
}

export function formatAddress(format: AddressFormat, name: string, address: string, port: number): string {
  switch (format) {
    case AddressFormat.URL: return `http://${name}:${port}`;
    case AddressFormat.HOST_PORT: return `${name}:${port}`;
    case AddressFormat.IP_URL: return `http://${address}:${port}`;
    case AddressFormat.IP_PORT: return `${address}:${port}`;
  }
}
