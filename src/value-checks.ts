/** Checks of single values shared by every construct and check: names, ports, headers, integer ranges, durations, paths, regexes, images. */
import { Duration } from 'cdk8s';
import { WrappedRE2 } from 're2-wasm/build/wasm/re2.js';

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

/**
 * Why RE2 (the engine Envoy compiles `safe_regex` with) refuses `regex`, or
 * undefined when it compiles. Lookarounds and backreferences, which
 * JavaScript accepts, are refused here as Envoy refuses them at load. Envoy
 * also refuses programs larger than `re2.max_program_size.error_level` (100
 * by default); no RE2 binding available to the library reports program size,
 * so that limit is not checked at synth.
 */
export function re2Problem(regex: string): string | undefined {
  // The pattern as Envoy hands it to RE2 (re2-wasm's RE2 class would first translate JavaScript escapes such as \u0041).
  // The bundled RE2 predates the `(?<name>` spelling of named groups that Envoy's accepts, so only that is rewritten.
  const compiled = new WrappedRE2(regex.replace(/\(\?<(?=[A-Za-z_])/g, '(?P<'), false, false, false);
  if (compiled.ok()) return undefined;
  return `regular expression '${regex}' is refused by RE2, the engine Envoy uses (${compiled.error()}): `
    + 'RE2 has no lookarounds or backreferences; see https://github.com/google/re2/wiki/Syntax';
}

/** Why `value` cannot be an HTTP header value (control characters such as CR and LF), or undefined. */
export function headerValueProblem(value: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)
    ? `header value ${JSON.stringify(value)} holds control characters (CR, LF, NUL, ...), which HTTP forbids and Envoy refuses`
    : undefined;
}

/**
 * Whether a route may set or remove `name`: not `host` nor a pseudo-header, which Envoy refuses to change this way,
 * nor an `x-envoy-*` header, which the router would read as instructions (retries, timeouts) after the route set it.
 */
export function isMutableHeader(name: string): boolean {
  return !name.startsWith(':') && name.toLowerCase() !== 'host' && !/^x-envoy-/i.test(name);
}

/**
 * Why a prefix or exact path is not in the form Envoy compares (after normalize_path, merge_slashes and unescaping
 * slashes), so a rule on it would never apply: '//', '%', dot segments, a query or a fragment. Undefined when canonical.
 */
export function pathFormProblem(path: string): string | undefined {
  if (/\/\/|%|\?|#|(^|\/)\.\.?(\/|$)/.test(path)) {
    return `path ${JSON.stringify(path)} is not in the form Envoy compares requests in (it merges '//', decodes '%' escapes and removes dot segments first): `
      + 'write it without \'//\', \'%\', \'.\' or \'..\' segments, query or fragment';
  }
  return undefined;
}

/** Largest duration protobuf (and so Envoy) can hold: 10,000 years. */
const MAX_PROTO_DURATION_MS = 315_576_000_000_000;

/**
 * Why a duration cannot be an Envoy duration, or undefined: it must be finite,
 * within protobuf's range, and at least `min` milliseconds (1 ms unless said).
 */
export function durationProblem(duration: Duration, { min = 1 }: { min?: number } = {}): string | undefined {
  const ms = duration.toMilliseconds({ integral: false });
  if (!Number.isFinite(ms) || ms < min || ms > MAX_PROTO_DURATION_MS) {
    return `duration ${ms}ms is invalid: use a finite duration from ${min} ms to 10,000 years`;
  }
  return undefined;
}

/**
 * Whether `image` is a container image reference: `[registry[:port]/]path[:tag][@sha256:digest]`,
 * lower-case path components, a tag of at most 128 word characters, dots and dashes, nothing else.
 */
export function isImageReference(image: string): boolean {
  const component = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
  const registry = '(?:[a-zA-Z0-9.-]+(?::[0-9]+)?/)?';
  const reference = new RegExp(`^${registry}${component}(?:/${component})*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$`);
  return reference.test(image);
}

/** Whether `cidr` is an IPv4 CIDR block such as 10.0.0.0/16. */
export function isIpv4Cidr(cidr: string): boolean {
  const parts = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  return !!parts && parts.slice(1, 5).every(octet => Number(octet) <= 255) && Number(parts[5]) <= 32;
}
