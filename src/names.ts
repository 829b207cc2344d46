/** Naming rules shared by the constructs: Kubernetes names and derived identifiers. */

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Why `name` is not a valid DNS-1035 label (what a Service name must be), or
 * undefined when it is valid.
 */
export function invalidDnsLabel(name: string, maxLength = 63): string | undefined {
  if (typeof name !== 'string' || !DNS_LABEL.test(name) || name.length > maxLength) {
    return `'${name}' is not a valid DNS label: use at most ${maxLength} lower-case letters, digits and '-', starting with a letter and ending with a letter or digit`;
  }
  return undefined;
}

/** `order-service` -> `ORDER_SERVICE`, the prefix Kubernetes uses for service environment variables. */
export function envPrefix(name: string): string {
  return name.toUpperCase().replace(/-/g, '_');
}

/**
 * A stable loopback address for an upstream, derived from its namespace and
 * name alone: adding or removing other upstreams never moves it. Addresses
 * come from 127.1.0.1-127.254.255.254, leaving 127.0.0.0/16 to the
 * application and the sidecar's admin interface.
 */
export function loopbackAddress(namespace: string, name: string): string {
  const h = fnv1a(`${namespace}/${name}`);
  const second = 1 + (h % 254);
  const third = (h >>> 8) & 0xff;
  const fourth = 1 + ((h >>> 16) % 254);
  return `127.${second}.${third}.${fourth}`;
}

/** 32-bit FNV-1a hash of a string. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}
