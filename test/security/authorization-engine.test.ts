import { Duration, Testing } from 'cdk8s';
import {
  AuthorizationMode, AuthorizationPolicy, Backup, FailoverPolicy, HealthCheck, HttpMethod, Mesh, MeshService, MtlsMode, OutlierDetection, PathMatch,
} from '../../src';
import { ServiceModel } from '../../src/model/mesh-model';
import { isHttp } from '../../src/protocol';
import { GOLDEN_CASES } from '../golden/golden';
import { envoyConfigOf, listenerNamed, networkFilterOf, newChart, synth, TEST_MESH } from '../helpers';
import { rbacEngine } from './rbac-engine';

/** gRPC's RBAC engine over the inbound listener of a service's sidecar (in `namespace`, when names repeat across namespaces). */
function rbacOf(manifests: any[], service: string, namespace?: string) {
  const config = namespace
    ? JSON.parse(manifests.find(m => m.kind === 'ConfigMap' && m.metadata.name === `${service}-envoy` && m.metadata.namespace === namespace).data['envoy.json'])
    : envoyConfigOf(manifests, service);
  const filters = networkFilterOf(listenerNamed(config, 'inbound')).http_filters;
  return rbacEngine(filters.find((f: any) => f.name === 'envoy.filters.http.rbac').typed_config);
}

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

/** Paths to probe: each policy path made concrete, health-check paths, and paths no policy names. */
const PROBES = ['/', '/admin', '/orders/1', '/account/me', '/api/v1/x', '/healthz', '/ready'];

describe.each(Object.keys(GOLDEN_CASES))('every identity against every sidecar of %s', name => {
  test('non-callers are denied everywhere; callers get their policies, and their health checks, and nothing more', () => {
    const app = GOLDEN_CASES[name]();
    const manifests = app.charts.flatMap(chart => Testing.synth(chart));
    const meshes = app.node.findAll().filter((c): c is Mesh => c instanceof Mesh);
    let positives = 0;
    let checked = 0;
    for (const mesh of meshes.filter(m => m.mtls === MtlsMode.STRICT && m.authorization === AuthorizationMode.ENFORCE)) {
      const model = mesh._model();
      const identities = model.services.map(s => s.service);
      for (const target of model.services.filter(s => isHttp(s.service.protocol))) {
        checked += target.callers.length;
        const allowed = rbacOf(manifests, target.service.name, target.service.namespace);
        for (const caller of identities) {
          const declared = target.callers.some(c => c.service === caller);
          const policies = target.authorizationPolicies.filter(p => p.caller === caller);
          const checks = healthChecksTo(target, caller);
          const inPolicy = (path: string, method: string) => policies.some(p => (p.paths.length === 0 || p.paths.some(m => matches(m, path)))
            && (p.methods.length === 0 || p.methods.includes(method as HttpMethod)));
          const mayRequest = (path: string, method: string) => declared
            && (policies.length === 0 || inPolicy(path, method) || (method === 'GET' && checks.includes(path)));
          const probes = [...PROBES, ...checks, ...policies.flatMap(p => p.paths.map(concrete))];
          for (const path of probes) {
            for (const method of ['GET', 'POST', 'DELETE']) {
              const expected = mayRequest(path, method);
              positives += expected ? 1 : 0;
              const request = { target: target.service.name, caller: caller.name, path, method };
              expect({ ...request, allowed: allowed({ principal: caller.spiffeId, path, method }) }).toEqual({ ...request, allowed: expected });
            }
          }
        }
        expect(allowed({ path: '/', method: 'GET' })).toBe(false); // no certificate, no identity
      }
    }
    // The harness is live: some declared caller somewhere was allowed (when any sidecar enforces).
    if (checked > 0) expect(positives).toBeGreaterThan(0);
  });
});

/** The HTTP health-check paths `caller`'s sidecar sends to `target`'s pods, from the model. */
function healthChecksTo(target: ServiceModel, caller: MeshService): string[] {
  const model = caller.mesh._model().of(caller);
  return model.calls.flatMap(call => call.clusters)
    .filter(c => c.service === target || c.backups.some(b => b.service === target))
    .flatMap(c => (c.failover.healthCheck?._http ? [(c.failover.healthCheck._spec().probe as { path: string }).path] : []));
}

function matches(path: PathMatch, value: string): boolean {
  if (path._kind === 'prefix') return value.startsWith(path._value);
  if (path._kind === 'path') return value === path._value;
  return new RegExp(`^(?:${path._value})$`).test(value);
}

/** A request path a policy path matches (regexes are probed through the fixed probes only). */
function concrete(path: PathMatch): string {
  return path._kind === 'prefix' ? `${path._value}x` : path._kind === 'path' ? path._value : '/';
}
