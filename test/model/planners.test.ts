import { Duration } from 'cdk8s';
import {
  Backup, EdgePeer, FailoverPolicy, Mesh, MeshService, MtlsMode, Retry, RetryCondition, RouteTarget, WeightedRoute,
} from '../../src';
import { planPodTemplate } from '../../src/plan/pod-template';
import { planSidecar } from '../../src/plan/sidecar-plan';
import { planNetworkPolicy } from '../../src/security/network-policy-plan';
import { loopbackAddress } from '../../src/traffic/upstream-address';
import { newChart, TEST_MESH } from '../helpers';

/**
 * `web` calls `orders` (a canary at 20%, retried, with an outside backup, on
 * local port 18080) and `payments` of namespace `billing`; `orders` is open
 * to the ingress controller on 8081. Egress is restricted.
 */
function shop(mtls = MtlsMode.STRICT) {
  const chart = newChart();
  const mesh = new Mesh(chart, 'mesh', { ...TEST_MESH, mtls, restrictEgress: true });
  const orders = new MeshService(chart, 'orders', { mesh, image: 'example/orders:1.0.0', port: 8080 });
  orders.addVersion('v2', { image: 'example/orders:2.0.0' });
  const payments = new MeshService(chart, 'payments', { mesh, namespace: 'billing', image: 'example/payments:1.0.0', port: 9000 });
  const web = new MeshService(chart, 'web', { mesh, image: 'example/web:1.0.0', port: 3000 });
  web.callTo(payments);
  web.callTo(orders, { localPort: 18080 });
  new WeightedRoute(chart, 'canary', { service: orders, targets: [RouteTarget.version('v1', 80), RouteTarget.version('v2', 20)] });
  new FailoverPolicy(chart, 'orders-failover', {
    service: orders,
    retry: Retry.onGatewayErrors({ attempts: 3 }),
    timeout: Duration.seconds(2),
    backup: Backup.host('orders.legacy.example.com', 443),
  });
  orders.exposeTo(EdgePeer.namespace('ingress-nginx'), { port: 8081 });
  const model = mesh._model();
  return { model: (service: MeshService) => model.of(service), orders, payments, web };
}

describe('planSidecar', () => {
  const { model, orders, web } = shop();
  const caller = planSidecar(model(web));
  const [toOrders, toPayments] = caller.upstreams;

  test('upstreams sorted by name, each on its own loopback address', () => {
    expect(caller.upstreams.map(u => u.name)).toEqual(['orders', 'payments']);
    expect(toOrders.listen).toEqual({ address: loopbackAddress('shop', 'orders'), port: 18080 });
    expect(toPayments.listen).toEqual({ address: loopbackAddress('billing', 'payments'), port: 9000 });
    expect(toOrders.listen.address).not.toBe(toPayments.listen.address);
  });

  test('the canary split, with the failover settings in domain values (attempts, milliseconds)', () => {
    expect(toOrders.routes).toHaveLength(1);
    const [route] = toOrders.routes;
    expect(route.split).toEqual([{ cluster: 'orders_v1', weight: 80 }, { cluster: 'orders_v2', weight: 20 }]);
    expect(route.timeoutMs).toBe(2000);
    expect(route.retry).toMatchObject({ attempts: 3, conditions: [RetryCondition.GATEWAY_ERROR] });
  });

  test('each version is a cluster of its pods, with the outside backup at the next priority', () => {
    expect(toOrders.clusters.map(c => c.name)).toEqual(['orders_v1', 'orders_v2']);
    expect(toOrders.clusters[0].endpoints).toEqual([
      { host: 'orders-v1.shop.svc.cluster.local', port: 15006, priority: 0, hostname: 'orders' },
      { host: 'orders.legacy.example.com', port: 443, priority: 1, hostname: 'orders.legacy.example.com', external: { tls: true } },
    ]);
    expect(toOrders.clusters[0].tls).toEqual({ sni: 'orders.shop.svc.cluster.local', spiffeIds: [orders.spiffeId] });
  });

  test('the upstream authorizes its caller by identity and serves its edge port', () => {
    const security = planSidecar(model(orders)).security;
    expect(security.authorization).toEqual({ mode: 'ENFORCE', callers: [{ name: 'web.shop', principal: web.spiffeId, rules: [] }] });
    expect(security.edges).toEqual([{ port: 8081, tls: false }]);
  });

  test('plans hold domain values: no Envoy field names or duration strings', () => {
    const keys: string[] = [];
    JSON.stringify(caller, (key, value) => (keys.push(key), value));
    expect(keys.filter(key => /^[a-z]+_[a-z]/.test(key) || key === '@type')).toEqual([]);
    expect(JSON.stringify(caller)).not.toMatch(/"\d+(\.\d+)?s"/);
  });
});

describe('planNetworkPolicy', () => {
  const { model, orders, payments, web } = shop();

  test('the inbound port is open to the callers\' pods, edge ports to their peers', () => {
    const plan = planNetworkPolicy(model(orders));
    expect(plan.podLabels).toEqual({ 'mesh.cdk8s.io/service': 'orders' });
    expect(plan.callers).toEqual([{ namespace: 'shop', podLabels: { 'mesh.cdk8s.io/service': 'web' } }]);
    expect(plan.edges).toEqual([{ port: 8081, peer: { namespace: 'ingress-nginx' } }]);
  });

  test('a service nobody calls has no callers', () => {
    expect(planNetworkPolicy(model(web)).callers).toEqual([]);
    expect(planNetworkPolicy(model(payments)).callers).toEqual([{ namespace: 'shop', podLabels: { 'mesh.cdk8s.io/service': 'web' } }]);
  });

  test('restricted egress reaches the called services (by qualified name) and the backup host\'s port', () => {
    expect(planNetworkPolicy(model(web)).egress).toEqual({
      services: [
        { namespace: 'shop', podLabels: { 'mesh.cdk8s.io/service': 'orders' } },
        { namespace: 'billing', podLabels: { 'mesh.cdk8s.io/service': 'payments' } },
      ],
      externalPorts: [443],
      externalRanges: [],
      clusterServices: [],
    });
    expect(planNetworkPolicy(model(orders)).egress).toEqual({ services: [], externalPorts: [], externalRanges: [], clusterServices: [] });
  });

  test('under PERMISSIVE mTLS the inbound port is open to any source', () => {
    const permissive = shop(MtlsMode.PERMISSIVE);
    expect(planNetworkPolicy(permissive.model(permissive.orders)).callers).toBeUndefined();
  });
});

describe('planPodTemplate', () => {
  const { model, orders, web } = shop();

  test('each upstream in declaration order: its loopback address, the names that resolve to it, its port and variables', () => {
    const { upstreams } = planPodTemplate(model(web), 'v1');
    expect(upstreams.map(u => [u.address, u.port])).toEqual([
      [loopbackAddress('billing', 'payments'), 9000],
      [loopbackAddress('shop', 'orders'), 18080],
    ]);
    expect(upstreams[0].hostnames).toEqual(['payments.billing', 'payments.billing.svc', 'payments.billing.svc.cluster.local']);
    expect(upstreams[1].hostnames[0]).toBe('orders');
    expect(upstreams[1].variables).toMatchObject({ ORDERS_SERVICE_HOST: loopbackAddress('shop', 'orders'), ORDERS_SERVICE_PORT: '18080' });
  });

  test('edge ports of the exposed service; none elsewhere', () => {
    expect(planPodTemplate(model(orders), 'v1').edges).toEqual([{ port: 8081, tlsSecret: undefined }]);
    expect(planPodTemplate(model(web), 'v1').edges).toEqual([]);
  });
});
