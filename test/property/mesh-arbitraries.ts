/**
 * fast-check arbitraries for whole mesh descriptions.
 *
 * A description is plain data (strings, numbers, small records), so fast-check
 * can print and shrink it; `mesh-builder.ts` turns it into constructs.
 * References between elements are small natural numbers that the builder
 * resolves modulo the list they index (the k-th service, the k-th caller of a
 * service, ...), so they stay meaningful while lists shrink.
 *
 * Every description is either *clean* (only values the library documents as
 * valid; the builder keeps references consistent) or *noisy*: each field then
 * takes a deliberately invalid value with a small probability, and elements may
 * carry a `fault` that makes the builder break a cross-reference rule on
 * purpose (a self call, a caller that does not call, HTTP settings on a TCP
 * service...). Clean meshes can still be rejected by whole-graph rules
 * (shadowed routes, retry amplification, timeout budgets).
 */
import * as fc from 'fast-check';
import { AddressFormat, AuthorizationMode, HttpMethod, MtlsMode, Protocol, RetryCondition, TlsVersion } from '../../src';

// ---------------------------------------------------------------------------
// Descriptions
// ---------------------------------------------------------------------------

export type DurationUnit = 'millis' | 'seconds' | 'minutes' | 'hours' | 'days';
/** `Duration[unit](amount)`. */
export interface DurationDesc { readonly unit: DurationUnit; readonly amount: number }

export type HashKeyDesc =
  | { readonly kind: 'header'; readonly name: string }
  | { readonly kind: 'cookie'; readonly name: string; readonly ttl?: DurationDesc; readonly path?: string }
  | { readonly kind: 'sourceIp' };

export type LoadBalancerDesc =
  | { readonly kind: 'roundRobin' }
  | { readonly kind: 'random' }
  | { readonly kind: 'leastRequest'; readonly choiceCount?: number }
  /** `key` undefined: the options object lacks its required key (as `{} as RingHashOptions`). */
  | { readonly kind: 'ringHash'; readonly key?: HashKeyDesc; readonly minimumRingSize?: number; readonly maximumRingSize?: number }
  | { readonly kind: 'maglev'; readonly key?: HashKeyDesc; readonly tableSize?: number };

export type PathDesc = { readonly kind: 'prefix' | 'exact' | 'regex'; readonly value: string };
export type HeaderMatchDesc = { readonly kind: 'exact' | 'regex' | 'present'; readonly name: string; readonly value: string };
export interface MatchDesc {
  readonly path?: PathDesc;
  readonly headers?: HeaderMatchDesc[];
  readonly queryParameters?: Array<{ readonly name: string; readonly value: string }>;
  readonly methods?: HttpMethod[];
}

export type PeerDesc =
  | { readonly kind: 'namespace'; readonly name: string; readonly podLabels?: Record<string, string> }
  | { readonly kind: 'ipBlock'; readonly cidr: string }
  | { readonly kind: 'anywhere' };

export interface ExposureDesc {
  readonly peer: PeerDesc;
  readonly port: number;
  readonly tls: boolean;
  /** `appPort`: the service's own port; `inbound`/`stats`/`admin`: a sidecar port. */
  readonly fault?: 'appPort' | 'inbound' | 'stats' | 'admin';
}

export interface VersionDesc {
  readonly name: string;
  readonly image?: string;
  readonly replicas?: number;
  /** `sameAsMain`: the main version's name again. */
  readonly fault?: 'sameAsMain';
}

export interface PoolDesc {
  readonly name: string;
  readonly weight: number;
  readonly replicas?: number;
  /** `main`: the name of the pool every version starts with. */
  readonly fault?: 'main';
}

export type EnvDesc = 'plain' | 'secretRef' | 'literalSecret' | 'missingSecretKey';

export interface ServiceDesc {
  readonly name: string;
  /** Pass `name` in props (construct id `<name>-svc`) rather than as the construct id. */
  readonly explicitName: boolean;
  readonly namespace?: string;
  /** Declare the service in the app's second chart, if there is one. */
  readonly secondChart: boolean;
  readonly port: number;
  readonly protocol: Protocol;
  readonly image: string;
  readonly version?: string;
  readonly weight?: number;
  readonly replicas?: number;
  readonly loadBalancer?: LoadBalancerDesc;
  readonly versions: VersionDesc[];
  readonly pools: PoolDesc[];
  readonly exposures: ExposureDesc[];
  /** Adopt an existing Deployment instead of giving an image. */
  readonly adopted?: { readonly serviceAccount: boolean };
  readonly env?: EnvDesc;
  /**
   * `sameNameAsPrevious`: reuse the previous service's name and namespace;
   * `adoptedWithWorkloads`: keep versions and pools of an adopted Deployment
   * (without image), which the library refuses.
   */
  readonly fault?: 'sameNameAsPrevious' | 'adoptedWithWorkloads';
}

export interface EdgeDesc {
  readonly from: number;
  readonly to: number;
  readonly loadBalancer?: LoadBalancerDesc;
  readonly localPort?: number;
  readonly addressVariable?: string;
  readonly addressFormat?: AddressFormat;
  /**
   * `self`: call itself; `duplicate`: declare the edge twice; `portClash`: keep
   * an upstream port equal to the caller's (no localPort); `otherMesh`: call
   * the service of the second mesh.
   */
  readonly fault?: 'self' | 'duplicate' | 'portClash' | 'otherMesh';
}

export type TargetDesc = { readonly kind: 'version' | 'service'; readonly index: number };

export interface RouteDesc {
  readonly service: number;
  /** The k-th caller of the service, when the route applies to one caller only. */
  readonly caller?: number;
  readonly priority?: number;
  readonly match?: MatchDesc;
  readonly targets: TargetDesc[];
  /** Cut points in 0..100: the weights are the gaps between them (they sum to 100). */
  readonly cuts: number[];
  /** Weights used as given instead of the cuts (noisy only). */
  readonly rawWeights?: number[];
  readonly mirror?: TargetDesc;
  readonly mirrorPercent?: number;
  readonly timeout?: DurationDesc;
  readonly requestHeaders?: { readonly set?: Record<string, string>; readonly remove?: string[] };
  readonly fault?: 'notCaller' | 'httpOnTcp' | 'missingVersion' | 'selfService' | 'duplicateTarget' | 'shadowed';
}

export type RetryDesc = {
  readonly kind: 'gatewayErrors' | 'serverErrors' | 'on';
  /** For `on`: the conditions (RETRIABLE_STATUS_CODES is added when statusCodes are given). */
  readonly conditions?: RetryCondition[];
  readonly statusCodes?: number[];
  readonly attempts?: number;
  readonly perTryTimeout?: DurationDesc;
  readonly backoffBase?: DurationDesc;
  readonly backoffMax?: DurationDesc;
  readonly retryOtherHost?: boolean;
};

export type OutlierDesc = {
  readonly kind: 'consecutiveErrors' | 'consecutiveGatewayErrors' | 'successRate';
  readonly errors: number;
  readonly interval?: DurationDesc;
  readonly baseEjectionTime?: DurationDesc;
  readonly maxEjectionPercent?: number;
  readonly stdevFactor?: number;
  readonly minimumHosts?: number;
  readonly requestVolume?: number;
};

export interface CircuitBreakerDesc {
  readonly maxConnections?: number;
  readonly maxPendingRequests?: number;
  readonly maxRequests?: number;
  readonly maxRetries?: number;
  readonly retryBudgetPercent?: number;
  readonly retryBudgetMinConcurrency?: number;
}

export type HealthCheckDesc = {
  readonly kind: 'http' | 'tcp';
  readonly path: string;
  readonly interval?: DurationDesc;
  readonly timeout?: DurationDesc;
  readonly unhealthyThreshold?: number;
  readonly healthyThreshold?: number;
};

export type BackupDesc =
  | { readonly kind: 'service'; readonly index: number }
  | { readonly kind: 'host'; readonly hostname: string; readonly port: number; readonly tls?: boolean };

export interface FaultInjectionDesc {
  readonly delay?: DurationDesc;
  readonly delayPercent?: number;
  readonly abortStatus?: number;
  readonly abortPercent?: number;
}

export interface FailoverDesc {
  readonly service: number;
  readonly caller?: number;
  readonly retry?: RetryDesc;
  readonly timeout?: DurationDesc;
  readonly idleTimeout?: DurationDesc;
  readonly outlierDetection?: OutlierDesc;
  readonly circuitBreaker?: CircuitBreakerDesc;
  readonly healthCheck?: HealthCheckDesc;
  readonly backup?: BackupDesc;
  readonly faultInjection?: FaultInjectionDesc;
  readonly fault?: 'notCaller' | 'httpOnTcp' | 'selfBackup' | 'noDetection' | 'duplicate' | 'loop';
}

export interface AuthorizationDesc {
  /** The k-th call edge of the mesh: its upstream is the service, its caller the caller. */
  readonly edge: number;
  readonly paths?: PathDesc[];
  readonly methods?: HttpMethod[];
  readonly fault?: 'notCaller' | 'httpOnTcp' | 'mtlsDisabled';
}

export type JwksDesc =
  | { readonly kind: 'remote'; readonly uri: string; readonly cacheDuration?: DurationDesc }
  | { readonly kind: 'configMap' | 'secret' };

export interface JwtDesc {
  readonly id: string;
  /** The k-th HTTP service. */
  readonly service: number;
  readonly issuer: string;
  readonly jwks?: JwksDesc;
  readonly audiences?: string[];
  readonly paths?: PathDesc[];
  readonly claimHeaders?: Record<string, string>;
  readonly forwardToken?: boolean;
  readonly fault?: 'tcp';
}

export type CertificatesDesc =
  | { readonly kind: 'none' }
  | { readonly kind: 'selfSignedCa'; readonly namespace?: string; readonly duration?: DurationDesc }
  | { readonly kind: 'clusterIssuer' | 'issuer'; readonly name: string }
  | { readonly kind: 'existingSecrets' };

export interface MeshSettingsDesc {
  readonly id: string;
  readonly chartNamespace: string;
  readonly namespace?: string;
  readonly mtls: MtlsMode;
  readonly certificates: CertificatesDesc;
  readonly authorization?: AuthorizationMode;
  readonly networkPolicies?: boolean;
  readonly tlsMinimumVersion?: TlsVersion;
  readonly trustDomain?: string;
  readonly clusterDomain?: string;
  readonly envoyImage?: string;
  readonly ports?: { readonly admin?: number; readonly inbound?: number; readonly stats?: number };
  readonly drainDuration?: DurationDesc;
  readonly maxRetryAmplification?: number;
  readonly certificateDuration?: DurationDesc;
  readonly certificateRenewBefore?: DurationDesc;
  readonly monitoringNamespace?: string;
}

/** Another Mesh of the same app, with one service, in the first chart or in a chart of its own. */
export interface SecondMeshDesc {
  readonly id: string;
  readonly ownChart: boolean;
  readonly serviceName: string;
}

export interface MeshDescription {
  readonly noisy: boolean;
  readonly mesh: MeshSettingsDesc;
  /** Namespace of a second chart of the app (services with `secondChart` go there). */
  readonly secondChart?: string;
  readonly secondMesh?: SecondMeshDesc;
  readonly services: ServiceDesc[];
  readonly edges: EdgeDesc[];
  /** Add versions and instance pools after the calls are declared rather than before. */
  readonly poolsAfterEdges: boolean;
  readonly routes: RouteDesc[];
  readonly failovers: FailoverDesc[];
  readonly authorizations: AuthorizationDesc[];
  readonly jwts: JwtDesc[];
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/** Usually undefined (`absent` of `absent + 1` times); shrinks to undefined. */
function maybe<T>(arb: fc.Arbitrary<T>, absent = 2): fc.Arbitrary<T | undefined> {
  return fc.oneof({ withCrossShrink: true },
    { arbitrary: fc.constant(undefined), weight: absent }, { arbitrary: arb, weight: 1 });
}

/** A record of type `T` whose optional fields are present (as `undefined`) when not generated. */
function record<T>(model: { [K in keyof T]-?: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> {
  return fc.record(model as Record<string, fc.Arbitrary<unknown>>, { noNullPrototype: true }) as unknown as fc.Arbitrary<T>;
}

/**
 * The arbitraries of one flavour of mesh: `noisy` mixes an invalid value into
 * a field roughly once in `1 + GOOD_WEIGHT` draws, and an element carries a
   * structural fault about once in 29.
 */
class Gen {
  private static readonly GOOD_WEIGHT = 30;
  constructor(public readonly noisy: boolean) {}

  /** `good`, or in a noisy mesh sometimes `bad`. */
  public pick<T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<T>): fc.Arbitrary<T> {
    if (!this.noisy) return good;
    return fc.oneof({ withCrossShrink: true }, { arbitrary: good, weight: Gen.GOOD_WEIGHT }, { arbitrary: bad, weight: 1 });
  }

  /** An optional element fault, only in noisy meshes. */
  public fault<F extends string>(...faults: F[]): fc.Arbitrary<F | undefined> {
    if (!this.noisy) return fc.constant(undefined);
    return fc.oneof({ withCrossShrink: true },
      { arbitrary: fc.constant(undefined), weight: 28 }, { arbitrary: fc.constantFrom(...faults), weight: 1 });
  }

  public duration(unit: DurationUnit, min: number, max: number): fc.Arbitrary<DurationDesc> {
    return fc.integer({ min, max }).map(amount => ({ unit, amount }));
  }

  /** Durations that are zero, or not whole in the unit a field is rendered in. */
  public badDuration(...odd: DurationDesc[]): fc.Arbitrary<DurationDesc> {
    return fc.constantFrom<DurationDesc>({ unit: 'millis', amount: 0 }, { unit: 'millis', amount: Infinity }, { unit: 'days', amount: 1e12 }, ...odd);
  }

  /** Request timeouts: mostly 15-30 s (Envoy's default is 15 s), sometimes short. */
  public requestTimeout(): fc.Arbitrary<DurationDesc> {
    return this.pick(fc.oneof(
      { arbitrary: this.duration('seconds', 15, 30), weight: 3 },
      { arbitrary: this.duration('millis', 500, 5000), weight: 1 },
    ), this.badDuration());
  }

  public count(min: number, max: number): fc.Arbitrary<number> {
    return this.pick(fc.integer({ min, max }), fc.constantFrom(min - 1, 1.5, 2 ** 32, Number.NaN));
  }

  public percent(): fc.Arbitrary<number> {
    return this.pick(fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constantFrom(0.5, 12.5, 99.9)),
      fc.constantFrom(-1, 100.5, 150, Number.NaN));
  }

  // --- names ---------------------------------------------------------------

  public serviceName(): fc.Arbitrary<string> {
    return this.pick(
      fc.constantFrom('orders', 'users', 'cart', 'db', 'api', 'search', 'payments', 'auth', 'web', 'inventory'),
      fc.constantFrom('OrderService', 'order_service', '1st', 'svc-', 'orders-v2', 'users-v1', 'x'.repeat(60), 'y'.repeat(64)),
    );
  }

  public namespace(): fc.Arbitrary<string | undefined> {
    return this.pick(
      fc.constantFrom(undefined, undefined, undefined, 'shop', 'billing', 'dr'),
      fc.constantFrom('Billing', 'dr_1', '-ns', 'n'.repeat(64)),
    );
  }

  public version(): fc.Arbitrary<string> {
    return this.pick(fc.constantFrom('v2', 'v3', 'canary', 'blue'), fc.constantFrom('V2', 'v_2', '', 'v1-large', 'main'));
  }

  public servicePort(): fc.Arbitrary<number> {
    // Clean ports avoid the sidecar's (15000-16999, see meshPorts), localPorts
    // (20000-29999) and edge ports (30000-30999).
    return this.pick(
      fc.oneof(fc.constantFrom(80, 443, 3000, 3001, 5432, 6379, 8080, 8081, 8443, 9090), fc.integer({ min: 1025, max: 14999 })),
      fc.constantFrom(0, -1, 65536, 15000, 15006, 15090, 8080.5, Number.NaN),
    );
  }

  // --- load balancing ---------------------------------------------------------

  public hashKey(http: boolean): fc.Arbitrary<HashKeyDesc> {
    const sourceIp = fc.constant<HashKeyDesc>({ kind: 'sourceIp' });
    if (!http) return this.pick(sourceIp, fc.constant<HashKeyDesc>({ kind: 'header', name: 'x-user-id' }));
    const header = this.pick(fc.constantFrom('x-user-id', 'X-Session', 'user-agent'), fc.constantFrom('x user', '', 'ä'))
      .map<HashKeyDesc>(name => ({ kind: 'header', name }));
    const cookie = record({
      kind: fc.constant('cookie' as const),
      name: this.pick(fc.constantFrom('session', 'SID'), fc.constantFrom('bad cookie', '')),
      ttl: maybe(this.pick(fc.oneof(this.duration('seconds', 1, 86400), this.duration('hours', 1, 24)),
        this.badDuration({ unit: 'millis', amount: 1500 }))),
      path: maybe(fc.constantFrom('/', '/app')),
    });
    return fc.oneof(header, cookie, sourceIp);
  }

  /** A load balancer for services of the given family (`http`), or any (`undefined`: TCP-safe keys only). */
  public loadBalancer(http: boolean): fc.Arbitrary<LoadBalancerDesc> {
    const missingKey = this.pick(fc.constant(false), fc.constant(true));
    return fc.oneof(
      fc.constant<LoadBalancerDesc>({ kind: 'roundRobin' }),
      fc.constant<LoadBalancerDesc>({ kind: 'random' }),
      record({ kind: fc.constant('leastRequest' as const), choiceCount: maybe(this.count(2, 10)) }),
      record({
        kind: fc.constant('ringHash' as const),
        key: this.hashKey(http),
        missingKey,
        minimumRingSize: maybe(this.pick(fc.constantFrom(1, 64, 1024, 4096), fc.constantFrom(0, 1.5, 10_000_000))),
        maximumRingSize: maybe(this.pick(fc.constantFrom(8192, 8_388_608), fc.constantFrom(16, 8_388_609))),
      }).map(({ missingKey: missing, key, ...rest }) => ({ ...rest, key: missing ? undefined : key })),
      record({
        kind: fc.constant('maglev' as const),
        key: this.hashKey(http),
        missingKey,
        tableSize: maybe(this.pick(fc.constantFrom(131, 65537, 5_000_011), fc.constantFrom(100, 1, 5_000_101))),
      }).map(({ missingKey: missing, key, ...rest }) => ({ ...rest, key: missing ? undefined : key })),
    );
  }

  // --- services ---------------------------------------------------------------

  public peer(): fc.Arbitrary<PeerDesc> {
    return fc.oneof(
      record({
        kind: fc.constant('namespace' as const),
        name: this.pick(fc.constantFrom('ingress-nginx', 'gateway'), fc.constantFrom('ingress nginx', 'Ingress_', '')),
        podLabels: maybe(this.pick<Record<string, string>>(fc.constant({ app: 'ingress' }), fc.constantFrom<Record<string, string>>({ 'app name': 'x' }, { app: 'bad value!' }))),
      }),
      record({
        kind: fc.constant('ipBlock' as const),
        cidr: this.pick(fc.constantFrom('10.0.0.0/8', '192.168.1.0/24'), fc.constantFrom('10.0.0.0/33', 'not-a-cidr')),
      }),
      fc.constant<PeerDesc>({ kind: 'anywhere' }),
    );
  }

  public exposure(): fc.Arbitrary<ExposureDesc> {
    return record({
      peer: this.peer(),
      port: this.pick(fc.integer({ min: 30000, max: 30999 }), fc.constantFrom(443, 80, 0, 70000)),
      tls: fc.boolean(),
      fault: this.fault('appPort', 'inbound', 'stats', 'admin'),
    });
  }

  public service(): fc.Arbitrary<ServiceDesc> {
    const protocol = fc.oneof(
      { arbitrary: fc.constant(Protocol.HTTP), weight: 4 },
      { arbitrary: fc.constantFrom(Protocol.HTTP2, Protocol.GRPC), weight: 2 },
      { arbitrary: fc.constant(Protocol.TCP), weight: 2 },
    );
    return protocol.chain(p => record({
      name: this.serviceName(),
      explicitName: fc.boolean(),
      namespace: this.namespace(),
      secondChart: fc.boolean(),
      port: this.servicePort(),
      protocol: fc.constant(p),
      image: this.pick(fc.constantFrom('example/app:1.0.0', 'registry.example.com/team/app:2.3.1'), fc.constantFrom('', '  ')),
      version: maybe(this.pick(fc.constantFrom('v1', 'stable'), fc.constantFrom('V1', 'v.1'))),
      weight: maybe(this.count(1, 5)),
      replicas: maybe(this.pick(fc.integer({ min: 0, max: 3 }), fc.constantFrom(-1, 1.5))),
      loadBalancer: maybe(this.loadBalancer(p !== Protocol.TCP)),
      versions: fc.uniqueArray(record({
        name: this.version(),
        image: maybe(fc.constantFrom('example/app:2.0.0-rc.1')),
        replicas: maybe(this.pick(fc.integer({ min: 0, max: 3 }), fc.constantFrom(-1, 1.5))),
        fault: this.fault('sameAsMain'),
      }), { maxLength: 2, selector: v => v.name }),
      pools: fc.uniqueArray(record({
        name: this.pick(fc.constantFrom('large', 'spot', 'arm'), fc.constantFrom('Large', 'canary')),
        weight: this.count(1, 5),
        replicas: maybe(this.pick(fc.integer({ min: 0, max: 3 }), fc.constantFrom(-1, 1.5))),
        fault: this.fault('main'),
      }), { maxLength: 2, selector: v => v.name }),
      exposures: fc.uniqueArray(this.exposure(), { maxLength: 2, selector: e => e.port }),
      adopted: maybe(this.pick<{ serviceAccount: boolean }>(fc.constant({ serviceAccount: true }), fc.constant({ serviceAccount: false })), 8),
      env: maybe(this.pick(fc.constantFrom<EnvDesc>('plain', 'secretRef'), fc.constantFrom<EnvDesc>('literalSecret', 'missingSecretKey'))),
      fault: this.fault('sameNameAsPrevious', 'adoptedWithWorkloads'),
    }));
  }

  // --- edges -------------------------------------------------------------------

  public edge(): fc.Arbitrary<EdgeDesc> {
    return record({
      from: fc.nat({ max: 5 }),
      to: fc.nat({ max: 5 }),
      // Overrides use TCP-safe keys: the upstream's protocol is not known here.
      loadBalancer: maybe(this.loadBalancer(false), 4),
      localPort: maybe(this.pick(fc.integer({ min: 20000, max: 29999 }), fc.constantFrom(0, 70000, 15000, 15090)), 4),
      addressVariable: maybe(this.pick(fc.constantFrom('BACKEND_URL', 'UPSTREAM_ADDRESS'), fc.constantFrom('1ABC', 'my-var', '')), 5),
      addressFormat: maybe(fc.constantFrom(AddressFormat.URL, AddressFormat.HOST_PORT, AddressFormat.IP_URL, AddressFormat.IP_PORT)),
      fault: this.fault('self', 'duplicate', 'portClash', 'otherMesh'),
    });
  }

  // --- traffic -------------------------------------------------------------------

  public path(forRoute: boolean): fc.Arbitrary<PathDesc> {
    const good = fc.oneof(
      fc.constantFrom('/api/', '/api/v1/', '/orders', '/').map(value => ({ kind: 'prefix' as const, value })),
      fc.constantFrom('/health', '/api/v1/orders').map(value => ({ kind: 'exact' as const, value })),
      fc.constantFrom('/orders/[0-9]+', '/api/v[0-9]+/.*').map(value => ({ kind: 'regex' as const, value })),
    );
    const bad = fc.constantFrom<PathDesc>(
      { kind: 'prefix', value: 'api' }, { kind: 'prefix', value: '' }, { kind: 'exact', value: '' }, { kind: 'regex', value: '(' },
      // RE2 refuses what JavaScript accepts: lookarounds and backreferences; and paths no request has.
      { kind: 'regex', value: '/api/(?!internal).*' }, { kind: 'regex', value: '/(a)\\1' }, { kind: 'exact', value: '/a b\r\n' },
      ...(forRoute ? [] : [{ kind: 'regex' as const, value: '[z-a]' }]),
    );
    return this.pick(good, bad);
  }

  public match(): fc.Arbitrary<MatchDesc> {
    const headerName = this.pick(fc.constantFrom('x-canary', 'X-User-Group', 'user-agent', ':authority'), fc.constantFrom('x canary', ''));
    const header = record<HeaderMatchDesc>({
      kind: fc.constantFrom('exact' as const, 'regex' as const, 'present' as const),
      name: headerName,
      value: this.pick(fc.constantFrom('true', 'beta'), fc.constantFrom('a\r\nx-admin: 1', 'nul\u0000')),
    }).chain((h): fc.Arbitrary<HeaderMatchDesc> => h.kind !== 'regex' ? fc.constant(h)
      : this.pick(fc.constantFrom('^(a|b)$', '.*beta.*'), fc.constantFrom('(', '[', '(?<=a)b', '(x)\\1')).map(value => ({ ...h, value })));
    return record<MatchDesc>({
      path: maybe(this.path(true), 1),
      headers: maybe(fc.array(header, { minLength: 1, maxLength: 2 })),
      queryParameters: maybe(fc.array(record({
        name: this.pick(fc.constantFrom('beta', 'version'), fc.constant('')),
        value: fc.constantFrom('1', 'true', ''),
      }), { minLength: 1, maxLength: 2 }), 3),
      methods: maybe(fc.subarray([HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE], { minLength: 1 }), 3),
    });
  }

  public target(): fc.Arbitrary<TargetDesc> {
    return record({
      kind: fc.oneof({ arbitrary: fc.constant('version' as const), weight: 3 }, { arbitrary: fc.constant('service' as const), weight: 1 }),
      index: fc.nat({ max: 5 }),
    });
  }

  public route(): fc.Arbitrary<RouteDesc> {
    return record({
      service: fc.nat({ max: 5 }),
      caller: maybe(fc.nat({ max: 5 })),
      priority: maybe(this.pick(fc.integer({ min: 1, max: 2000 }), fc.constantFrom(-5, 1.5)), 3),
      match: maybe(this.match(), 1),
      targets: fc.array(this.target(), { minLength: 1, maxLength: 3 }),
      cuts: fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 2, maxLength: 2 }),
      rawWeights: this.noisy
        ? maybe(fc.array(fc.constantFrom(0, 10, 50, 90, 100, -10, 33.5), { minLength: 1, maxLength: 3 }), 8)
        : fc.constant(undefined),
      mirror: maybe(this.target(), 4),
      mirrorPercent: maybe(this.percent()),
      timeout: maybe(this.requestTimeout(), 4),
      requestHeaders: maybe(record({
        set: maybe(this.pick<Record<string, string>>(fc.constant({ 'x-route': 'canary' }), fc.constantFrom<Record<string, string>>({ '': 'x' }, { 'x bad': 'y' }, { ':path': '/x' })), 1),
        remove: maybe(this.pick<string[]>(fc.constant(['x-debug']), fc.constantFrom([''], ['bad header'])), 1),
      }), 4),
      fault: this.fault('notCaller', 'httpOnTcp', 'missingVersion', 'selfService', 'duplicateTarget', 'shadowed'),
    });
  }

  // --- failover --------------------------------------------------------------------

  public retry(): fc.Arbitrary<RetryDesc> {
    const conditions = fc.subarray([
      RetryCondition.SERVER_ERROR, RetryCondition.GATEWAY_ERROR, RetryCondition.RESET, RetryCondition.CONNECT_FAILURE,
      RetryCondition.REFUSED_STREAM, RetryCondition.GRPC_UNAVAILABLE, RetryCondition.GRPC_DEADLINE_EXCEEDED,
    ], { minLength: this.noisy ? 0 : 1, maxLength: 3 });
    const statusCodes = this.pick<number[]>(fc.subarray([429, 503, 409], { maxLength: 2 }), fc.constantFrom([99], [600], [429.5]));
    return record({
      kind: fc.constantFrom('gatewayErrors' as const, 'serverErrors' as const, 'on' as const),
      conditions,
      statusCodes,
      attempts: maybe(this.pick(fc.integer({ min: 1, max: 3 }), fc.constantFrom(0, 11, 2.5)), 1),
      perTryTimeout: maybe(this.pick(this.duration('millis', 100, 2000), this.badDuration({ unit: 'seconds', amount: 60 }))),
      backoffBase: maybe(this.pick(this.duration('millis', 10, 100), this.badDuration())),
      backoffMax: maybe(this.pick(this.duration('millis', 100, 1000), fc.constant<DurationDesc>({ unit: 'millis', amount: 1 }))),
      retryOtherHost: maybe(fc.boolean()),
    });
  }

  public outlier(): fc.Arbitrary<OutlierDesc> {
    return record({
      kind: fc.constantFrom('consecutiveErrors' as const, 'consecutiveGatewayErrors' as const, 'successRate' as const),
      errors: this.count(1, 10),
      interval: maybe(this.pick(this.duration('seconds', 1, 30), this.badDuration())),
      baseEjectionTime: maybe(this.pick(this.duration('seconds', 5, 120), this.badDuration())),
      maxEjectionPercent: maybe(this.pick(fc.integer({ min: 0, max: 100 }), fc.constantFrom(101, 10.5, -1))),
      stdevFactor: maybe(this.pick(fc.constantFrom(1, 1.9, 2.5), fc.constantFrom(-1, Number.NaN, 1e10))),
      minimumHosts: maybe(this.count(1, 10)),
      requestVolume: maybe(this.count(1, 1000)),
    });
  }

  public circuitBreaker(): fc.Arbitrary<CircuitBreakerDesc> {
    const limit = maybe(this.pick(fc.integer({ min: 0, max: 10_000 }), fc.constantFrom(-1, 1.5, 2 ** 32)));
    return record({
      maxConnections: limit,
      maxPendingRequests: limit,
      maxRequests: limit,
      maxRetries: limit,
      retryBudgetPercent: maybe(this.percent()),
      retryBudgetMinConcurrency: limit,
    });
  }

  public healthCheck(): fc.Arbitrary<HealthCheckDesc> {
    return record({
      kind: fc.constantFrom('http' as const, 'tcp' as const),
      path: this.pick(fc.constantFrom('/healthz', '/ready'), fc.constantFrom('healthz', '')),
      interval: maybe(this.pick(this.duration('seconds', 1, 30), this.badDuration())),
      timeout: maybe(this.pick(this.duration('millis', 100, 5000), this.badDuration())),
      unhealthyThreshold: maybe(this.count(1, 10)),
      healthyThreshold: maybe(this.count(1, 10)),
    });
  }

  public backup(): fc.Arbitrary<BackupDesc> {
    return fc.oneof(
      { arbitrary: record({ kind: fc.constant('service' as const), index: fc.nat({ max: 5 }) }), weight: 2 },
      {
        arbitrary: record({
          kind: fc.constant('host' as const),
          hostname: this.pick(fc.constantFrom('orders.eu-west.example.com', 'backup.example.net'), fc.constantFrom('Bad Host', '', 'x_y.example.com')),
          port: this.pick(fc.constantFrom(443, 8443, 80), fc.constantFrom(0, 70000)),
          tls: maybe(fc.boolean()),
        }),
        weight: 1,
      },
    );
  }

  public faultInjection(): fc.Arbitrary<FaultInjectionDesc> {
    return record({
      delay: maybe(this.pick(this.duration('millis', 1, 500), this.badDuration()), 1),
      delayPercent: maybe(this.percent()),
      abortStatus: maybe(this.pick(fc.constantFrom(503, 500, 429, 200), fc.constantFrom(199, 600, 503.5)), 1),
      abortPercent: maybe(this.percent()),
    }).filter(f => this.noisy || f.delay !== undefined || f.abortStatus !== undefined);
  }

  public failover(): fc.Arbitrary<FailoverDesc> {
    return record({
      service: fc.nat({ max: 5 }),
      caller: maybe(fc.nat({ max: 5 }), 3),
      retry: maybe(this.retry()),
      timeout: maybe(this.requestTimeout()),
      idleTimeout: maybe(this.pick(this.duration('seconds', 30, 300), this.badDuration()), 3),
      outlierDetection: maybe(this.outlier(), 1),
      circuitBreaker: maybe(this.circuitBreaker(), 3),
      healthCheck: maybe(this.healthCheck()),
      backup: maybe(this.backup(), 1),
      faultInjection: maybe(this.faultInjection(), 4),
      fault: this.fault('notCaller', 'httpOnTcp', 'selfBackup', 'noDetection', 'duplicate', 'loop'),
    });
  }

  // --- security ---------------------------------------------------------------------

  public authorization(): fc.Arbitrary<AuthorizationDesc> {
    return record({
      edge: fc.nat({ max: 7 }),
      paths: maybe(fc.array(this.path(false), { minLength: 1, maxLength: 2 }), 1),
      methods: maybe(fc.subarray([HttpMethod.GET, HttpMethod.HEAD, HttpMethod.POST, HttpMethod.DELETE], { minLength: 1 }), 1),
      fault: this.fault('notCaller', 'httpOnTcp', 'mtlsDisabled'),
    });
  }

  public jwt(): fc.Arbitrary<JwtDesc> {
    const remote = record({
      kind: fc.constant('remote' as const),
      uri: this.pick(
        fc.constantFrom('https://login.example.com/.well-known/jwks.json', 'https://keys.example.com:8443/jwks', 'https://login.example.com'),
        fc.constantFrom('http://login.example.com/jwks', 'https://Login.Example.com/jwks', 'https://keys.example.com:70000/jwks',
          'https://keys.example.com:0/jwks', 'https://-.example.com/jwks'),
      ),
      cacheDuration: maybe(this.pick(this.duration('minutes', 1, 60), this.badDuration({ unit: 'millis', amount: 1500 }))),
    });
    return record({
      id: this.pick(fc.constantFrom('auth0', 'keycloak', 'sso'), fc.constantFrom('Auth0', 'jwt_', 'login (prod)', 'p'.repeat(70))),
      service: fc.nat({ max: 5 }),
      issuer: this.pick(fc.constantFrom('https://login.example.com/', 'https://sso.example.com'), fc.constantFrom('', '   ')),
      jwks: this.pick(fc.oneof(remote, fc.constant<JwksDesc>({ kind: 'configMap' }), fc.constant<JwksDesc>({ kind: 'secret' })), fc.constant(undefined)),
      audiences: maybe(fc.constantFrom(['orders'], ['orders', 'admin'], [])),
      paths: maybe(fc.array(this.path(false), { minLength: 1, maxLength: 2 })),
      claimHeaders: maybe(this.pick<Record<string, string>>(fc.constant({ sub: 'x-user-id' }), fc.constantFrom({ sub: 'x user' }, { sub: '' }))),
      forwardToken: maybe(fc.boolean()),
      fault: this.fault('tcp'),
    });
  }

  // --- the mesh ------------------------------------------------------------------

  public certificates(mtls: MtlsMode): fc.Arbitrary<CertificatesDesc> {
    const sources = fc.oneof(
      {
        arbitrary: record({
          kind: fc.constant('selfSignedCa' as const),
          namespace: maybe(this.pick(fc.constantFrom('cert-manager', 'pki'), fc.constantFrom('Cert_Manager'))),
          duration: maybe(this.pick(fc.constantFrom<DurationDesc>({ unit: 'days', amount: 365 }, { unit: 'hours', amount: 8760 }),
            fc.constantFrom<DurationDesc>({ unit: 'minutes', amount: 90 }))),
        }),
        weight: 3,
      },
      record({ kind: fc.constantFrom('clusterIssuer' as const, 'issuer' as const), name: fc.constantFrom('vault', 'mesh-ca-issuer') }),
      fc.constant<CertificatesDesc>({ kind: 'existingSecrets' }),
    );
    if (mtls === MtlsMode.DISABLED) return fc.oneof(fc.constant<CertificatesDesc>({ kind: 'none' }), sources);
    return this.pick(sources, fc.constant<CertificatesDesc>({ kind: 'none' }));
  }

  public meshSettings(): fc.Arbitrary<MeshSettingsDesc> {
    const mtls = fc.oneof(
      { arbitrary: fc.constant(MtlsMode.STRICT), weight: 3 },
      { arbitrary: fc.constantFrom(MtlsMode.PERMISSIVE, MtlsMode.DISABLED), weight: 2 },
    );
    return mtls.chain(m => record({
      id: this.pick(fc.constantFrom('mesh', 'shop-mesh'), fc.constantFrom('Mesh', 'ServiceMesh')),
      chartNamespace: fc.constantFrom('shop', 'billing'),
      namespace: maybe(this.pick(fc.constantFrom('shop', 'mesh-apps'), fc.constantFrom('Shop', 'a_b')), 3),
      mtls: fc.constant(m),
      certificates: this.certificates(m),
      authorization: maybe(fc.constantFrom(AuthorizationMode.ENFORCE, AuthorizationMode.DRY_RUN), 1),
      networkPolicies: maybe(fc.boolean(), 1),
      tlsMinimumVersion: maybe(fc.constantFrom(TlsVersion.TLS_1_2, TlsVersion.TLS_1_3)),
      trustDomain: maybe(this.pick(fc.constantFrom('shop.example.com', 'cluster.local'), fc.constantFrom('Shop Local', 'spiffe://x'))),
      clusterDomain: maybe(this.pick(fc.constantFrom('cluster.local', 'k8s.internal'), fc.constantFrom('Cluster.Local', ''))),
      envoyImage: maybe(this.pick(
        fc.constantFrom('envoyproxy/envoy:v1.31.0', `envoyproxy/envoy@sha256:${'a'.repeat(64)}`),
        fc.constantFrom('envoyproxy/envoy', 'envoyproxy/envoy:latest'),
      ), 4),
      ports: maybe(this.pick<MeshSettingsDesc['ports']>(
        fc.constantFrom<MeshSettingsDesc['ports']>({ admin: 15100 }, { inbound: 16006, stats: 16090 }),
        fc.constantFrom({ stats: 15006 }, { inbound: 0 }, { inbound: 8080 }, { admin: 70000 }),
      ), 4),
      drainDuration: maybe(this.pick(this.duration('seconds', 0, 30), fc.constantFrom<DurationDesc>({ unit: 'millis', amount: 2500 })), 4),
      maxRetryAmplification: maybe(this.pick(fc.constantFrom(10, 50, Number.POSITIVE_INFINITY), fc.constantFrom(0, 0.5, Number.NaN)), 1),
      certificateDuration: maybe(this.pick(fc.constantFrom<DurationDesc>({ unit: 'hours', amount: 48 }, { unit: 'days', amount: 7 }),
        fc.constantFrom<DurationDesc>({ unit: 'hours', amount: 2 }, { unit: 'minutes', amount: 90 })), 4),
      certificateRenewBefore: maybe(this.pick(fc.constantFrom<DurationDesc>({ unit: 'hours', amount: 1 }, { unit: 'minutes', amount: 30 }),
        fc.constantFrom<DurationDesc>({ unit: 'hours', amount: 200 }, { unit: 'seconds', amount: 90 })), 4),
      monitoringNamespace: maybe(this.pick(fc.constantFrom('monitoring', 'observability'), fc.constantFrom('Monitoring System', 'mon_')), 4),
    }));
  }

  public secondMesh(): fc.Arbitrary<SecondMeshDesc> {
    return record({
      id: fc.constantFrom('mesh', 'other-mesh'),
      ownChart: fc.boolean(),
      serviceName: fc.constantFrom('partner', 'legacy'),
    });
  }

  public description(): fc.Arbitrary<MeshDescription> {
    return record({
      noisy: fc.constant(this.noisy),
      mesh: this.meshSettings(),
      secondChart: maybe(fc.constantFrom('billing', 'dr'), 3),
      secondMesh: maybe(this.secondMesh(), 6),
      services: fc.uniqueArray(this.service(), {
        minLength: 1, maxLength: 6, selector: s => `${s.namespace ?? ''}/${s.name}`,
      }),
      edges: fc.array(this.edge(), { maxLength: 7 }),
      poolsAfterEdges: fc.boolean(),
      routes: fc.array(this.route(), { maxLength: 3 }),
      failovers: fc.array(this.failover(), { maxLength: 3 }),
      authorizations: fc.array(this.authorization(), { maxLength: 2 }),
      jwts: fc.array(this.jwt(), { maxLength: 2 }),
    });
  }
}

/** Clean mesh descriptions: every value one the library documents as valid. */
export const cleanMesh = (): fc.Arbitrary<MeshDescription> => new Gen(false).description();

/** Noisy mesh descriptions: some values and cross-references deliberately invalid. */
export const noisyMesh = (): fc.Arbitrary<MeshDescription> => new Gen(true).description();

/** Clean and noisy meshes, `cleanWeight` to `noisyWeight`. */
export function anyMesh(cleanWeight = 3, noisyWeight = 2): fc.Arbitrary<MeshDescription> {
  return fc.oneof({ arbitrary: cleanMesh(), weight: cleanWeight }, { arbitrary: noisyMesh(), weight: noisyWeight });
}
