import { Duration } from 'cdk8s';
import { durationProblem, isHeaderName, isUint32 } from '../value-checks';

/** Options for `HashKey.cookie()`. */
export interface CookieHashOptions {
  /**
   * Lifetime of the cookie Envoy generates when the request has none, so a
   * new client sticks to one host from its first request.
   * @default - no cookie is generated; requests without it are spread at random
   */
  readonly ttl?: Duration;
  /**
   * Path of the generated cookie.
   * @default - the cookie has no path attribute
   */
  readonly path?: string;
}

/** What a consistent-hash load balancer hashes, in domain values. */
export type HashKeySpec =
  | { readonly kind: 'header'; readonly name: string }
  | { readonly kind: 'cookie'; readonly name: string; readonly ttlMs?: number; readonly path?: string }
  | { readonly kind: 'sourceIp' };

/** How requests are spread over the hosts of an upstream, in domain values. */
export type LoadBalancingSpec =
  | { readonly policy: 'roundRobin' | 'random' }
  | { readonly policy: 'leastRequest'; readonly choiceCount: number }
  | { readonly policy: 'ringHash'; readonly key?: HashKeySpec; readonly minimumRingSize: number; readonly maximumRingSize?: number }
  | { readonly policy: 'maglev'; readonly key?: HashKeySpec; readonly tableSize: number };

/**
 * What a consistent-hash load balancer hashes to pick a host: requests with
 * the same key reach the same host while the set of hosts is unchanged.
 */
export abstract class HashKey {
  /** Hash the value of a request header (for example `x-user-id`). */
  public static header(name: string): HashKey {
    return new HeaderHashKey(name);
  }

  /** Hash the value of an HTTP cookie. */
  public static cookie(name: string, options: CookieHashOptions = {}): HashKey {
    return new CookieHashKey(name, options);
  }

  /** Hash the caller's IP address (works for HTTP and TCP). */
  public static sourceIp(): HashKey {
    return new SourceIpHashKey();
  }

  /** @internal */
  public abstract readonly _httpOnly: boolean;

  /** @internal */
  public abstract _spec(): HashKeySpec;

  /** @internal */
  public abstract _validate(): string[];
}

const COOKIE_NAME = /^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$/;

class HeaderHashKey extends HashKey {
  public readonly _httpOnly = true;
  constructor(private readonly name: string) { super(); }
  public _spec(): HashKeySpec {
    return { kind: 'header', name: this.name };
  }
  public _validate(): string[] {
    return isHeaderName(this.name ?? '') ? [] :
      [`hash key header name '${this.name}' is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_\`|~)`];
  }
}

class CookieHashKey extends HashKey {
  public readonly _httpOnly = true;
  constructor(private readonly name: string, private readonly options: CookieHashOptions) { super(); }
  public _spec(): HashKeySpec {
    const { ttl, path } = this.options;
    return { kind: 'cookie', name: this.name, ...(ttl && { ttlMs: ttl.toMilliseconds({ integral: false }) }), ...(path && { path }) };
  }
  public _validate(): string[] {
    const { path, ttl } = this.options;
    return [
      ...(COOKIE_NAME.test(this.name ?? '') ? [] : [`hash key cookie name '${this.name}' is not a valid cookie name (letters, digits and !#$%&'*+-.^_\`|~)`]),
      // Envoy writes the path into a Set-Cookie attribute: ';' or control characters would add attributes of their own.
      ...(path === undefined || /^\/[\x21-\x3a\x3c-\x7e]*$/.test(path) ? [] : [`hash key cookie path ${JSON.stringify(path)} is invalid: use a path starting with '/', without spaces, ';' or control characters`]),
      ...(ttl === undefined || durationProblem(ttl, { min: 0 }) === undefined ? [] : [`hash key cookie ttl: ${durationProblem(ttl, { min: 0 })}`]),
    ];
  }
}

class SourceIpHashKey extends HashKey {
  public readonly _httpOnly = false;
  public _spec(): HashKeySpec {
    return { kind: 'sourceIp' };
  }
  public _validate(): string[] { return []; }
}

/** Options for `LoadBalancer.leastRequest()`. */
export interface LeastRequestOptions {
  /**
   * How many random hosts are compared to pick the one with the fewest
   * active requests ("power of N choices"). At least 2.
   * @default 2
   */
  readonly choiceCount?: number;
}

/** Options for `LoadBalancer.ringHash()`. */
export interface RingHashOptions {
  /** What is hashed to choose a host. */
  readonly key: HashKey;
  /**
   * Minimum number of entries on the hash ring; larger rings spread load more evenly.
   * @default 1024
   */
  readonly minimumRingSize?: number;
  /**
   * Maximum number of entries on the hash ring.
   * @default 8388608
   */
  readonly maximumRingSize?: number;
}

/** Options for `LoadBalancer.maglev()`. */
export interface MaglevOptions {
  /** What is hashed to choose a host. */
  readonly key: HashKey;
  /**
   * Size of the Maglev lookup table; must be a prime number.
   * @default 65537
   */
  readonly tableSize?: number;
}

/**
 * How a caller's sidecar spreads requests over the instances of an upstream.
 * Set on the destination service; a caller may override it for its own edge.
 */
export abstract class LoadBalancer {
  /** Each instance in turn (weighted round robin when instance pools have weights). */
  public static roundRobin(): LoadBalancer {
    return new SimpleLoadBalancer('roundRobin');
  }

  /** A random instance for each request. */
  public static random(): LoadBalancer {
    return new SimpleLoadBalancer('random');
  }

  /** The instance with the fewest active requests among `choiceCount` random picks. */
  public static leastRequest(options: LeastRequestOptions = {}): LoadBalancer {
    return new LeastRequestLoadBalancer(options.choiceCount ?? 2);
  }

  /** Consistent hashing on a ring (Ketama): a key sticks to one instance. */
  public static ringHash(options: RingHashOptions): LoadBalancer {
    return new RingHashLoadBalancer(options);
  }

  /** Consistent hashing with Maglev's lookup table: faster to build than a ring, less stable on change. */
  public static maglev(options: MaglevOptions): LoadBalancer {
    return new MaglevLoadBalancer(options);
  }

  /** Short description of the policy, for diagrams and errors. */
  public abstract readonly description: string;

  /** @internal */
  public abstract _spec(): LoadBalancingSpec;

  /**
   * Problems with this policy for an upstream of the given protocol family.
   * @internal
   */
  public _validate(_http: boolean): string[] {
    return [];
  }
}

class SimpleLoadBalancer extends LoadBalancer {
  public readonly description: string;
  constructor(private readonly policy: 'roundRobin' | 'random') {
    super();
    this.description = policy === 'random' ? 'random' : 'round robin';
  }
  public _spec(): LoadBalancingSpec {
    return { policy: this.policy };
  }
}

class LeastRequestLoadBalancer extends LoadBalancer {
  public readonly description: string;
  constructor(private readonly choiceCount: number) {
    super();
    this.description = `least request (${choiceCount} choices)`;
  }
  public _spec(): LoadBalancingSpec {
    return { policy: 'leastRequest', choiceCount: this.choiceCount };
  }
  public _validate(): string[] {
    return isUint32(this.choiceCount, 2) ? [] :
      [`leastRequest choiceCount ${this.choiceCount} is invalid: use an integer of at least 2`];
  }
}

abstract class HashLoadBalancer extends LoadBalancer {
  constructor(protected readonly key: HashKey | undefined, private readonly kind: string) { super(); }

  /** The key's spec, if there is a key (callers that skip type checks may omit it). */
  protected keySpec(): { key?: HashKeySpec } {
    return this.key ? { key: this.key._spec() } : {};
  }

  public _validate(http: boolean): string[] {
    if (!this.key) {
      return [`${this.kind} load balancer has no key: pass key: HashKey.header(...), HashKey.cookie(...) or HashKey.sourceIp()`];
    }
    const errors = this.key._validate();
    if (this.key._httpOnly && !http) {
      errors.push(`${this.kind} load balancer hashes an HTTP header or cookie, but the upstream speaks TCP: use HashKey.sourceIp()`);
    }
    return errors;
  }
}

class RingHashLoadBalancer extends HashLoadBalancer {
  public readonly description = 'ring hash';
  constructor(private readonly options: RingHashOptions) { super(options.key, 'ringHash'); }
  public _spec(): LoadBalancingSpec {
    const { minimumRingSize, maximumRingSize } = this.options;
    return {
      policy: 'ringHash',
      ...this.keySpec(),
      minimumRingSize: minimumRingSize ?? 1024,
      ...(maximumRingSize !== undefined && { maximumRingSize }),
    };
  }
  public _validate(http: boolean): string[] {
    const errors = super._validate(http);
    const min = this.options.minimumRingSize ?? 1024;
    const max = this.options.maximumRingSize ?? 8_388_608;
    if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max > 8_388_608 || min > max) {
      errors.push(`ringHash ring sizes ${min}..${max} are invalid: use integers with 1 <= minimumRingSize <= maximumRingSize <= 8388608`);
    }
    return errors;
  }
}

class MaglevLoadBalancer extends HashLoadBalancer {
  public readonly description = 'maglev';
  constructor(private readonly options: MaglevOptions) { super(options.key, 'maglev'); }
  public _spec(): LoadBalancingSpec {
    return { policy: 'maglev', ...this.keySpec(), tableSize: this.options.tableSize ?? 65537 };
  }
  public _validate(http: boolean): string[] {
    const errors = super._validate(http);
    const size = this.options.tableSize;
    if (size !== undefined && (!isPrime(size) || size > 5_000_011)) {
      errors.push(`maglev tableSize ${size} is invalid: use a prime number up to 5000011 (for example 65537)`);
    }
    return errors;
  }
}

function isPrime(n: number): boolean {
  if (!Number.isInteger(n) || n < 2) return false;
  for (let d = 2; d * d <= n; d++) {
    if (n % d === 0) return false;
  }
  return true;
}
