import { Duration } from 'cdk8s';
import {
  Backup, EdgePeer, ExternalEndpoint, ExternalService, ExternalServiceProps, FailoverPolicy, HeaderMatch, HealthCheck, Mesh, MeshService,
  OutlierDetection, PathMatch, Protocol, Retry, RateLimit, RateLimitProps, RateLimitScope, RetryCondition, RouteTarget, WeightedRoute,
} from '../../src';
import { newChart, TEST_MESH } from '../helpers';
import { BadInput } from './bad-input';

function canary() {
  const chart = newChart();
  const mesh = new Mesh(chart, 'mesh', TEST_MESH);
  const orders = new MeshService(chart, 'order-service', { mesh, image: 'example/orders:1.0.0', port: 8080 });
  orders.addVersion('v2');
  const users = new MeshService(chart, 'user-service', { mesh, image: 'example/users:1.0.0', port: 3000 });
  users.callTo(orders);
  return { chart, mesh, orders, users };
}

function route(targets: RouteTarget[]) {
  const { chart, orders } = canary();
  new WeightedRoute(chart, 'route', { service: orders, targets });
  return chart;
}

function policy(options: Omit<ConstructorParameters<typeof FailoverPolicy>[2], 'service'>) {
  const { chart, orders } = canary();
  new FailoverPolicy(chart, 'policy', { service: orders, ...options });
  return chart;
}

function limits(...props: Array<Omit<RateLimitProps, 'service'>>) {
  const { chart, orders } = canary();
  props.forEach((p, i) => new RateLimit(chart, `limit-${i}`, { service: orders, ...p }));
  return chart;
}

function external(props: Omit<ExternalServiceProps, 'mesh'>) {
  const { chart, mesh, users } = canary();
  users.callTo(new ExternalService(chart, 'payments', { mesh, ...props }));
  return chart;
}

/** A chain of services a -> b -> c -> ..., each hop with the given failover settings. */
export function chain(hops: number, options: (i: number) => Omit<ConstructorParameters<typeof FailoverPolicy>[2], 'service'>, mesh = {}) {
  const chart = newChart();
  const m = new Mesh(chart, 'mesh', { ...TEST_MESH, ...mesh });
  const services = Array.from({ length: hops + 1 }, (_, i) =>
    new MeshService(chart, `s${i}`, { mesh: m, image: 'example/s:1.0.0', port: 8000 + i }));
  for (let i = 0; i < hops; i++) {
    services[i].callTo(services[i + 1]);
    new FailoverPolicy(chart, `p${i}`, { service: services[i + 1], ...options(i) });
  }
  return chart;
}

/** Bad input of routes, failover policies and whole-graph checks. */
export const TRAFFIC_CASES: BadInput[] = [
  ['weights that do not sum to 100', () => route([RouteTarget.version('v1', 90), RouteTarget.version('v2', 20)]),
    [/\[test\/route\]/, /weights \[90,20\] sum to 110: they must sum to 100/]],
  ['weights that are all zero', () => route([RouteTarget.version('v1', 0), RouteTarget.version('v2', 0)]),
    [/sum to 0: they must sum to 100/]],
  ['a negative weight', () => route([RouteTarget.version('v1', 110), RouteTarget.version('v2', -10)]),
    [/weights \[-10\] are invalid: use non-negative integers/]],
  ['a non-integer weight', () => route([RouteTarget.version('v1', 99.5), RouteTarget.version('v2', 0.5)]),
    [/weights \[99.5,0.5\] are invalid/]],
  ['a target version that does not exist', () => route([RouteTarget.version('v3')]),
    [/target version v3 does not exist: order-service has versions v1, v2/]],
  ['a target listed twice', () => route([RouteTarget.version('v1', 50), RouteTarget.version('v1', 50)]),
    [/target version v1 appears twice/]],
  ['a per-try timeout longer than the request timeout', () => policy({
    retry: Retry.onGatewayErrors({ perTryTimeout: Duration.seconds(3) }), timeout: Duration.seconds(1),
  }), [/\[test\/policy\]/, /perTryTimeout 3000ms is longer than the request timeout 1000ms/]],
  ['retries without any condition', () => policy({ retry: Retry.on({ conditions: [] }) }),
    [/retry has no condition: pass at least one RetryCondition/]],
  ['retriable status codes without their condition', () => policy({
    retry: Retry.on({ conditions: [RetryCondition.RESET], retriableStatusCodes: [429] }),
  }), [/retriableStatusCodes and RetryCondition.RETRIABLE_STATUS_CODES go together/]],
  ['zero attempts', () => policy({ retry: Retry.onGatewayErrors({ attempts: 0 }) }),
    [/retry attempts 0 is invalid: use an integer from 1 to 10/]],
  ['max ejection percent above 100', () => policy({ outlierDetection: OutlierDetection.consecutiveErrors(5, { maxEjectionPercent: 120 }) }),
    [/maxEjectionPercent 120 is invalid: use an integer from 0 to 100/]],
  ['max ejection percent below 0', () => policy({ outlierDetection: OutlierDetection.successRate({ maxEjectionPercent: -1 }) }),
    [/maxEjectionPercent -1 is invalid/]],
  ['a backup equal to the primary', () => {
    const { chart, orders } = canary();
    new FailoverPolicy(chart, 'policy', { service: orders, outlierDetection: OutlierDetection.consecutiveErrors(5), backup: Backup.service(orders) });
    return chart;
  }, [/backup is order-service itself/]],
  ['a backup without any way to detect failure', () => {
    const { chart, mesh, orders } = canary();
    const standby = new MeshService(chart, 'standby', { mesh, image: 'example/orders:1.0.0', port: 8080 });
    new FailoverPolicy(chart, 'policy', { service: orders, backup: Backup.service(standby) });
    return chart;
  }, [/backup is never used without outlierDetection or healthCheck/]],
  ['a failover chain that loops', () => {
    const { chart, mesh, orders } = canary();
    const standby = new MeshService(chart, 'standby', { mesh, image: 'example/orders:1.0.0', port: 8080 });
    const detect = { outlierDetection: OutlierDetection.consecutiveErrors(5) };
    new FailoverPolicy(chart, 'a', { service: orders, backup: Backup.service(standby), ...detect });
    new FailoverPolicy(chart, 'b', { service: standby, backup: Backup.service(orders), ...detect });
    return chart;
  }, [/the failover chain loops: order-service -> standby -> order-service/]],
  ['an unreachable route after a catch-all', () => {
    const { chart, orders } = canary();
    new WeightedRoute(chart, 'all', { service: orders, targets: [RouteTarget.version('v1')], priority: 1 });
    new WeightedRoute(chart, 'beta', { service: orders, match: { headers: [HeaderMatch.exact('x-beta', '1')] }, targets: [RouteTarget.version('v2')] });
    return chart;
  }, [/route test\/beta is unreachable: test\/all \(priority 1\) matches every request it would/]],
  ['an unreachable route under a wider prefix', () => {
    const { chart, orders } = canary();
    new WeightedRoute(chart, 'api', { service: orders, match: { path: PathMatch.prefix('/api') }, targets: [RouteTarget.version('v1')] });
    new WeightedRoute(chart, 'api-v2', { service: orders, match: { path: PathMatch.prefix('/api/v2') }, targets: [RouteTarget.version('v2')] });
    return chart;
  }, [/route test\/api-v2 is unreachable: test\/api/]],
  ['fault percentages outside 0-100', () => policy({ fault: { abortStatus: 503, abortPercent: 150 } }),
    [/fault abortPercent 150 is invalid: use a percentage from 0 to 100/]],
  ['a fault that injects nothing', () => policy({ fault: {} }), [/fault injects nothing/]],
  ['two policies for all callers', () => {
    const { chart, orders } = canary();
    new FailoverPolicy(chart, 'one', { service: orders, timeout: Duration.seconds(1) });
    new FailoverPolicy(chart, 'two', { service: orders, timeout: Duration.seconds(2) });
    return chart;
  }, [/2 FailoverPolicies apply to all callers \(test\/one, test\/two\): merge them into one/]],
  ['a policy for a caller that does not call the service', () => {
    const { chart, mesh, orders } = canary();
    const admin = new MeshService(chart, 'admin', { mesh, image: 'example/admin:1.0.0', port: 3001 });
    new FailoverPolicy(chart, 'policy', { service: orders, caller: admin, timeout: Duration.seconds(1) });
    return chart;
  }, [/caller admin does not call order-service/]],
  ['HTTP-only settings on a TCP service', () => {
    const chart = newChart();
    const mesh = new Mesh(chart, 'mesh', TEST_MESH);
    const db = new MeshService(chart, 'db', { mesh, image: 'example/db:1.0.0', port: 5432, protocol: Protocol.TCP });
    new FailoverPolicy(chart, 'policy', { service: db, retry: Retry.onGatewayErrors(), healthCheck: HealthCheck.http({ path: '/' }) });
    return chart;
  }, [/retry needs an HTTP or gRPC service, but db speaks TCP/, /healthCheck needs an HTTP or gRPC service/]],
  ['retry amplification above the limit', () => chain(3, () => ({ retry: Retry.onGatewayErrors({ attempts: 3 }) })),
    [/\[test\/mesh\]/, /retry amplification 27 along s0 -> s1 -> s2 -> s3 \(3 x 3 x 3 attempts\)/, /above the limit of 10/]],
  ['a call cycle whose retries multiply without bound', () => {
    const { chart, orders, users } = canary();
    orders.callTo(users);
    new FailoverPolicy(chart, 'retries', { service: users, retry: Retry.onGatewayErrors({ attempts: 2 }) });
    return chart;
  }, [/\[test\/mesh\] retry amplification is unbounded along the call cycle order-service -> user-service -> order-service \(2 x 1 attempts\)/]],
  ['a route to a service of another mesh', () => {
    const { chart, orders } = canary();
    const other = new Mesh(chart, 'other-mesh', TEST_MESH);
    const billing = new MeshService(chart, 'billing', { mesh: other, image: 'example/billing:1.0.0', port: 8081 });
    new WeightedRoute(chart, 'route', { service: orders, targets: [RouteTarget.version('v1', 90), RouteTarget.service(billing, 10)] });
    return chart;
  }, [/\[test\/route\] target service billing belongs to mesh test\/other-mesh, not test\/mesh/]],
  ['a backup service of another mesh', () => {
    const { chart, orders } = canary();
    const other = new Mesh(chart, 'other-mesh', TEST_MESH);
    const standby = new MeshService(chart, 'standby', { mesh: other, image: 'example/orders:1.0.0', port: 8080 });
    new FailoverPolicy(chart, 'policy', { service: orders, outlierDetection: OutlierDetection.consecutiveErrors(3), backup: Backup.service(standby) });
    return chart;
  }, [/\[test\/policy\] backup standby belongs to mesh test\/other-mesh, not test\/mesh/]],
  ['a timeout shorter than what the upstream may spend', () => chain(2, i => i === 0
    ? { timeout: Duration.millis(500) }
    : { timeout: Duration.seconds(2), retry: Retry.onGatewayErrors({ attempts: 3, perTryTimeout: Duration.millis(250) }) }),
  [/timeout budget: s0 -> s1 gives up after 500 ms, but s1 may spend 750 ms on s2 \(3 attempts x 250 ms\)/]],
  ['a header rewrite with an invalid header name', () => {
    const { chart, orders } = canary();
    new WeightedRoute(chart, 'route', { service: orders, targets: [RouteTarget.version('v1')], requestHeaders: { set: { 'x bad': '1' } } });
    return chart;
  }, [/requestHeaders name 'x bad' is not a valid HTTP header name/]],
  ['a route regex RE2 refuses (lookahead)', () => {
    const { chart, orders } = canary();
    new WeightedRoute(chart, 'route', { service: orders, match: { path: PathMatch.regex('/api/(?!internal).*') }, targets: [RouteTarget.version('v2')] });
    return chart;
  }, [/\[test\/route\] regular expression '\/api\/\(\?!internal\)\.\*' is refused by RE2, the engine Envoy uses \(invalid perl operator: \(\?!\)/]],
  ['a header regex RE2 refuses (backreference)', () => {
    const { chart, orders } = canary();
    new WeightedRoute(chart, 'route', { service: orders, match: { headers: [HeaderMatch.regex('x-id', '(a+)\\1')] }, targets: [RouteTarget.version('v2')] });
    return chart;
  }, [/regular expression '\(a\+\)\\1' is refused by RE2, the engine Envoy uses \(invalid escape sequence: \\1\)/]],
  ['a header value with CR/LF', () => {
    const { chart, orders } = canary();
    new WeightedRoute(chart, 'route', { service: orders, targets: [RouteTarget.version('v1')], requestHeaders: { set: { 'x-tenant': 'a\r\nx-admin: 1' } } });
    return chart;
  }, [/requestHeaders x-tenant: header value "a\\r\\nx-admin: 1" holds control characters/]],
  ['a route that sets host or removes a pseudo-header', () => {
    const { chart, orders } = canary();
    new WeightedRoute(chart, 'route', { service: orders, targets: [RouteTarget.version('v1')], requestHeaders: { set: { host: 'evil' }, remove: [':path'] } });
    return chart;
  }, [/requestHeaders name 'host' cannot be set or removed/, /requestHeaders name ':path' is not a valid HTTP header name/]],
  ['a route that sets x-envoy-* headers', () => {
    const { chart, orders } = canary();
    new WeightedRoute(chart, 'route', { service: orders, targets: [RouteTarget.version('v1')], requestHeaders: { set: { 'x-envoy-max-retries': '50' } } });
    return chart;
  }, [/requestHeaders name 'x-envoy-max-retries' cannot be set or removed: .* reads x-envoy-\* headers as instructions/]],
  ['a route path Envoy never compares requests against', () => {
    const { chart, orders } = canary();
    new WeightedRoute(chart, 'route', { service: orders, match: { path: PathMatch.prefix('/api//v2/') }, targets: [RouteTarget.version('v2')] });
    return chart;
  }, [/path "\/api\/\/v2\/" is not in the form Envoy compares requests in/]],
  ['a health check path with a query', () => policy({ healthCheck: HealthCheck.http({ path: '/healthz?full=1' }), outlierDetection: undefined }),
    [/health check path "\/healthz\?full=1" is not in the form Envoy compares requests in/]],
  ['a health check path with a space', () => policy({ healthCheck: HealthCheck.http({ path: '/health check' }), outlierDetection: undefined }),
    [/health check path "\/health check" is invalid: use printable characters without spaces/]],
  ['an infinite timeout', () => policy({ timeout: Duration.millis(Infinity) }), [/timeout: duration Infinityms is invalid: use a finite duration from 1 ms to 10,000 years/]],
  // Upstreams are split across Envoys (engines/envoy/shards.ts); the service's own listeners stay in its first.
  ['a sidecar configuration over the 1 MiB a ConfigMap may hold', () => {
    const chart = newChart();
    const mesh = new Mesh(chart, 'mesh', TEST_MESH);
    const gateway = new MeshService(chart, 'gateway', { mesh, image: 'example/gateway:1.0.0', port: 8080 });
    for (let i = 0; i < 600; i++) gateway.exposeTo(EdgePeer.anywhere(), { port: 20000 + i });
    return chart;
  }, [/\[test\/gateway\] the sidecar configuration of gateway is \d+ bytes, over the 1048576 bytes of data a ConfigMap may hold: .*expose fewer edge ports/]],
  ['a circuit breaker limit above the uint32 range', () => policy({ circuitBreaker: { maxRequests: 2 ** 32 } }),
    [/circuit breaker maxRequests 4294967296 is invalid: use an integer from 0 to 4294967295/]],
  ['a negative success-rate deviation factor', () => policy({ outlierDetection: OutlierDetection.successRate({ stdevFactor: -1 }) }),
    [/outlier detection stdevFactor -1 is invalid/]],
  ['a rate limit of no requests', () => limits({ requests: 0 }), [/\[test\/limit-0\]/, /requests 0 is invalid: use an integer from 1 to 4294967295/]],
  ['a rate limit refilled more often than every 50 ms', () => limits({ requests: 1, interval: Duration.millis(10) }),
    [/interval: duration 10ms is invalid: use a finite duration from 50 ms/, /at most every 50 ms/]],
  ['a service-wide rate limit below one request per pod', () => limits({ requests: 3, scope: RateLimitScope.SERVICE }),
    [/requests 3 for the whole service is less than 1 per pod over its 4 replicas: raise requests to at least 4/]],
  ['a service-wide rate limit on a service with 0 replicas', () => {
    const chart = newChart();
    const orders = new MeshService(chart, 'orders', { mesh: new Mesh(chart, 'mesh', TEST_MESH), image: 'example/orders:1.0.0', port: 8080, replicas: 0 });
    new RateLimit(chart, 'limit', { service: orders, requests: 100, scope: RateLimitScope.SERVICE });
    return chart;
  }, [/\[test\/limit\] a service-wide limit divides requests 100 among the replicas of orders, which has 0 replicas: give it replicas, or use RateLimitScope.PER_POD/]],
  ['a rate limit burst below its rate', () => limits({ requests: 10, burst: 5 }), [/burst 5 is invalid: use an integer from the per-pod figure \(10\)/]],
  ['two rate limits for every request', () => limits({ requests: 10 }, { requests: 20 }),
    [/\[test\/limit-1\] every request it would count is already counted by test\/limit-0/]],
  ['a rate limit whose path an earlier one covers', () => limits({ requests: 10, path: PathMatch.prefix('/api/') }, { requests: 5, path: PathMatch.prefix('/api/search') }),
    [/\[test\/limit-1\] every request it would count is already counted by test\/limit-0/]],
  ['a rate limit on a TCP service', () => {
    const chart = newChart();
    const db = new MeshService(chart, 'db', { mesh: new Mesh(chart, 'mesh', TEST_MESH), image: 'example/db:1.0.0', port: 5432, protocol: Protocol.TCP });
    new RateLimit(chart, 'limit', { service: db, requests: 10 });
    return chart;
  }, [/\[test\/limit\] db speaks TCP: rate limits count HTTP requests/]],
  ['an external host with a scheme', () => external({ endpoint: ExternalEndpoint.host('https://api.payments.example.com', 443) }),
    [/\[test\/payments\]/, /host 'https:\/\/api.payments.example.com' is neither a DNS name nor an IP address: give the host name alone/]],
  ['an external host named like the ExternalService', () => external({ endpoint: ExternalEndpoint.host('payments', 443) }),
    [/host 'payments' is also the name applications call it by, which resolves to their own sidecar/]],
  ["an external host that is another upstream's name in the caller's pods", () => external({ endpoint: ExternalEndpoint.host('order-service', 8080) }),
    [/\[test\/user-service\] host 'order-service' is also a name this service's pods resolve to their own sidecar \(for order-service\)/]],
  ['a backup host that is an upstream name in the caller pods', () => policy({
    outlierDetection: OutlierDetection.consecutiveGatewayErrors(5), backup: Backup.host('order-service.shop', 8080),
  }), [/\[test\/user-service\] host 'order-service.shop' is also a name this service's pods resolve to their own sidecar/]],
  ['an external host with an invalid address range', () => external({ endpoint: ExternalEndpoint.host('api.payments.example.com', 443, { cidrs: ['203.0.113.0/33'] }) }),
    [/'203.0.113.0\/33' is not an IPv4 CIDR block/]],
  ['address ranges of an external host without restricted egress', () => external({ endpoint: ExternalEndpoint.host('api.payments.example.com', 443, { cidrs: ['203.0.113.0/24'] }) }),
    [/\[test\/payments\] cidrs 203.0.113.0\/24 are read only by restrictEgress NetworkPolicies, which the mesh does not write: set restrictEgress: true/]],
  ['localhost as an external host', () => external({ endpoint: ExternalEndpoint.host('localhost', 8080) }),
    [/\[test\/payments\] host 'localhost' is this pod or the node's link-local network/]],
  ['the cloud metadata address as an external host', () => external({ endpoint: ExternalEndpoint.host('169.254.169.254', 80) }),
    [/\[test\/payments\] host '169.254.169.254' is this pod or the node's link-local network/]],
  ['a loopback backup host', () => policy({ outlierDetection: OutlierDetection.consecutiveGatewayErrors(5), backup: Backup.host('127.0.0.1', 8080) }),
    [/backup host '127.0.0.1' is this pod or the node's link-local network/]],
  ['retries on a TCP external service', () => external({
    endpoint: ExternalEndpoint.host('ledger.example.com', 5432, { tls: false }), protocol: Protocol.TCP, failover: { retry: Retry.onGatewayErrors() },
  }), [/\[test\/payments\] retry needs an HTTP or gRPC service, but payments speaks TCP/]],
  ['an external service backed up by a mesh service', () => {
    const { chart, mesh, orders, users } = canary();
    users.callTo(new ExternalService(chart, 'payments', {
      mesh,
      endpoint: ExternalEndpoint.host('api.payments.example.com', 443),
      failover: { outlierDetection: OutlierDetection.consecutiveGatewayErrors(3), backup: Backup.service(orders) },
    }));
    return chart;
  }, [/backup .*: a service outside the mesh can fail over only to another host \(Backup.host\(\)\)/]],
  ['an external service whose local port is the caller application port', () => external({ endpoint: ExternalEndpoint.host('api.payments.example.com', 3000) }),
    [/\[test\/user-service\] callTo\(test\/payments\): the upstream's port 3000 is also the port this application listens on/]],
  ['an outlier detection interval that is not a number', () => policy({ outlierDetection: OutlierDetection.consecutiveErrors(5, { interval: Duration.millis(NaN) }) }),
    [/\[test\/policy\] outlierDetection\.interval duration NaNms is invalid: use a finite duration/]],
  ['a fault delay that is not a number', () => policy({ fault: { delay: Duration.millis(NaN) } }),
    [/\[test\/policy\] fault\.delay duration NaNms is invalid: use a finite duration/]],
  ['a duration shorter than a nanosecond', () => policy({ fault: { delay: Duration.millis(1e-9) } }),
    [/\[test\/policy\] fault\.delay duration 1e-9ms is invalid: use at least 1 nanosecond, or 0/]],
  ['a route timeout that is infinite', () => {
    const { chart, orders } = canary();
    new WeightedRoute(chart, 'route', { service: orders, targets: [RouteTarget.version('v1')], timeout: Duration.seconds(Infinity) });
    return chart;
  }, [/\[test\/route\] timeout duration Infinityms is invalid: use a finite duration/]],
  ['a route cycle: orders routes to users and users to orders', () => {
    const { chart, orders, users } = canary();
    orders.callTo(users);
    new WeightedRoute(chart, 'orders-to-users', { service: orders, targets: [RouteTarget.service(users)] });
    new WeightedRoute(chart, 'users-to-orders', { service: users, targets: [RouteTarget.service(orders)] });
    return chart;
  }, [
    /\[test\/orders-to-users\] route cycle order-service -> user-service -> order-service: a caller routed along it is sent back/,
    /\[test\/users-to-orders\] route cycle user-service -> order-service -> user-service/,
  ]],
];

