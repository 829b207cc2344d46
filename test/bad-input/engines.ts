import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  AuthorizationPolicy, Backup, CertificateSource, EdgePeer, ExternalEndpoint, ExternalService, FailoverPolicy, HashKey, HeaderMatch, HealthCheck,
  JwksSource, JwtAuthentication, JwtProviderOverlap, LoadBalancer, Mesh, MeshEngine, MeshProps, MeshService, MtlsMode, OutlierDetection, PathMatch,
  Protocol, RateLimit, Retry, RingHashOptions, RouteTarget, TlsVersion, Tracing, WeightedRoute,
} from '../../src';
import { newChart } from '../helpers';
import { BadInput } from './bad-input';

/** Two services on Istio, `web` calling `orders`. */
function istio(props: Partial<MeshProps> = {}) {
  const chart = newChart();
  const mesh = new Mesh(chart, 'mesh', { engine: MeshEngine.istio(), ...props });
  const orders = new MeshService(chart, 'orders', { mesh, image: 'example/orders:1.0.0', port: 8080 });
  const web = new MeshService(chart, 'web', { mesh, image: 'example/web:1.0.0', port: 3000 });
  web.callTo(orders);
  return { chart, mesh, orders, web };
}

function failover(options: Omit<ConstructorParameters<typeof FailoverPolicy>[2], 'service'>) {
  const { chart, orders } = istio();
  new FailoverPolicy(chart, 'failover', { service: orders, ...options });
  return chart;
}

/** Two services routed by Gateway API alone (no mTLS, no NetworkPolicies), `web` calling `orders`. */
function routesOnly(props: Partial<MeshProps> = {}) {
  const chart = newChart();
  const mesh = new Mesh(chart, 'mesh', { engine: MeshEngine.gatewayApi(), mtls: MtlsMode.DISABLED, networkPolicies: false, ...props });
  const orders = new MeshService(chart, 'orders', { mesh, image: 'example/orders:1.0.0', port: 8080 });
  orders.addVersion('v2');
  const web = new MeshService(chart, 'web', { mesh, image: 'example/web:1.0.0', port: 3000 });
  web.callTo(orders);
  return { chart, mesh, orders, web };
}

export const ENGINE_CASES: BadInput[] = [
  ['Istio mesh with certificates from an issuer of yours', () => istio({ certificates: CertificateSource.clusterIssuer('corp-ca') }).chart, [/certificates on Istio: Istio issues/]],
  ['Istio mesh with a TLS 1.3 minimum', () => istio({ tlsMinimumVersion: TlsVersion.TLS_1_3 }).chart, [/meshMTLS.minProtocolVersion/]],
  ['Istio mesh tracing without a provider', () => istio({ tracing: Tracing.openTelemetry({ collectorHost: 'otel.observability' }) }).chart,
    [/tracingProvider/]],
  ['Istio mesh with native sidecars', () => istio({ nativeSidecars: true }).chart, [/nativeSidecars on Istio/]],
  ['active health checks on Istio', () => failover({ healthCheck: HealthCheck.http({ path: '/healthz' }) }), [/active health checks on Istio/]],
  ['a backup service on Istio', () => {
    const { chart, mesh, orders } = istio();
    new FailoverPolicy(chart, 'failover', { service: orders, backup: Backup.service(new MeshService(chart, 'spare', { mesh, image: 'x/spare:1.0.0', port: 8081 })) });
    return chart;
  }, [/backup on Istio: the engine fails over between localities at most/]],
  ['a custom retry back-off on Istio', () => failover({ retry: Retry.onGatewayErrors({ backoffBase: Duration.millis(100) }) }), [/retry back-off on Istio/]],
  ['success-rate outlier detection on Istio', () => failover({ outlierDetection: OutlierDetection.successRate() }), [/success-rate outlier detection on Istio/]],
  ['caller-specific outlier detection on Istio', () => {
    const { chart, orders, web } = istio();
    new FailoverPolicy(chart, 'failover', { service: orders, caller: web, outlierDetection: OutlierDetection.consecutiveErrors(5) });
    return chart;
  }, [/for caller web only on Istio/]],
  ['a rate limit on Istio', () => {
    const { chart, orders } = istio();
    new RateLimit(chart, 'limit', { service: orders, requests: 100, interval: Duration.seconds(1) });
    return chart;
  }, [/local rate limiting on Istio/]],
  ['an instance pool on Istio', () => {
    const { chart, orders } = istio();
    orders.addInstancePool('large', { weight: 3 });
    return chart;
  }, [/instance pool 'large' on Istio/]],
  ['consistent hashing without a key on Istio', () => {
    const chart = newChart();
    const mesh = new Mesh(chart, 'mesh', { engine: MeshEngine.istio() });
    // Deliberately invalid: `key` is required, and the cast stands in for a caller without types
    // (a jsii language, plain JavaScript) leaving it out, which Istio's check refuses at synth.
    new MeshService(chart, 'orders', { mesh, image: 'example/orders:1.0.0', port: 8080, loadBalancer: LoadBalancer.ringHash({} as RingHashOptions) });
    return chart;
  }, [/consistent hashing without a key on Istio/]],
  ['a caller-specific load balancer on Istio', () => {
    const { chart, mesh, orders } = istio();
    new MeshService(chart, 'admin', { mesh, image: 'example/admin:1.0.0', port: 3001 }).callTo(orders, { loadBalancer: LoadBalancer.ringHash({ key: HashKey.header('x-user') }) });
    return chart;
  }, [/with its own loadBalancer on Istio/]],
  ['an authorization path regex on Istio', () => {
    const { chart, orders, web } = istio();
    new AuthorizationPolicy(chart, 'authz', { service: orders, caller: web, paths: [PathMatch.regex('/orders/[0-9]+')] });
    return chart;
  }, [/path regex '\/orders\/\[0-9\]\+' on Istio/]],
  ['JWKS from a file on Istio', () => {
    const { chart, orders } = istio();
    const keys = new kplus.ConfigMap(chart, 'keys', { data: { 'jwks.json': '{"keys":[]}' } });
    new JwtAuthentication(chart, 'login', { service: orders, issuer: 'https://login.example.com', jwks: JwksSource.fromConfigMap(keys, 'jwks.json') });
    return chart;
  }, [/JWKS from a mounted file on Istio/]],
  ['restricted egress on Istio', () => istio({ restrictEgress: true }).chart, [/restrictEgress on Istio: Istio's REGISTRY_ONLY binds only traffic/]],
  ['an authorization path without path normalization on Istio', () => {
    const { chart, orders, web } = istio();
    new AuthorizationPolicy(chart, 'authz', { service: orders, caller: web, paths: [PathMatch.prefix('/orders/')] });
    return chart;
  }, [/path '\/orders\/' on Istio: Istio matches paths before merging slashes or decoding %2F/]],
  ['a wildcard in an authorization path on Istio', () => {
    const chart = newChart();
    const mesh = new Mesh(chart, 'mesh', { engine: MeshEngine.istio({ decodeAndMergeSlashes: true }) });
    const orders = new MeshService(chart, 'orders', { mesh, image: 'example/orders:1.0.0', port: 8080 });
    const web = new MeshService(chart, 'web', { mesh, image: 'example/web:1.0.0', port: 3000 });
    web.callTo(orders);
    new AuthorizationPolicy(chart, 'authz', { service: orders, caller: web, paths: [PathMatch.exact('/files/*')] });
    return chart;
  }, [/path '\/files\/\*' on Istio: Istio reads '\*' and '\{' in a path as wildcards/]],
  ['claim headers on Istio', () => {
    const { chart, orders } = istio();
    new JwtAuthentication(chart, 'login', {
      service: orders, issuer: 'https://login.example.com', jwks: JwksSource.remote('https://login.example.com/jwks.json'), claimHeaders: { sub: 'x-user-id' },
    });
    return chart;
  }, [/claimHeaders on Istio: Istio's sidecars let a client's x_user_id through/]],
  ['JWT issuers whose principals overlap on Istio', () => {
    const { chart, orders } = istio();
    const jwks = JwksSource.remote('https://login.example.com/jwks.json');
    new JwtAuthentication(chart, 'org', { service: orders, issuer: 'https://idp.example.com', jwks, paths: [PathMatch.prefix('/')], overlap: JwtProviderOverlap.ANY_PROVIDER });
    new JwtAuthentication(chart, 'app', {
      service: orders, issuer: 'https://idp.example.com/oauth2/default', jwks, paths: [PathMatch.prefix('/')], overlap: JwtProviderOverlap.ANY_PROVIDER,
    });
    return chart;
  }, [/JWT providers org and app on Istio: .* give overlapping principals/]],
  ['a circuit breaker limit of 0 on Istio', () => failover({ circuitBreaker: { maxRetries: 0 } }), [/a circuit breaker limit of 0 on Istio/]],
  ['an edge peer with pod labels on Istio', () => {
    const { chart, orders } = istio();
    orders.exposeTo(EdgePeer.namespace('ingress', { app: 'nginx' }), { port: 9000 });
    return chart;
  }, [/exposeTo namespace ingress with pod labels on Istio/]],
  ['a caller of a service outside the mesh in another namespace on Istio', () => {
    const { chart, mesh } = istio();
    const payments = new ExternalService(chart, 'payments', { mesh, endpoint: ExternalEndpoint.host('api.payments.example.com', 443) });
    new MeshService(chart, 'billing', { mesh, namespace: 'billing', image: 'example/billing:1.0.0', port: 8081 }).callTo(payments);
    return chart;
  }, [/callTo\(payments\) from namespace billing on Istio: its ServiceEntry and rules live in the mesh's namespace shop/]],
  ['a route for one caller on Gateway API', () => {
    const { chart, orders, web } = routesOnly();
    new WeightedRoute(chart, 'canary', { service: orders, caller: web, targets: [RouteTarget.version('v2')] });
    return chart;
  }, [/a route for caller web only on Gateway API: HTTPRoutes apply to every caller/]],
  ['a partial mirror on Gateway API without percentage mirrors declared', () => {
    const { chart, orders } = routesOnly();
    new WeightedRoute(chart, 'shadow', { service: orders, targets: [RouteTarget.version('v1')], mirror: RouteTarget.version('v2'), mirrorPercent: 10 });
    return chart;
  }, [/\[test\/shadow\] mirrorPercent 10 on Gateway API: a partial mirror needs Gateway API v1.3\+ CRDs and the Extended feature HTTPRouteRequestPercentageMirror/]],
  ['retries on Gateway API', () => {
    const { chart, orders } = routesOnly();
    new FailoverPolicy(chart, 'failover', { service: orders, retry: Retry.onGatewayErrors() });
    return chart;
  }, [/retries on Gateway API: the standard channel of HTTPRoute has no retries/]],
  ['routes in an order Gateway API would not keep', () => {
    const { chart, orders } = routesOnly();
    new WeightedRoute(chart, 'by-header', { service: orders, priority: 1, match: { headers: [HeaderMatch.exact('x-canary', 'true')] }, targets: [RouteTarget.version('v2')] });
    new WeightedRoute(chart, 'by-path', { service: orders, priority: 2, match: { path: PathMatch.exact('/orders') }, targets: [RouteTarget.version('v1')] });
    return chart;
  }, [/route order on Gateway API: .* this route would win over test\/by-header/]],
  ['two conditions on one header, in different case, on Gateway API', () => {
    const { chart, orders } = routesOnly();
    new WeightedRoute(chart, 'by-header', {
      service: orders, match: { headers: [HeaderMatch.exact('X-Tenant', 'a'), HeaderMatch.exact('x-tenant', 'a')] }, targets: [RouteTarget.version('v2')],
    });
    return chart;
  }, [/two conditions on header x-tenant on Gateway API: Gateway API considers only the first/]],
  ['a header matched by regex with Gateway API routes alone', () => {
    const { chart, orders } = routesOnly();
    new WeightedRoute(chart, 'by-header', { service: orders, match: { headers: [HeaderMatch.regex('x-tenant', 'a|b')] }, targets: [RouteTarget.version('v2')] });
    return chart;
  }, [/header x-tenant matched by a regex on Gateway API: header regexes are implementation-specific/]],
  ['more routes than an HTTPRoute holds', () => {
    const { chart, orders } = routesOnly();
    for (let i = 0; i < 17; i++) {
      new WeightedRoute(chart, `route-${i}`, { service: orders, match: { headers: [HeaderMatch.exact(`x-${i}`, 'on')] }, targets: [RouteTarget.version('v2')] });
    }
    return chart;
  }, [/18 rules \(the routes, and the main version for what no route matches\) on Gateway API: an HTTPRoute holds at most 16/]],
  ['a timeout Gateway API cannot write', () => {
    const { chart, orders } = routesOnly();
    new FailoverPolicy(chart, 'failover', { service: orders, timeout: Duration.hours(100_000) });
    return chart;
  }, [/timeout of 100000 hours on Gateway API: Gateway API durations stop below 100,000 hours/]],
  ['a path prefix on Gateway API', () => {
    const { chart, orders } = routesOnly();
    new WeightedRoute(chart, 'api', { service: orders, match: { path: PathMatch.prefix('/api') }, targets: [RouteTarget.version('v2')] });
    return chart;
  }, [/path prefix '\/api' on Gateway API: Gateway API prefixes match whole path segments/]],
  ['a TCP service with versions on Gateway API', () => {
    const chart = newChart();
    const mesh = new Mesh(chart, 'mesh', { engine: MeshEngine.gatewayApi(), mtls: MtlsMode.DISABLED, networkPolicies: false });
    new MeshService(chart, 'cache', { mesh, image: 'example/cache:1.0.0', port: 6379, protocol: Protocol.TCP }).addVersion('v2');
    return chart;
  }, [/TCP service with versions v1, v2 on Gateway API/]],
  ['mutual TLS with Gateway API routes alone', () => routesOnly({ mtls: MtlsMode.STRICT }).chart, [/mtls STRICT and caller authorization on Gateway API/]],
  ['NetworkPolicies with Gateway API routes alone', () => routesOnly({ networkPolicies: true }).chart, [/networkPolicies on Gateway API/]],
  ['outlier detection with Gateway API routes alone', () => {
    const { chart, orders } = routesOnly();
    new FailoverPolicy(chart, 'failover', { service: orders, outlierDetection: OutlierDetection.consecutiveErrors(5) });
    return chart;
  }, [/outlier detection on Gateway API: routes cannot eject hosts/]],
  ['an edge peer with Gateway API routes alone', () => {
    const { chart, orders } = routesOnly();
    orders.exposeTo(EdgePeer.ipBlock('10.0.0.0/16'), { port: 9000 });
    return chart;
  }, [/exposeTo addresses 10.0.0.0\/16 on Gateway API: routes cannot restrict who connects/]],
  ['an external host with Gateway API routes alone', () => {
    const { chart, mesh, web } = routesOnly();
    web.callTo(new ExternalService(chart, 'payments', { mesh, endpoint: ExternalEndpoint.host('api.payments.example.com', 443) }));
    return chart;
  }, [/a host outside the cluster on Gateway API/]],
  ['an Istio tracing provider without mesh tracing', () => istio({ engine: MeshEngine.istio({ tracingProvider: 'otel' }) }).chart,
    [/\[test\/mesh\] tracingProvider 'otel' on Istio, but the mesh has no tracing: its Telemetry would disable span reporting/]],
];
