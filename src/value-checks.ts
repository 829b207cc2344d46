/** Checks of single values shared by every construct and check: names, ports, headers, integer ranges, durations, paths, regexes, images. */
import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
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

/** Largest duration a Go `time.Duration` holds (what cert-manager and Prometheus parse durations into): about 292 years. */
export const MAX_GO_DURATION_MS = 9_223_372_036_854;

/** Whether `value` holds control characters (CR, LF, NUL, DEL, ...), which no name, label, audience or host in the output may hold. */
export function hasControlCharacters(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f]/.test(value);
}

const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** Why `key: value` is not a Kubernetes label (`[prefix/]name`, value of at most 63 characters), or undefined. */
export function labelProblem(key: string, value: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if ((prefix !== undefined && !isDnsName(prefix)) || !LABEL_NAME.test(name)) {
    return `label key ${JSON.stringify(key)} is invalid: use [prefix/]name, the name of at most 63 letters, digits, '-', '_' and '.', `
      + 'starting and ending with a letter or digit, the prefix a DNS name';
  }
  if (typeof value !== 'string' || (value !== '' && !LABEL_NAME.test(value))) {
    return `label ${key}: value ${JSON.stringify(value)} is invalid: use at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit`;
  }
  return undefined;
}

/** A CPU quantity as cdk8s-plus writes it: a non-negative decimal number of cores, or of millicores with `m`. */
const CPU_QUANTITY = /^(0|[1-9][0-9]{0,8})(\.[0-9]{1,3})?$|^(0|[1-9][0-9]{0,11})m$/;

/** Most mebibytes a memory quantity may take here (2^53: what a JavaScript number counts exactly, far above any node). */
const MAX_MEBIBYTES = Number.MAX_SAFE_INTEGER;

/** Why a CPU quantity (`Cpu.units(...)`, `Cpu.millis(...)`) cannot be written, or undefined. */
export function cpuProblem(cpu: kplus.Cpu): string | undefined {
  return CPU_QUANTITY.test(cpu.amount) ? undefined
    : `CPU ${cpu.amount} is invalid: use Cpu.millis() with a whole number from 0 to 999999999999, or Cpu.units() with at most 3 decimals`;
}

/** Why a memory size cannot be written as a Kubernetes quantity in mebibytes (how cdk8s-plus writes it), or undefined. */
export function memoryProblem(size: Size): string | undefined {
  const mebibytes = size.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
  if (!Number.isInteger(mebibytes) || mebibytes < 0 || mebibytes > MAX_MEBIBYTES) {
    return `memory of ${mebibytes} MiB is invalid: use a whole number of mebibytes from 0 to ${MAX_MEBIBYTES} (cdk8s-plus writes memory in Mi)`;
  }
  return undefined;
}

/**
 * Keys whose values the value walk leaves alone: environment values, commands and arguments may span lines (a shell script);
 * descriptions and problems a factory found repeat other props.
 */
const UNWALKED_KEYS = new Set(['envVariables', 'command', 'args', 'description', 'problems']);
/** Keys of options objects a factory keeps: left out of the names in messages (`failover.outlierDetection.interval`, not `...options.interval`). */
const TRANSPARENT_KEYS = new Set(['options', 'props']);

/**
 * Problems of every value in `value` that no output can hold, each naming the
 * prop it is at (`name` and the keys below it): durations that are not finite,
 * negative or beyond protobuf's range, CPU and memory quantities Kubernetes
 * refuses, NaN numbers, strings with control characters, and label maps
 * (keys ending in `labels`) that are not Kubernetes labels. It walks plain
 * objects, arrays and the instances static factories return (their internal
 * `_` fields excepted), never constructs. Every construct sends its props
 * through it; checks of a prop's own range come on top.
 */
export function valueProblems(value: unknown, name: string, seen = new Set<object>()): string[] {
  const at = name === '' ? '' : `${name} `;
  if (typeof value === 'string') {
    return hasControlCharacters(value) ? [`${at}${JSON.stringify(value)} holds control characters (CR, LF, NUL, ...): remove them`] : [];
  }
  if (typeof value === 'number') return Number.isNaN(value) ? [`${at}NaN is not a number: give a finite number`] : [];
  if (value === null || typeof value !== 'object' || seen.has(value) || Construct.isConstruct(value)) return [];
  seen.add(value);
  if (value instanceof Duration) {
    const problem = durationProblem(value, { min: 0 });
    if (problem) return [`${at}${problem}`];
    // Protobuf, Go and Prometheus durations count nanoseconds: a positive duration below one would be written as 0.
    const ns = value.toMilliseconds({ integral: false }) * 1e6;
    return ns > 0 && ns < 1 ? [`${at}duration ${ns / 1e6}ms is invalid: use at least 1 nanosecond, or 0`] : [];
  }
  if (value instanceof kplus.Cpu) return [cpuProblem(value)].filter(isDefined).map(p => `${at}${p}`);
  if (value instanceof Size) return [memoryProblem(value)].filter(isDefined).map(p => `${at}${p}`);
  if (value instanceof kplus.EnvValue) return [];
  if (Array.isArray(value)) return value.flatMap((item, i) => valueProblems(item, `${name}[${i}]`, seen));
  const problems: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    if (key.startsWith('_') || UNWALKED_KEYS.has(key) || typeof child === 'function') continue;
    const childName = TRANSPARENT_KEYS.has(key) ? name : name === '' ? key : /[:)]$/.test(name) ? `${name} ${key}` : `${name}.${key}`;
    if (/labels$/i.test(key) && child && typeof child === 'object' && !Array.isArray(child)) {
      for (const [label, labelValue] of Object.entries(child)) {
        const problem = labelProblem(label, labelValue as string);
        if (problem) problems.push(`${childName} ${problem}`);
      }
      continue;
    }
    problems.push(...valueProblems(child, childName, seen));
  }
  if (value.constructor === Object) {
    const resources = value as kplus.ContainerResources;
    for (const kind of ['cpu', 'memory'] as const) {
      const { request, limit } = (resources[kind] ?? {}) as { request?: kplus.Cpu | Size; limit?: kplus.Cpu | Size };
      if (request && limit && magnitude(request) > magnitude(limit)) {
        problems.push(`${at}${kind} request ${describeQuantity(request)} is above its limit ${describeQuantity(limit)}, which Kubernetes refuses: raise the limit or lower the request`);
      }
    }
  }
  return problems;
}

function magnitude(quantity: kplus.Cpu | Size): number {
  if (quantity instanceof kplus.Cpu) return quantity.amount.endsWith('m') ? parseFloat(quantity.amount) / 1000 : parseFloat(quantity.amount);
  return quantity.toMebibytes({ rounding: SizeRoundingBehavior.NONE });
}

function describeQuantity(quantity: kplus.Cpu | Size): string {
  return quantity instanceof kplus.Cpu ? quantity.amount : `${quantity.toMebibytes({ rounding: SizeRoundingBehavior.NONE })}Mi`;
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}

/**
 * Why a host is not one outside the pod: `localhost` (and its subdomains), a
 * loopback, unspecified or link-local address (127.0.0.0/8, 0.0.0.0, ::1, ::,
 * 169.254.0.0/16 with the clouds' metadata service at 169.254.169.254,
 * fe80::/10). The sidecar would send the application's calls to its own pod,
 * or to the node's metadata service with the pod's credentials.
 */
export function localHostProblem(host: string): string | undefined {
  const name = host.toLowerCase().replace(/\.$/, '');
  const local = name === 'localhost' || name.endsWith('.localhost')
    || /^127\./.test(name) || /^169\.254\./.test(name) || name === '0.0.0.0'
    || ['::1', '::', '0:0:0:0:0:0:0:1'].includes(name) || /^fe[89ab][0-9a-f]:/.test(name);
  return local ? `host '${host}' is this pod or the node's link-local network (loopback, link-local or cloud metadata address), not a service outside `
    + 'the mesh: name the service\'s real host' : undefined;
}
