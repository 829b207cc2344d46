import { Duration } from 'cdk8s';
import { FailoverPolicy, HeaderMatch, Mesh, MeshService, Retry, RouteTarget, WeightedRoute } from '../src';
import { chain } from './bad-input/traffic';
import { envoyConfigOf, listenerNamed, newChart, routesOf, synth, synthError, TEST_MESH } from './helpers';

describe('traffic and failover bad input fails at synth', () => {
  test('amplification within the limit and consistent timeouts pass', () => {
    expect(() => synth(chain(2, () => ({ retry: Retry.onGatewayErrors({ attempts: 3, perTryTimeout: Duration.millis(100) }) }))))
      .not.toThrow();
    expect(() => synth(chain(3, () => ({ retry: Retry.onGatewayErrors({ attempts: 3 }) }), { maxRetryAmplification: 27 })))
      .not.toThrow();
  });

  test('one report per over-limit path, from its top', () => {
    const message = synthError(chain(4, () => ({ retry: Retry.onGatewayErrors({ attempts: 3 }) })));
    expect(message.match(/retry amplification/g)).toHaveLength(1);
    expect(message).toMatch(/retry amplification 81 along s0 -> s1 -> s2 -> s3 -> s4/);
  });
});

describe('call cycles', () => {
  function cycle(attempts: number[]) {
    const chart = newChart();
    const mesh = new Mesh(chart, 'mesh', TEST_MESH);
    const services = attempts.map((_, i) => new MeshService(chart, `s${i}`, { mesh, image: 'example/app:1.0.0', port: 8000 + i }));
    services.forEach((service, i) => {
      const next = services[(i + 1) % services.length];
      service.callTo(next);
      if (attempts[i] > 1) new FailoverPolicy(chart, `retry-${i}`, { service: next, retry: Retry.onGatewayErrors({ attempts: attempts[i] }) });
    });
    return chart;
  }

  test('a cycle without retries is allowed', () => {
    expect(() => synth(cycle([1, 1, 1]))).not.toThrow();
  });

  test('a cycle with retries on one hop is refused, naming it, even far below the amplification limit', () => {
    const message = synthError(cycle([1, 2, 1]));
    expect(message.match(/unbounded/g)).toHaveLength(1);
    expect(message).toMatch(/retry amplification is unbounded along the call cycle s1 -> s2 -> s0 -> s1 \(2 x 1 x 1 attempts\)/);
  });

  test('an infinite limit accepts it', () => {
    const chart = cycle([2, 2]);
    expect(() => synth(chart)).toThrow(/unbounded/);
    const open = newChart();
    const mesh = new Mesh(open, 'mesh', { ...TEST_MESH, maxRetryAmplification: Infinity });
    const a = new MeshService(open, 'a', { mesh, image: 'example/app:1.0.0', port: 8000 });
    const b = new MeshService(open, 'b', { mesh, image: 'example/app:1.0.0', port: 8001 });
    a.callTo(b);
    b.callTo(a);
    new FailoverPolicy(open, 'retry', { service: a, retry: Retry.onGatewayErrors({ attempts: 3 }) });
    expect(() => synth(open)).not.toThrow();
  });
});

describe('route reachability is judged per caller', () => {
  function routed() {
    const chart = newChart();
    const mesh = new Mesh(chart, 'mesh', TEST_MESH);
    const orders = new MeshService(chart, 'orders', { mesh, image: 'example/orders:1.0.0', port: 8080 });
    orders.addVersion('v2');
    const web = new MeshService(chart, 'web', { mesh, image: 'example/web:1.0.0', port: 3000 });
    const admin = new MeshService(chart, 'admin', { mesh, image: 'example/admin:1.0.0', port: 3001 });
    web.callTo(orders);
    admin.callTo(orders);
    new WeightedRoute(chart, 'beta', { service: orders, match: { headers: [HeaderMatch.exact('x-beta', '1')] }, targets: [RouteTarget.version('v2')] });
    new WeightedRoute(chart, 'admin-all', { service: orders, caller: admin, priority: 10, targets: [RouteTarget.version('v1')] });
    return { chart, orders, web, admin };
  }
  const clustersOf = (manifests: any[], caller: string) =>
    routesOf(listenerNamed(envoyConfigOf(manifests, caller), 'outbound_orders')).map(r => r.route.cluster);

  test("one caller's catch-all hides the routes for all callers from that caller only", () => {
    const manifests = synth(routed().chart);
    // admin's sidecar holds only its catch-all: the route after it could never match there
    expect(clustersOf(manifests, 'admin')).toEqual(['orders_v1']);
    // web still reaches the route for all callers, then the main version
    expect(clustersOf(manifests, 'web')).toEqual(['orders_v2', 'orders_v1']);
  });

  test('a route for all callers that every calling caller hides is refused, naming each hider', () => {
    const { chart, orders, web } = routed();
    new WeightedRoute(chart, 'web-all', { service: orders, caller: web, priority: 5, targets: [RouteTarget.version('v2')] });
    expect(synthError(chart)).toMatch(new RegExp('route test/beta is unreachable: for caller admin, test/admin-all \\(priority 10\\) matches every request it would; '
      + 'for caller web, test/web-all \\(priority 5\\) matches every request it would'));
  });

  test("a caller's route after its own catch-all is refused", () => {
    const { chart, orders, admin } = routed();
    new WeightedRoute(chart, 'admin-beta', { service: orders, caller: admin, match: { headers: [HeaderMatch.exact('x-beta', '1')] }, targets: [RouteTarget.version('v2')] });
    const message = synthError(chart);
    expect(message).toMatch(/route test\/admin-beta is unreachable: test\/admin-all \(priority 10\) matches every request it would/);
    expect(message).not.toMatch(/route test\/beta is unreachable/);
  });
});
