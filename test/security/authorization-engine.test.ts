import { Duration, Testing } from 'cdk8s';
import {
  AuthorizationMode, AuthorizationPolicy, Backup, FailoverPolicy, HealthCheck, HttpMethod, Mesh, MeshService, MtlsMode, OutlierDetection, PathMatch,
} from '../../src';
import { STATIC_CASES } from '../golden/golden';
import { newChart, synth, TEST_MESH } from '../helpers';
import { authorizationMismatches, inboundRbac } from './authorization-oracle';

const rbacOf = (manifests: any[], service: string) => inboundRbac(manifests, { name: service, namespace: service === 'standby' ? 'dr' : 'shop' });

const identity = (name: string, namespace = 'shop') => `spiffe://cluster.local/ns/${namespace}/sa/${name}`;

describe('authorization, evaluated by gRPC\'s implementation of Envoy RBAC', () => {
  function shop() {
    const chart = newChart();
    const mesh = new Mesh(chart, 'mesh', TEST_MESH);
    const orders = new MeshService(chart, 'orders', { mesh, image: 'example/orders:1.0.0', port: 8080 });
    const standby = new MeshService(chart, 'standby', { mesh, image: 'example/orders:1.0.0', port: 8080, namespace: 'dr' });
    const users = new MeshService(chart, 'users', { mesh, image: 'example/users:1.0.0', port: 3000 });
    const admin = new MeshService(chart, 'admin', { mesh, image: 'example/admin:1.0.0', port: 3001 });
    users.callTo(orders);
    admin.callTo(orders);
    new AuthorizationPolicy(chart, 'users-read-orders', { service: orders, caller: users, paths: [PathMatch.prefix('/orders/')], methods: [HttpMethod.GET] });
    return { chart, orders, standby, users, admin };
  }

  test('declared callers get what their policies allow, and nothing else; others get nothing', () => {
    const { chart } = shop();
    const allowed = rbacOf(synth(chart), 'orders');
    expect(allowed({ principal: identity('users'), path: '/orders/7', method: 'GET' })).toBe(true); // positive control
    expect(allowed({ principal: identity('users'), path: '/orders/7', method: 'POST' })).toBe(false);
    expect(allowed({ principal: identity('users'), path: '/admin', method: 'GET' })).toBe(false);
    expect(allowed({ principal: identity('admin'), path: '/admin', method: 'DELETE' })).toBe(true); // no policy: anything
    for (const principal of [identity('standby', 'dr'), identity('users', 'other'), undefined]) {
      expect(allowed({ principal, path: '/orders/7', method: 'GET' })).toBe(false);
    }
  });

  test("a narrowed caller's health checks pass, on the target and on its backup", () => {
    const { chart, orders, standby, users } = shop();
    new FailoverPolicy(chart, 'checks', {
      service: orders,
      caller: users,
      healthCheck: HealthCheck.http({ path: '/healthz', interval: Duration.seconds(5) }),
      outlierDetection: OutlierDetection.consecutiveErrors(3),
      backup: Backup.service(standby),
    });
    // users reaches standby only as orders' backup, and may be narrowed there too.
    new AuthorizationPolicy(chart, 'users-read-standby', { service: standby, caller: users, paths: [PathMatch.prefix('/orders/')], methods: [HttpMethod.GET] });
    const manifests = synth(chart);
    for (const service of ['orders', 'standby']) {
      const allowed = rbacOf(manifests, service);
      expect({ service, healthz: allowed({ principal: identity('users'), path: '/healthz', method: 'GET' }) }).toEqual({ service, healthz: true });
      expect(allowed({ principal: identity('users'), path: '/healthz', method: 'POST' })).toBe(false);
      expect(allowed({ principal: identity('users'), path: '/healthz/../admin', method: 'GET' })).toBe(false);
      expect(allowed({ principal: identity('admin'), path: '/healthz', method: 'GET' })).toBe(service === 'orders');
    }
  });
});

describe.each(Object.keys(STATIC_CASES))('every identity against every sidecar of %s', name => {
  test('non-callers are denied everywhere; callers get their policies, and their health checks, and nothing more', () => {
    const app = STATIC_CASES[name]();
    const { mismatches, allowed } = authorizationMismatches(app, app.charts.flatMap(chart => Testing.synth(chart)));
    expect(mismatches).toEqual([]);
    const enforcing = app.node.findAll().some(c => c instanceof Mesh && c.mtls === MtlsMode.STRICT && c.authorization === AuthorizationMode.ENFORCE
      && c._model().services.some(s => s.callers.length > 0));
    if (enforcing) expect(allowed).toBeGreaterThan(0); // the harness is live: some declared caller was let through
  });
});
