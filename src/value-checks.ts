/** Checks of single values shared by every construct and check: names, ports, header names, integer ranges. */

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

/** Whether `name` is a valid DNS name (lower-case labels separated by dots, at most 253 characters). */
export function isDnsName(name: string): boolean {
  return /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name) && name.length <= 253;
}

/** Whether `name` is a valid HTTP header name (an RFC 9110 token; letters in either case). */
export function isHeaderName(name: string): boolean {
  return /^[a-z0-9!#$%&'*+\-.^_`|~]+$/i.test(name);
}

/** Whether `port` is a valid TCP port number. */
export function isPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}

/** Largest value of Envoy's uint32 fields. */
export const UINT32_MAX = 4_294_967_295;

/** Whether `value` is an integer from `min` to the uint32 maximum (what Envoy's counts and weights take). */
export function isUint32(value: number, min = 0): boolean {
  return Number.isInteger(value) && value >= min && value <= UINT32_MAX;
}
