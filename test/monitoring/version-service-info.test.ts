import { upstreamOfVersionServices, versionServiceInfoRule } from '../../src/monitoring/version-service-info';

const CALLER = { name: 'frontend', namespace: 'shop' };
const series = (upstream: string, versionService: string) =>
  `label_replace(label_replace(vector(1), "upstream", "${upstream}", "", ""), "destination_service_name", "${versionService}", "", "")`;

describe('versionServiceInfoRule', () => {
  test("one series per version Service of the caller's upstreams, labelled like the caller's own metrics", () => {
    const rule = versionServiceInfoRule('shop-mesh', CALLER, 'destination_service_name', [
      { name: 'payment', versions: ['v1'] }, { name: 'orders', versions: ['v1', 'v2'] },
    ])!;
    expect(rule.record).toBe('mesh_edge:version_service:info');
    expect(rule.labels).toEqual({ mesh: 'shop-mesh', namespace: 'shop', mesh_service: 'frontend' });
    expect(rule.expr).toBe([series('orders', 'orders-v1'), series('orders', 'orders-v2'), series('payment', 'payment-v1')].join(' or '));
  });

  test('a version Service named like an upstream, or like an earlier version Service, is left out: a call matches one series at most', () => {
    const rule = versionServiceInfoRule('shop-mesh', CALLER, 'destination_service_name', [
      { name: 'a', versions: ['b-c', 'v1'] }, { name: 'a-b', versions: ['c'] }, { name: 'a-v1', versions: [] },
    ])!;
    expect(rule.expr).toBe(series('a', 'a-b-c'));
  });

  test('no rule without versions', () => {
    expect(versionServiceInfoRule('shop-mesh', CALLER, 'destination_service_name', [{ name: 'orders', versions: [] }])).toBeUndefined();
  });
});

test('calls without info keep the name of their Service, and are left out of the joined side', () => {
  const expr = upstreamOfVersionServices('shop-mesh', 'destination_service_name', 'x');
  expect(expr).toBe('(x * on (namespace, mesh_service, destination_service_name) group_left (upstream) mesh_edge:version_service:info{mesh="shop-mesh"})'
    + ' or (label_replace(x, "upstream", "$1", "destination_service_name", "(.+)")'
    + ' unless on (namespace, mesh_service, destination_service_name) mesh_edge:version_service:info{mesh="shop-mesh"})');
});
