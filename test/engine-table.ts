/**
 * The README's table of features by engine, produced from the code's own
 * refusals and notes: one small program per feature, synthesized on every
 * engine. A cell is `yes` (synthesized without a note), `ignored` (with the
 * engine's note) or `refused` (with the engine's reason), each read from what
 * synth answered, never written by hand. test/engine-table.test.ts checks the
 * README against it (`UPDATE_README=1` rewrites the table).
 */
import { App, Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  AddressFormat, AuthorizationPolicy, Backup, CertificateSource, EdgePeer, ExternalEndpoint, ExternalService, FailoverPolicy, GatewayApiPolicies,
  HeaderMatch, HealthCheck, HttpMethod, JwksSource, JwtAuthentication, LoadBalancer, HashKey, Mesh, MeshEngine, MeshProps, MeshService,
  MonitoredWorkload, MtlsMode, OutlierDetection, PathMatch, Protocol, RateLimit, Retry, RouteTarget, TlsVersion, Tracing, WeightedRoute,
} from '../src';
import { NOTE_METADATA } from '../src/synth/mesh-synthesis';

/**
 * The columns: each engine as a user picks it, told what its MeshConfig sets where the mesh needs to know
 * (a tracing provider only for a mesh that traces: a provider without tracing is refused).
 */
export const ENGINE_COLUMNS: Array<{ readonly title: string; readonly engine: (tracing: boolean) => MeshEngine }> = [
  { title: 'static Envoy', engine: () => MeshEngine.staticEnvoy() },
  { title: 'Istio', engine: tracing => MeshEngine.istio({ ...(tracing && { tracingProvider: 'otel' }), decodeAndMergeSlashes: true }) },
  {
    title: 'Gateway API with Istio policies',
    engine: tracing => MeshEngine.gatewayApi({
      policies: GatewayApiPolicies.ISTIO, ...(tracing && { istioTracingProvider: 'otel' }), istioDecodeAndMergeSlashes: true, percentageMirrors: true,
    }),
  },
  { title: 'Gateway API (routes only)', engine: () => MeshEngine.gatewayApi({ percentageMirrors: true }) },
];

/** The small mesh every feature is added to: `web` calls `orders` (v1, v2). */
interface Base {
  readonly chart: Chart;
  readonly mesh: Mesh;
  readonly orders: MeshService;
  readonly web: MeshService;
}

/** One row: what the feature changes in the mesh's settings, and what it declares. */
interface Feature {
  readonly name: string;
  readonly mesh?: MeshProps;
  /** Settings each engine's base program needs left out for this feature to be what is probed (e.g. mtls). */
  readonly declare?: (base: Base) => void;
  /** The call from web to orders (declared by the base unless the feature does). */
  readonly ownCall?: boolean;
}

const FEATURES: Feature[] = [
  { name: 'weighted routes across versions', declare: ({ chart, orders }) => route(chart, orders, {}) },
  { name: 'header and query parameter matches', declare: ({ chart, orders }) => route(chart, orders, { match: { headers: [HeaderMatch.exact('x-canary', 'true')] } }) },
  { name: 'path prefix matches', declare: ({ chart, orders }) => route(chart, orders, { match: { path: PathMatch.prefix('/api') } }) },
  { name: 'method matches', declare: ({ chart, orders }) => route(chart, orders, { match: { methods: [HttpMethod.GET] } }) },
  {
    name: 'mirroring, request header changes',
    declare: ({ chart, orders }) => route(chart, orders, { mirror: RouteTarget.version('v2'), mirrorPercent: 5, requestHeaders: { set: { 'x-route': 'r' } } }),
  },
  { name: 'a route for one caller', declare: ({ chart, orders, web }) => route(chart, orders, { caller: web }) },
  { name: 'timeouts', declare: base => failover(base, { timeout: Duration.seconds(2) }) },
  { name: 'retries', declare: base => failover(base, { retry: Retry.onGatewayErrors({ attempts: 3 }) }) },
  { name: 'retry back-off of your own', declare: base => failover(base, { retry: Retry.onGatewayErrors({ attempts: 3, backoffBase: Duration.millis(100) }) }) },
  { name: 'fault injection', declare: base => failover(base, { fault: { abortStatus: 503, abortPercent: 1 } }) },
  { name: 'idle timeout', declare: base => failover(base, { idleTimeout: Duration.seconds(30) }) },
  { name: 'outlier detection (consecutive errors)', declare: base => failover(base, { outlierDetection: OutlierDetection.consecutiveErrors(5) }) },
  { name: 'outlier detection (success rate)', declare: base => failover(base, { outlierDetection: OutlierDetection.successRate() }) },
  { name: 'circuit breaker', declare: base => failover(base, { circuitBreaker: { maxConnections: 100 } }) },
  { name: 'circuit breaker limit of 0', declare: base => failover(base, { circuitBreaker: { maxRetries: 0 } }) },
  { name: 'circuit breaker retry budget', declare: base => failover(base, { circuitBreaker: { retryBudgetPercent: 20 } }) },
  { name: 'failover settings for one caller', declare: base => failover(base, { timeout: Duration.seconds(2) }, true) },
  { name: 'active health checks', declare: base => failover(base, { healthCheck: HealthCheck.http({ path: '/healthz' }) }) },
  {
    name: 'backup service',
    declare: base => failover(base, {
      outlierDetection: OutlierDetection.consecutiveErrors(5),
      backup: Backup.service(new MeshService(base.chart, 'spare', { mesh: base.mesh, image: 'example/spare:1', port: 8080 })),
    }),
  },
  { name: 'least request balancing (2 choices)', declare: base => balanced(base, LoadBalancer.leastRequest()) },
  { name: 'ring hash on a header', declare: base => balanced(base, LoadBalancer.ringHash({ key: HashKey.header('x-user') })) },
  { name: 'a load balancer for one caller', ownCall: true, declare: ({ web, orders }) => web.callTo(orders, { loadBalancer: LoadBalancer.random() }) },
  {
    name: 'instance pools with weights',
    declare: ({ orders }) => orders.addInstancePool('large', { weight: 3 }),
  },
  {
    name: 'local rate limits',
    declare: ({ chart, orders }) => new RateLimit(chart, 'limit', { service: orders, requests: 100, interval: Duration.seconds(1) }),
  },
  {
    name: 'TCP services with several versions',
    declare: ({ chart, mesh, web }) => {
      const db = new MeshService(chart, 'db', { mesh, image: 'example/db:1', port: 5432, protocol: Protocol.TCP });
      db.addVersion('v2');
      web.callTo(db);
    },
  },
  { name: 'mutual TLS (STRICT) and caller authorization', mesh: { mtls: MtlsMode.STRICT } },
  { name: 'a TLS 1.3 minimum', mesh: { mtls: MtlsMode.STRICT, tlsMinimumVersion: TlsVersion.TLS_1_3 } },
  { name: 'certificates from a self-signed mesh CA', mesh: { mtls: MtlsMode.STRICT, certificates: CertificateSource.selfSignedCa() } },
  { name: 'certificates from an issuer of yours', mesh: { mtls: MtlsMode.STRICT, certificates: CertificateSource.clusterIssuer('corp-ca') } },
  {
    name: 'paths and methods per caller',
    mesh: { mtls: MtlsMode.STRICT },
    declare: ({ chart, orders, web }) => new AuthorizationPolicy(chart, 'authz', { service: orders, caller: web, paths: [PathMatch.prefix('/orders/')], methods: [HttpMethod.GET] }),
  },
  {
    name: 'JWT (remote keys)',
    mesh: { mtls: MtlsMode.STRICT },
    declare: ({ chart, orders }) => new JwtAuthentication(chart, 'login', {
      service: orders, issuer: 'https://login.example.com/', jwks: JwksSource.remote('https://login.example.com/jwks.json'),
    }),
  },
  { name: 'edge peers by namespace', mesh: { mtls: MtlsMode.STRICT }, declare: ({ orders }) => orders.exposeTo(EdgePeer.namespace('ingress'), { port: 8000 }) },
  { name: 'edge peers from anywhere', declare: ({ orders }) => orders.exposeTo(EdgePeer.anywhere(), { port: 8000 }) },
  {
    name: 'edge TLS termination',
    declare: ({ chart, orders }) => orders.exposeTo(EdgePeer.anywhere(), { port: 8443, tlsSecret: kplus.Secret.fromSecretName(chart, 'edge-tls', 'edge-tls') }),
  },
  {
    name: 'hosts outside the cluster',
    declare: ({ chart, mesh, web }) => web.callTo(new ExternalService(chart, 'payments', { mesh, endpoint: ExternalEndpoint.host('api.payments.example.com', 443), port: 80 })),
  },
  { name: 'NetworkPolicies', mesh: { networkPolicies: true } },
  { name: 'restricted egress', mesh: { networkPolicies: true, restrictEgress: true } },
  { name: 'tracing', mesh: { tracing: Tracing.openTelemetry({ collectorHost: 'otel.observability' }) } },
  { name: 'access logs', mesh: { accessLogs: true } },
  { name: 'native sidecars', mesh: { nativeSidecars: true } },
  {
    name: 'monitoring (MonitoredWorkload)',
    declare: ({ chart, orders }) => new MonitoredWorkload(chart, 'monitoring', { service: orders }),
  },
  { name: '`localPort` on a call', ownCall: true, declare: ({ web, orders }) => web.callTo(orders, { localPort: 18080 }) },
  { name: 'address variables (URL, HOST_PORT)', ownCall: true, declare: ({ web, orders }) => web.callTo(orders, { addressFormat: AddressFormat.HOST_PORT }) },
  { name: 'address variables with the loopback IP', ownCall: true, declare: ({ web, orders }) => web.callTo(orders, { addressFormat: AddressFormat.IP_URL }) },
  {
    name: 'calls from some versions (`fromVersions`)',
    ownCall: true,
    declare: ({ web, orders }) => {
      web.addVersion('v2');
      web.callTo(orders, { fromVersions: ['v2'] });
    },
  },
];

function route(chart: Chart, orders: MeshService, extra: Partial<ConstructorParameters<typeof WeightedRoute>[2]>): void {
  new WeightedRoute(chart, 'route', { service: orders, targets: [RouteTarget.version('v1', 90), RouteTarget.version('v2', 10)], ...extra });
}

function failover(base: Base, options: Omit<ConstructorParameters<typeof FailoverPolicy>[2], 'service'>, forCaller = false): void {
  new FailoverPolicy(base.chart, 'failover', { service: base.orders, ...options, ...(forCaller && { caller: base.web }) });
}

function balanced(base: Base, loadBalancer: LoadBalancer): void {
  const { chart, mesh, web } = base;
  web.callTo(new MeshService(chart, 'carts', { mesh, image: 'example/carts:1', port: 8081, loadBalancer }));
}

/**
 * The base every feature starts from: what the engine accepts without a note.
 * mTLS, certificates and NetworkPolicies are off unless the feature turns
 * them on (routes alone cannot have them); the static sidecars then need no
 * certificates.
 */
function build(feature: Feature, engine: MeshEngine): Chart {
  const app: App = Testing.app();
  const chart = new Chart(app, 'feature', { namespace: 'shop', disableResourceNameHashes: true });
  const props: MeshProps = { engine, mtls: MtlsMode.DISABLED, networkPolicies: false, ...feature.mesh };
  const needsCa = engine._translator.ownsSidecar && props.mtls !== MtlsMode.DISABLED && !props.certificates;
  const mesh = new Mesh(chart, 'mesh', { ...props, ...(needsCa && { certificates: CertificateSource.selfSignedCa() }) });
  const orders = new MeshService(chart, 'orders', { mesh, image: 'example/orders:1', port: 8080 });
  orders.addVersion('v2');
  const web = new MeshService(chart, 'web', { mesh, image: 'example/web:1', port: 3000 });
  if (!feature.ownCall) web.callTo(orders);
  feature.declare?.({ chart, mesh, orders, web });
  return chart;
}

/** What one engine did with one feature: accepted, ignored with a note, or refused, with the engine's own words. */
export function probe(feature: Feature, engine: MeshEngine): string {
  const chart = build(feature, engine);
  const errors = chart.node.findAll().flatMap(c => c.node.validate());
  if (errors.length > 0) return `refused: ${reason(errors[0], engine)}`;
  const notes = chart.node.findAll().flatMap(c => c.node.metadata.filter(m => m.type === NOTE_METADATA).map(m => String(m.data)));
  Testing.synth(chart);
  return notes.length > 0 ? `ignored, with a note: ${reason(notes[0], engine)}` : 'yes';
}

/** The engine's reason, without the feature it names: the text after `on <engine>: `, up to the first `;`. */
function reason(message: string, engine: MeshEngine): string {
  const marker = `on ${engine.description}: `;
  const at = message.indexOf(marker);
  const text = at >= 0 ? message.slice(at + marker.length) : message;
  return text.split(/; /)[0].replace(/\|/g, '\\|');
}

/** The table as Markdown. */
export function engineTable(): string {
  const quiet = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const rows = FEATURES.map(feature => `| ${feature.name} | ${ENGINE_COLUMNS.map(c => probe(feature, c.engine(feature.mesh?.tracing !== undefined))).join(' | ')} |`);
    return [`| feature | ${ENGINE_COLUMNS.map(c => c.title).join(' | ')} |`, `| --- |${ENGINE_COLUMNS.map(() => ' --- |').join('')}`, ...rows].join('\n');
  } finally {
    quiet.mockRestore();
  }
}
