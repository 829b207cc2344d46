import { Duration } from 'cdk8s';
import { EdgePeer, FailoverPolicy, HealthCheck, Mesh, MeshService, PathMatch, Protocol, RateLimit, RateLimitScope } from '../src';
import { envoyConfigOf, listenerNamed, networkFilterOf, newChart, outputProblems, routesOf, synth, synthError, TEST_MESH } from './helpers';
import { firstMatchingRule } from './security/envoy-http-model';

const LIMIT = 'envoy.filters.http.local_ratelimit';

function shop(protocol?: Protocol) {
  const chart = newChart();
  const mesh = new Mesh(chart, 'mesh', TEST_MESH);
  const orders = new MeshService(chart, 'order-service', { mesh, image: 'example/orders:1.0.0', port: 8080, replicas: 3, protocol });
  orders.addVersion('v2', { image: 'example/orders:2.0.0', replicas: 1 });
  const users = new MeshService(chart, 'user-service', { mesh, image: 'example/users:1.0.0', port: 3000 });
  users.callTo(orders);
  return { chart, mesh, orders, users };
}

/** The token bucket of the route Envoy picks for `path` on the order service's inbound listener (undefined: unlimited). */
function bucketFor(manifests: any[], path: string, listener = 'inbound'): any {
  const route = firstMatchingRule(routesOf(listenerNamed(envoyConfigOf(manifests, 'order-service'), listener)), path);
  expect(route.route.cluster).toBe('_app');
  const limit = route.typed_per_filter_config?.[LIMIT];
  return limit && { ...limit.token_bucket, enabled: limit.filter_enabled.default_value, enforced: limit.filter_enforced.default_value };
}

describe('a rate limit per pod', () => {
  const { chart, orders } = shop();
  new RateLimit(chart, 'orders-limit', { service: orders, requests: 100, burst: 150 });
  const manifests = synth(chart);

  test('every request of a caller spends a token of a bucket of 100 per second, 150 deep, enabled and enforced for all requests', () => {
    for (const path of ['/', '/orders/42']) {
      expect(bucketFor(manifests, path)).toEqual({
        tokens_per_fill: 100,
        max_tokens: 150,
        fill_interval: '1s',
        enabled: { numerator: 100, denominator: 'HUNDRED' },
        enforced: { numerator: 100, denominator: 'HUNDRED' },
      });
    }
  });

  test('the filter runs after authorization (denied requests spend no tokens) and answers 429 with a header', () => {
    const hcm = networkFilterOf(listenerNamed(envoyConfigOf(manifests, 'order-service'), 'inbound'));
    const names = hcm.http_filters.map((f: any) => f.name);
    expect(names.indexOf(LIMIT)).toBeGreaterThan(names.indexOf('envoy.filters.http.rbac'));
    expect(names.indexOf(LIMIT)).toBe(names.length - 2);
    const route = hcm.route_config.virtual_hosts[0].routes[0];
    expect(route.typed_per_filter_config[LIMIT].status).toBeUndefined(); // 429, Envoy's default
    expect(route.typed_per_filter_config[LIMIT].response_headers_to_add).toEqual([
      { header: { key: 'x-local-rate-limit', value: 'true' }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' },
    ]);
  });

  test('callers are not limited, and the output passes the Envoy protos', () => {
    const users = networkFilterOf(listenerNamed(envoyConfigOf(manifests, 'user-service'), 'inbound'));
    expect(users.http_filters.map((f: any) => f.name)).not.toContain(LIMIT);
    expect(outputProblems(manifests)).toEqual([]);
  });
});

test('a service-wide figure is divided among the replicas of every version', () => {
  const { chart, orders } = shop();
  new RateLimit(chart, 'orders-limit', { service: orders, requests: 100, scope: RateLimitScope.SERVICE, interval: Duration.millis(500) });
  expect(bucketFor(synth(chart), '/')).toMatchObject({ tokens_per_fill: 25, max_tokens: 25, fill_interval: '0.5s' });
});

test('a service-wide figure the replicas do not divide is rounded down: together the 4 pods never admit more than the figure', () => {
  const { chart, orders } = shop();
  new RateLimit(chart, 'orders-limit', { service: orders, requests: 103, scope: RateLimitScope.SERVICE });
  const bucket = bucketFor(synth(chart), '/');
  expect(bucket).toMatchObject({ tokens_per_fill: 25, max_tokens: 25, fill_interval: '1s' });
  expect(4 * bucket.tokens_per_fill).toBeLessThanOrEqual(103);
});

test('a service-wide figure for a service scaled to 0 replicas is refused (no pod to divide it among; Envoy refuses max_tokens: null)', () => {
  const chart = newChart();
  const orders = new MeshService(chart, 'order-service', { mesh: new Mesh(chart, 'mesh', TEST_MESH), image: 'example/orders:1.0.0', port: 8080, replicas: 0 });
  new RateLimit(chart, 'orders-limit', { service: orders, requests: 100, scope: RateLimitScope.SERVICE });
  expect(synthError(chart)).toMatch(/\[test\/orders-limit\] a service-wide limit divides requests 100 among the replicas of order-service, which has 0 replicas/);
});

test('a per-pod figure on a service scaled to 0 replicas stays that figure, and the output passes the Envoy protos', () => {
  const chart = newChart();
  const orders = new MeshService(chart, 'order-service', { mesh: new Mesh(chart, 'mesh', TEST_MESH), image: 'example/orders:1.0.0', port: 8080, replicas: 0 });
  new MeshService(chart, 'user-service', { mesh: orders.mesh, image: 'example/users:1.0.0', port: 3000 }).callTo(orders);
  new RateLimit(chart, 'orders-limit', { service: orders, requests: 100 });
  const manifests = synth(chart);
  expect(bucketFor(manifests, '/')).toMatchObject({ tokens_per_fill: 100, max_tokens: 100 });
  expect(outputProblems(manifests)).toEqual([]);
});

describe('limits by path', () => {
  const { chart, orders, users } = shop();
  new FailoverPolicy(chart, 'orders-failover', { service: orders, caller: users, healthCheck: HealthCheck.http({ path: '/healthz' }) });
  new RateLimit(chart, 'search-limit', { service: orders, requests: 5, path: PathMatch.prefix('/search/') });
  new RateLimit(chart, 'orders-limit', { service: orders, requests: 100 });
  const manifests = synth(chart);

  test('each limit counts its own requests; the one without a path counts the rest', () => {
    expect(bucketFor(manifests, '/search/shoes')).toMatchObject({ tokens_per_fill: 5 });
    expect(bucketFor(manifests, '/orders')).toMatchObject({ tokens_per_fill: 100 });
  });

  test("callers' health checks are never limited: a limited probe would eject healthy pods", () => {
    expect(bucketFor(manifests, '/healthz')).toBeUndefined();
    const exempt = routesOf(listenerNamed(envoyConfigOf(manifests, 'order-service'), 'inbound'))[0];
    expect(exempt.match).toEqual({ path: '/healthz', headers: [{ name: ':method', string_match: { exact: 'GET' } }] });
    expect(outputProblems(manifests)).toEqual([]);
  });
});

test('with only limits by path, other requests pass unlimited; ports opened with exposeTo are limited alike', () => {
  const { chart, orders } = shop();
  orders.exposeTo(EdgePeer.namespace('ingress-nginx'), { port: 8443 });
  new RateLimit(chart, 'search-limit', { service: orders, requests: 5, path: PathMatch.prefix('/search/') });
  const manifests = synth(chart);
  expect(bucketFor(manifests, '/orders')).toBeUndefined();
  expect(bucketFor(manifests, '/search/x', 'edge_8443')).toMatchObject({ tokens_per_fill: 5 });
});

test('gRPC callers get RESOURCE_EXHAUSTED rather than UNAVAILABLE', () => {
  const { chart, orders } = shop(Protocol.GRPC);
  new RateLimit(chart, 'orders-limit', { service: orders, requests: 100 });
  const route = routesOf(listenerNamed(envoyConfigOf(synth(chart), 'order-service'), 'inbound'))[0];
  expect(route.typed_per_filter_config[LIMIT].rate_limited_as_resource_exhausted).toBe(true);
});

test("edge listeners do not exempt the mesh callers' health-check paths", () => {
  const { chart, orders, users } = shop();
  orders.exposeTo(EdgePeer.namespace('ingress-nginx'), { port: 8443 });
  new FailoverPolicy(chart, 'orders-failover', { service: orders, caller: users, healthCheck: HealthCheck.http({ path: '/' }) });
  new RateLimit(chart, 'orders-limit', { service: orders, requests: 100 });
  const manifests = synth(chart);
  expect(bucketFor(manifests, '/', 'edge_8443')).toMatchObject({ tokens_per_fill: 100 });
  expect(bucketFor(manifests, '/', 'inbound')).toBeUndefined();
});
