import { Duration } from 'cdk8s';
import {
  Backup, FailoverPolicy, HashKey, HeaderMatch, HealthCheck, HttpMethod, LoadBalancer, Mesh, MeshService, OutlierDetection,
  PathMatch, Protocol, QueryParameterMatch, Retry, RetryCondition, RouteTarget, WeightedRoute,
} from '../src';
import {
  clusterNamed, envoyConfigOf, listenerNamed, networkFilterOf, newChart, objectNamed, outputProblems, routesOf, synth,
  TEST_MESH,
} from './helpers';

function canaryMesh() {
  const chart = newChart();
  const mesh = new Mesh(chart, 'mesh', TEST_MESH);
  const orders = new MeshService(chart, 'order-service', { mesh, image: 'example/orders:1.0.0', port: 8080 });
  orders.addVersion('v2', { image: 'example/orders:2.0.0', replicas: 1 });
  const users = new MeshService(chart, 'user-service', { mesh, image: 'example/users:1.0.0', port: 3000 });
  users.callTo(orders);
  return { chart, mesh, orders, users };
}

function outbound(manifests: any[], caller = 'user-service', upstream = 'order-service') {
  const bootstrap = envoyConfigOf(manifests, caller);
  return { bootstrap, listener: listenerNamed(bootstrap, `outbound_${upstream}`) };
}

describe('versions', () => {
  test('each version is its own Deployment and headless Service, sharing the identity', () => {
    const { chart } = canaryMesh();
    const manifests = synth(chart);
    const v2 = objectNamed(manifests, 'Deployment', 'order-service-v2');
    expect(v2.spec.template.metadata.labels['mesh.cdk8s.io/version']).toBe('v2');
    expect(v2.spec.template.spec.containers[0].image).toBe('example/orders:2.0.0');
    expect(v2.spec.template.spec.serviceAccountName).toBe('order-service');
    expect(objectNamed(manifests, 'Service', 'order-service-v2').spec.selector['mesh.cdk8s.io/version']).toBe('v2');
    // without a route, callers keep sending everything to the main version
    expect(routesOf(outbound(manifests).listener)).toEqual([{ match: { prefix: '/' }, route: { cluster: 'order-service_v1' } }]);
    expect(outputProblems(manifests)).toEqual([]);
  });
});

describe('WeightedRoute', () => {
  test('a canary split with a header override: the override precedes the split', () => {
    const { chart, orders } = canaryMesh();
    new WeightedRoute(chart, 'split', {
      service: orders, targets: [RouteTarget.version('v1', 90), RouteTarget.version('v2', 10)],
    });
    new WeightedRoute(chart, 'canary-header', {
      service: orders, match: { headers: [HeaderMatch.exact('x-canary', 'true')] }, targets: [RouteTarget.version('v2')],
    });
    const manifests = synth(chart);
    const { listener, bootstrap } = outbound(manifests);
    expect(routesOf(listener)).toEqual([
      {
        match: { prefix: '/', headers: [{ name: 'x-canary', string_match: { exact: 'true' } }] },
        route: { cluster: 'order-service_v2' },
      },
      {
        match: { prefix: '/' },
        route: { weighted_clusters: { clusters: [{ name: 'order-service_v1', weight: 90 }, { name: 'order-service_v2', weight: 10 }] } },
      },
    ]);
    expect(clusterNamed(bootstrap, 'order-service_v2').load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address)
      .toBe('order-service-v2.shop.svc.cluster.local');
    expect(outputProblems(manifests)).toEqual([]);
  });

  test('path, query, method matches, timeout, mirroring and header rewrites', () => {
    const { chart, orders } = canaryMesh();
    new WeightedRoute(chart, 'api', {
      service: orders,
      match: {
        path: PathMatch.regex('/api/v[0-9]+/.*'),
        queryParameters: [QueryParameterMatch.exact('beta', '1')],
        methods: [HttpMethod.POST, HttpMethod.GET],
      },
      targets: [RouteTarget.version('v2')],
      timeout: Duration.millis(1500),
      mirror: RouteTarget.version('v1'),
      mirrorPercent: 12.5,
      requestHeaders: { set: { 'x-route': 'api' }, remove: ['x-debug'] },
    });
    new WeightedRoute(chart, 'exact', { service: orders, match: { path: PathMatch.exact('/health') }, targets: [RouteTarget.version('v1')] });
    const manifests = synth(chart);
    const [api, exact, fallback] = routesOf(outbound(manifests).listener);
    expect(api.match).toEqual({
      safe_regex: { regex: '/api/v[0-9]+/.*' },
      headers: [{ name: ':method', string_match: { safe_regex: { regex: '^(GET|POST)$' } } }],
      query_parameters: [{ name: 'beta', string_match: { exact: '1' } }],
    });
    expect(api.route).toEqual({
      cluster: 'order-service_v2',
      timeout: '1.5s',
      request_mirror_policies: [{ cluster: 'order-service_v1', runtime_fraction: { default_value: { numerator: 125000, denominator: 'MILLION' } } }],
    });
    expect(api.request_headers_to_add).toEqual([{ header: { key: 'x-route', value: 'api' }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' }]);
    expect(api.request_headers_to_remove).toEqual(['x-debug']);
    expect(exact.match).toEqual({ path: '/health' });
    expect(fallback).toEqual({ match: { prefix: '/' }, route: { cluster: 'order-service_v1' } });
    expect(outputProblems(manifests)).toEqual([]);
  });

  test('a route to another service adds its cluster to the caller only', () => {
    const { chart, mesh, orders, users } = canaryMesh();
    const legacy = new MeshService(chart, 'legacy-orders', { mesh, image: 'example/legacy:1.0.0', port: 8080 });
    const admin = new MeshService(chart, 'admin', { mesh, image: 'example/admin:1.0.0', port: 3001 });
    admin.callTo(orders);
    new WeightedRoute(chart, 'strangler', {
      service: orders, caller: users, targets: [RouteTarget.version('v1', 50), RouteTarget.service(legacy, 50)],
    });
    const manifests = synth(chart);
    expect(routesOf(outbound(manifests).listener)[0].route.weighted_clusters.clusters)
      .toEqual([{ name: 'order-service_v1', weight: 50 }, { name: 'legacy-orders_v1', weight: 50 }]);
    expect(clusterNamed(outbound(manifests).bootstrap, 'legacy-orders_v1')).toBeDefined();
    // the other caller is untouched
    expect(routesOf(outbound(manifests, 'admin').listener)).toEqual([{ match: { prefix: '/' }, route: { cluster: 'order-service_v1' } }]);
    expect(outputProblems(manifests)).toEqual([]);
  });

  test('a TCP service is split by weight in tcp_proxy', () => {
    const chart = newChart();
    const mesh = new Mesh(chart, 'mesh', TEST_MESH);
    const db = new MeshService(chart, 'db', { mesh, image: 'example/db:1.0.0', port: 5432, protocol: Protocol.TCP });
    db.addVersion('v2');
    new MeshService(chart, 'app', { mesh, image: 'example/app:1.0.0', port: 3000 }).callTo(db);
    new WeightedRoute(chart, 'db-split', { service: db, targets: [RouteTarget.version('v1', 75), RouteTarget.version('v2', 25)] });
    const manifests = synth(chart);
    expect(networkFilterOf(outbound(manifests, 'app', 'db').listener).weighted_clusters).toEqual({
      clusters: [{ name: 'db_v1', weight: 75 }, { name: 'db_v2', weight: 25 }],
    });
    expect(outputProblems(manifests)).toEqual([]);
  });
});

describe('FailoverPolicy', () => {
  test('retries, timeouts, outlier detection, circuit breaking and health checks land where declared', () => {
    const { chart, orders } = canaryMesh();
    new FailoverPolicy(chart, 'orders-failover', {
      service: orders,
      retry: Retry.on({
        conditions: [RetryCondition.GATEWAY_ERROR, RetryCondition.RESET, RetryCondition.RETRIABLE_STATUS_CODES],
        retriableStatusCodes: [429],
        attempts: 3,
        perTryTimeout: Duration.millis(250),
        backoffBase: Duration.millis(50),
        backoffMax: Duration.millis(500),
      }),
      timeout: Duration.seconds(2),
      idleTimeout: Duration.seconds(30),
      outlierDetection: OutlierDetection.consecutiveGatewayErrors(5, { maxEjectionPercent: 30, baseEjectionTime: Duration.seconds(15) }),
      circuitBreaker: { maxConnections: 100, maxPendingRequests: 10, maxRequests: 200, maxRetries: 5, retryBudgetPercent: 20 },
      healthCheck: HealthCheck.http({ path: '/healthz', interval: Duration.seconds(3) }),
    });
    const manifests = synth(chart);
    const { listener, bootstrap } = outbound(manifests);
    const route = routesOf(listener)[0].route;
    expect(route.timeout).toBe('2s');
    expect(route.idle_timeout).toBe('30s');
    expect(route.retry_policy).toEqual({
      retry_on: 'gateway-error,reset,retriable-status-codes',
      num_retries: 2,
      per_try_timeout: '0.25s',
      retry_back_off: { base_interval: '0.05s', max_interval: '0.5s' },
      retry_host_predicate: [{
        name: 'envoy.retry_host_predicates.previous_hosts',
        typed_config: { '@type': 'type.googleapis.com/envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate' },
      }],
      host_selection_retry_max_attempts: 5,
      retriable_status_codes: [429],
    });
    const cluster = clusterNamed(bootstrap, 'order-service_v1');
    expect(cluster.outlier_detection).toEqual({
      consecutive_gateway_failure: 5,
      enforcing_consecutive_gateway_failure: 100,
      enforcing_consecutive_5xx: 0,
      interval: '10s',
      base_ejection_time: '15s',
      max_ejection_percent: 30,
    });
    expect(cluster.circuit_breakers.thresholds[0]).toEqual({
      priority: 'DEFAULT',
      max_connections: 100,
      max_pending_requests: 10,
      max_requests: 200,
      max_retries: 5,
      retry_budget: { budget_percent: { value: 20 }, min_retry_concurrency: 3 },
    });
    expect(cluster.health_checks).toEqual([{
      timeout: '1s', interval: '3s', unhealthy_threshold: 3, healthy_threshold: 2, http_health_check: { path: '/healthz' },
    }]);
    expect(outputProblems(manifests)).toEqual([]);
  });

  test('a backup service sits at priority 1, its own backup host at priority 2', () => {
    const { chart, mesh, orders } = canaryMesh();
    const standby = new MeshService(chart, 'orders-standby', { mesh, namespace: 'dr', image: 'example/orders:1.0.0', port: 8080 });
    new FailoverPolicy(chart, 'orders-failover', {
      service: orders, outlierDetection: OutlierDetection.consecutiveErrors(3), backup: Backup.service(standby),
    });
    new FailoverPolicy(chart, 'standby-failover', {
      service: standby, healthCheck: HealthCheck.tcp(), backup: Backup.host('orders.eu-west.example.com', 443),
    });
    const manifests = synth(chart);
    const cluster = clusterNamed(outbound(manifests).bootstrap, 'order-service_v1');
    const byPriority = cluster.load_assignment.endpoints.map((e: any) => [
      e.priority ?? 0, e.lb_endpoints.map((l: any) => l.endpoint.address.socket_address.address),
    ]);
    expect(byPriority).toEqual([
      [0, ['order-service-v1.shop.svc.cluster.local']],
      [1, ['orders-standby-v1.dr.svc.cluster.local']],
      [2, ['orders.eu-west.example.com']],
    ]);
    expect(outputProblems(manifests)).toEqual([]);
  });

  test("a caller's own policy wins over the service-wide one, field by field", () => {
    const { chart, orders, users } = canaryMesh();
    new FailoverPolicy(chart, 'wide', { service: orders, timeout: Duration.seconds(5), retry: Retry.onGatewayErrors() });
    new FailoverPolicy(chart, 'for-users', { service: orders, caller: users, timeout: Duration.millis(800) });
    const route = routesOf(outbound(synth(chart)).listener)[0].route;
    expect(route.timeout).toBe('0.8s');
    expect(route.retry_policy.retry_on).toBe('gateway-error');
  });

  test('fault injection is emitted only when asked, before the router', () => {
    const { chart, orders } = canaryMesh();
    const without = networkFilterOf(outbound(synth(chart)).listener).http_filters.map((f: any) => f.name);
    expect(without).toEqual(['envoy.filters.http.header_mutation', 'envoy.filters.http.router']);

    const second = canaryMesh();
    new FailoverPolicy(second.chart, 'chaos', {
      service: second.orders, fault: { delay: Duration.millis(200), delayPercent: 5, abortStatus: 503, abortPercent: 0.5 },
    });
    const manifests = synth(second.chart);
    const filters = networkFilterOf(outbound(manifests).listener).http_filters;
    expect(filters.map((f: any) => f.name)).toEqual(['envoy.filters.http.header_mutation', 'envoy.filters.http.fault', 'envoy.filters.http.router']);
    expect(filters[1].typed_config).toMatchObject({
      delay: { fixed_delay: '0.2s', percentage: { numerator: 50000, denominator: 'MILLION' } },
      abort: { http_status: 503, percentage: { numerator: 5000, denominator: 'MILLION' } },
    });
    expect(outputProblems(manifests)).toEqual([]);
    expect(orders).toBeDefined();
  });

  test('consistent hashing keeps its ring and ejects outliers from it', () => {
    const chart = newChart();
    const mesh = new Mesh(chart, 'mesh', TEST_MESH);
    const carts = new MeshService(chart, 'carts', {
      mesh, image: 'example/carts:1.0.0', port: 8080, loadBalancer: LoadBalancer.ringHash({ key: HashKey.header('x-user-id') }),
    });
    new MeshService(chart, 'web', { mesh, image: 'example/web:1.0.0', port: 3000 }).callTo(carts);
    new FailoverPolicy(chart, 'carts-failover', {
      service: carts, retry: Retry.onGatewayErrors(), outlierDetection: OutlierDetection.consecutiveErrors(5, { maxEjectionPercent: 20 }),
    });
    const manifests = synth(chart);
    const { listener, bootstrap } = outbound(manifests, 'web', 'carts');
    const route = routesOf(listener)[0].route;
    expect(route.hash_policy).toEqual([{ header: { header_name: 'x-user-id' } }]);
    expect(route.retry_policy.retry_host_predicate[0].name).toBe('envoy.retry_host_predicates.previous_hosts');
    const cluster = clusterNamed(bootstrap, 'carts_v1');
    expect(cluster.lb_policy).toBe('RING_HASH');
    expect(cluster.outlier_detection.max_ejection_percent).toBe(20);
    expect(outputProblems(manifests)).toEqual([]);
  });
});
