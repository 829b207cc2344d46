import { renderClusterLoadBalancing, renderRouteHashPolicy, renderTcpHashPolicy } from '../../../src/engines/envoy/load-balancing';
import { ClusterLbSettings } from '../../../src/engines/envoy/types';
import { HashKeySpec, LoadBalancingSpec } from '../../../src/traffic/load-balancer';
import { validateEnvoyMessage } from '../../validate/envoy';

/** Same fields, values and key order (the order JSON.stringify writes into the sidecar's config). */
function expectJson(actual: unknown, expected: unknown) {
  expect(JSON.stringify(actual, undefined, 2)).toBe(JSON.stringify(expected, undefined, 2));
}

/** The smallest cluster Envoy loads, with the given load-balancing fields. */
function clusterWith(settings: ClusterLbSettings) {
  return {
    name: 'orders_v1',
    type: 'STRICT_DNS',
    connect_timeout: '1s',
    ...settings,
    load_assignment: {
      cluster_name: 'orders_v1',
      endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 'orders', port_value: 8080 } } } }] }],
    },
  };
}

describe('renderClusterLoadBalancing', () => {
  test.each<[string, LoadBalancingSpec, ClusterLbSettings]>([
    ['round robin', { policy: 'roundRobin' }, { lb_policy: 'ROUND_ROBIN' }],
    ['random', { policy: 'random' }, { lb_policy: 'RANDOM' }],
    ['least request', { policy: 'leastRequest', choiceCount: 3 }, { lb_policy: 'LEAST_REQUEST', least_request_lb_config: { choice_count: 3 } }],
    ['ring hash', { policy: 'ringHash', minimumRingSize: 1024 }, { lb_policy: 'RING_HASH', ring_hash_lb_config: { minimum_ring_size: 1024 } }],
    ['ring hash with a maximum size', { policy: 'ringHash', minimumRingSize: 16, maximumRingSize: 4096 },
      { lb_policy: 'RING_HASH', ring_hash_lb_config: { minimum_ring_size: 16, maximum_ring_size: 4096 } }],
    ['maglev', { policy: 'maglev', tableSize: 65537 }, { lb_policy: 'MAGLEV', maglev_lb_config: { table_size: 65537 } }],
  ])('%s', (_, spec, expected) => {
    const settings = renderClusterLoadBalancing(spec);
    expectJson(settings, expected);
    expect(validateEnvoyMessage('envoy.config.cluster.v3.Cluster', clusterWith(settings))).toEqual([]);
  });
});

describe('hash policies', () => {
  const ringHash = (key?: HashKeySpec): LoadBalancingSpec => ({ policy: 'ringHash', minimumRingSize: 1024, ...(key && { key }) });
  const routeType = 'envoy.config.route.v3.RouteAction.HashPolicy';

  test('a header, by its lowercase name', () => {
    const policies = renderRouteHashPolicy(ringHash({ kind: 'header', name: 'X-User-Id' }));
    expectJson(policies, [{ header: { header_name: 'x-user-id' } }]);
    policies!.forEach(p => expect(validateEnvoyMessage(routeType, p)).toEqual([]));
  });

  test('a cookie, generated with a lifetime and path when they are given', () => {
    const maglev: LoadBalancingSpec = { policy: 'maglev', tableSize: 65537, key: { kind: 'cookie', name: 'session', ttlMs: 3_600_000, path: '/' } };
    const policies = renderRouteHashPolicy(maglev);
    expectJson(policies, [{ cookie: { name: 'session', ttl: '3600s', path: '/' } }]);
    expectJson(renderRouteHashPolicy(ringHash({ kind: 'cookie', name: 'session' })), [{ cookie: { name: 'session' } }]);
    policies!.forEach(p => expect(validateEnvoyMessage(routeType, p)).toEqual([]));
  });

  test("the caller's address: on HTTP routes, and on the TCP proxy", () => {
    const spec = ringHash({ kind: 'sourceIp' });
    const route = renderRouteHashPolicy(spec);
    const tcp = renderTcpHashPolicy(spec);
    expectJson(route, [{ connection_properties: { source_ip: true } }]);
    expectJson(tcp, [{ source_ip: {} }]);
    route!.forEach(p => expect(validateEnvoyMessage(routeType, p)).toEqual([]));
    tcp!.forEach(p => expect(validateEnvoyMessage('envoy.type.v3.HashPolicy', p)).toEqual([]));
  });

  test('none for a TCP proxy when the key is HTTP only, and none at all without a key or a hashing policy', () => {
    expect(renderTcpHashPolicy(ringHash({ kind: 'header', name: 'x-user-id' }))).toBeUndefined();
    expect(renderRouteHashPolicy(ringHash())).toBeUndefined();
    expect(renderTcpHashPolicy(ringHash())).toBeUndefined();
    expect(renderRouteHashPolicy({ policy: 'leastRequest', choiceCount: 2 })).toBeUndefined();
    expect(renderTcpHashPolicy({ policy: 'roundRobin' })).toBeUndefined();
  });
});
