import { admitted, aliases, filesOf, planApps } from './plan-waves';
import { rolloutShop } from './rollout-shop';
import { envoyVersionGauge } from '../../src/monitoring/envoy-version';
import { same } from '../../src/rollout/state';

const key = (kind: string, name: string) => `${kind === 'Deployment' ? 'apps' : 'core'}/${kind}/shop/${name}`;

describe('cdk8s-mesh plan on real synth pairs', () => {
  test('a new call: the upstream admits the caller first, then the caller\'s pods and routes change; the last wave is NEW', () => {
    const plan = planApps(rolloutShop(), rolloutShop({ ordersCallers: ['users', 'billing'] }));
    expect(plan.code).toBe(0);
    expect(plan.waves.map(w => w.name)).toEqual(['01-expand', '02-switch']);
    const [first, second] = plan.waves.map(w => w.state);
    const now = second;
    // Wave 1: orders' ConfigMap from NEW; billing's ConfigMap and Deployment still OLD.
    expect(same(first.get(key('ConfigMap', 'orders-envoy')), now.get(key('ConfigMap', 'orders-envoy')))).toBe(true);
    for (const name of ['ConfigMap/billing-envoy', 'Deployment/billing-v1']) {
      const [kind, n] = name.split('/');
      expect(same(first.get(key(kind, n)), plan.old.get(key(kind, n)))).toBe(true);
      expect(same(first.get(key(kind, n)), now.get(key(kind, n)))).toBe(false);
    }
    expect(filesOf(`${plan.out}/02-switch`)).toEqual(filesOf(plan.newDir));
    expect(plan.output).toContain('kubectl rollout status deployment/billing-v1 -n shop');
    expect(plan.output).toMatch(/sidecars run the new shop\/orders-envoy[^\n]*\n\s+sleep 90/);
  });

  test('a new call, evaluated by gRPC\'s RBAC engine: no billing pod that calls orders runs while orders denies it', () => {
    const plan = planApps(rolloutShop(), rolloutShop({ ordersCallers: ['users', 'billing'] }));
    const states = [plan.old, ...plan.waves.map(w => w.state)];
    // The single apply would let new billing pods start while old orders sidecars deny them: the check below can fail.
    expect(aliases(states[states.length - 1], 'billing-v1', 'orders') && !admitted(plan.old, 'shop/orders', 'billing')).toBe(true);
    for (let w = 1; w < states.length; w++) {
      if (!aliases(states[w], 'billing-v1', 'orders')) continue;
      expect([admitted(states[w - 1], 'shop/orders', 'billing'), admitted(states[w], 'shop/orders', 'billing')]).toEqual([true, true]);
    }
  });

  test('a removed call: the caller stops calling first, then the upstream drops it', () => {
    const plan = planApps(rolloutShop({ ordersCallers: ['users', 'billing'] }), rolloutShop());
    expect(plan.waves.map(w => w.name)).toEqual(['01-switch', '02-contract']);
    const [first, second] = plan.waves.map(w => w.state);
    expect(aliases(plan.old, 'billing-v1', 'orders')).toBe(true);
    expect(aliases(first, 'billing-v1', 'orders')).toBe(false);
    expect(admitted(first, 'shop/orders', 'billing')).toBe(true);
    expect(admitted(second, 'shop/orders', 'billing')).toBe(false);
    expect(same(first.get(key('ConfigMap', 'orders-envoy')), plan.old.get(key('ConfigMap', 'orders-envoy')))).toBe(true);
    expect(filesOf(`${plan.out}/02-contract`)).toEqual(filesOf(plan.newDir));
  });

  test('a new version with weights: its workload first (routes still OLD), then the weights once its pods are Ready', () => {
    const plan = planApps(rolloutShop(), rolloutShop({ canaryPercent: 10 }));
    expect(plan.waves.map(w => w.name)).toEqual(['01-expand', '02-switch']);
    const [first, second] = plan.waves.map(w => w.state);
    expect(first.has(key('Deployment', 'orders-v2')) && first.has(key('Service', 'orders-v2'))).toBe(true);
    expect(same(first.get(key('ConfigMap', 'users-envoy')), plan.old.get(key('ConfigMap', 'users-envoy')))).toBe(true);
    expect(same(second.get(key('ConfigMap', 'users-envoy')), plan.old.get(key('ConfigMap', 'users-envoy')))).toBe(false);
    expect(plan.output).toMatch(/## Wave 1: 01-expand[\s\S]*kubectl rollout status deployment\/orders-v2 -n shop[\s\S]*## Wave 2/);
    expect(filesOf(`${plan.out}/02-switch`)).toEqual(filesOf(plan.newDir));
  });

  test('weights only: one wave, said to be safe, byte-identical to NEW', () => {
    const plan = planApps(rolloutShop({ canaryPercent: 10 }), rolloutShop({ canaryPercent: 50 }));
    expect(plan.waves.map(w => w.name)).toEqual(['01-apply']);
    expect(plan.output).toMatch(/^A single apply is safe/);
    expect(filesOf(`${plan.out}/01-apply`)).toEqual(filesOf(plan.newDir));
  });

  test('a call that moves: orders admits old and new callers in between (a merged RBAC policy), then only the new one', () => {
    const plan = planApps(rolloutShop({ ordersCallers: ['users'] }), rolloutShop({ ordersCallers: ['billing'] }));
    expect(plan.waves.map(w => w.name)).toEqual(['01-expand-switch', '02-switch-contract']);
    const [first, second] = plan.waves.map(w => w.state);
    const orders = key('ConfigMap', 'orders-envoy');
    // Neither OLD nor NEW: the union of both callers, and still the caller that leaves stops first.
    expect(same(first.get(orders), plan.old.get(orders)) || same(first.get(orders), second.get(orders))).toBe(false);
    expect([admitted(first, 'shop/orders', 'users'), admitted(first, 'shop/orders', 'billing')]).toEqual([true, true]);
    expect([admitted(second, 'shop/orders', 'users'), admitted(second, 'shop/orders', 'billing')]).toEqual([false, true]);
    expect(aliases(first, 'users-v1', 'orders')).toBe(false);
    expect(aliases(first, 'billing-v1', 'orders')).toBe(false);
    expect(aliases(second, 'billing-v1', 'orders')).toBe(true);
  });

  test('a call that moves, monitored: each wave\'s alerts expect the version of the sidecar files written with them, the merged one too', () => {
    const plan = planApps(rolloutShop({ ordersCallers: ['users'], monitored: true }), rolloutShop({ ordersCallers: ['billing'], monitored: true }));
    const versionOf = (state: Map<string, any>, service: string) => JSON.parse(state.get(key('ConfigMap', `${service}-envoy`)).data['lds.json']).version_info;
    /** The version a service's settings rule expects: its `config_version` label, and the gauge value Envoy reports for it. */
    const expectedOf = (state: Map<string, any>, service: string) => {
      const rule = state.get(`monitoring.coreos.com/PrometheusRule/shop/${service}-mesh`).spec.groups.flatMap((g: any) => g.rules)
        .find((r: any) => r.record === 'mesh_service:alert_setting:value');
      const [, gauge, version] = /vector\((\d+)\), "setting", "config_version", "", ""\), "config_version", "([0-9a-f]+)"/.exec(rule.expr)!;
      expect(Number(gauge)).toBe(envoyVersionGauge(version));
      return version;
    };
    const [first, second] = plan.waves.map(w => w.state);
    const merged = versionOf(first, 'orders');
    expect([versionOf(plan.old, 'orders'), versionOf(second, 'orders')]).not.toContain(merged);
    for (const state of [first, second]) {
      for (const service of ['orders', 'users', 'billing']) expect(expectedOf(state, service)).toBe(versionOf(state, service));
    }
  });
});
