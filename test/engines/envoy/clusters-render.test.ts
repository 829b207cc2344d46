import { assembled, clusterPlan, sidecarPlan, upstreamPlan } from './plans';
import { Cluster, UpstreamTlsContext } from '../../../src/engines/envoy/types';
import { SidecarPlan } from '../../../src/plan/types';
import { Protocol } from '../../../src/protocol';
import { validateEnvoyBootstrap } from '../../validate/envoy';

function cluster(plan: SidecarPlan, name: string): Cluster {
  const found = (assembled(plan).static_resources.clusters as any[]).find(c => c.name === name);
  if (!found) throw new Error(`no cluster ${name}`);
  return found;
}

const upstreamTls = (c: Cluster) => c.transport_socket?.typed_config as UpstreamTlsContext | undefined;
const endpoints = (c: Cluster) => c.load_assignment.endpoints.map(group => ({
  priority: group.priority ?? 0,
  hosts: group.lb_endpoints.map(e => `${e.endpoint.address.socket_address.address}:${e.endpoint.address.socket_address.port_value}`),
}));

test('the application and the admin interface are static clusters on loopback', () => {
  const plan = sidecarPlan();
  expect((assembled(plan).static_resources.clusters as any[]).map(c => [c.name, c.type, endpoints(c)[0].hosts])).toEqual([
    ['_app', 'STATIC', ['127.0.0.1:3000']],
    ['_admin', 'STATIC', ['127.0.0.1:15000']],
  ]);
  expect(cluster(plan, '_app').typed_extension_protocol_options).toBeUndefined();
});

test('a gRPC application and upstream speak HTTP/2, and mesh TLS offers h2', () => {
  const plan = sidecarPlan({ app: { port: 50051, protocol: Protocol.GRPC }, upstreams: [upstreamPlan({ protocol: Protocol.GRPC })] });
  const http2 = { 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': expect.objectContaining({ explicit_http_config: { http2_protocol_options: {} } }) };
  expect(cluster(plan, '_app').typed_extension_protocol_options).toEqual(http2);
  expect(cluster(plan, 'orders_v1').typed_extension_protocol_options).toEqual(http2);
  expect(upstreamTls(cluster(plan, 'orders_v1'))?.common_tls_context.alpn_protocols).toEqual(['h2']);
  expect(validateEnvoyBootstrap(assembled(plan))).toEqual([]);
});

describe('upstream clusters', () => {
  test('resolve the planned pools by DNS, with mutual TLS accepting only the upstream\'s identities', () => {
    const plan = sidecarPlan({ upstreams: [upstreamPlan()] });
    const orders = cluster(plan, 'orders_v1');
    expect(orders.type).toBe('STRICT_DNS');
    expect(endpoints(orders)).toEqual([{ priority: 0, hosts: ['orders-v1.shop.svc.cluster.local:15006'] }]);
    expect(upstreamTls(orders)).toMatchObject({
      sni: 'orders.shop.svc.cluster.local',
      common_tls_context: {
        tls_params: { tls_minimum_protocol_version: 'TLSv1_2', tls_maximum_protocol_version: 'TLSv1_3' },
        combined_validation_context: {
          default_validation_context: {
            match_typed_subject_alt_names: [{ san_type: 'URI', matcher: { exact: 'spiffe://cluster.local/ns/shop/sa/orders' } }],
          },
        },
      },
    });
    expect(validateEnvoyBootstrap(assembled(plan))).toEqual([]);
  });

  test('with mTLS disabled, plaintext', () => {
    const plan = sidecarPlan({ security: { mtls: 'DISABLED', authorization: undefined }, upstreams: [upstreamPlan()] });
    expect(cluster(plan, 'orders_v1').transport_socket).toBeUndefined();
  });

  test('pools keep their weights; backups take the next priorities; an external host gets its own transport socket', () => {
    const orders = clusterPlan('orders_v1', {
      endpoints: [
        { host: 'orders-v1.shop.svc.cluster.local', port: 15006, priority: 0, weight: 3 },
        { host: 'orders-v1-spot.shop.svc.cluster.local', port: 15006, priority: 0, weight: 1 },
        { host: 'orders-dr-v1.shop.svc.cluster.local', port: 15006, priority: 1 },
        { host: 'orders.legacy.example.com', port: 443, priority: 2, external: { tls: true } },
        { host: 'orders.plain.example.com', port: 80, priority: 3, external: { tls: false } },
      ],
    });
    const plan = sidecarPlan({ upstreams: [upstreamPlan({ clusters: [orders] })] });
    const rendered = cluster(plan, 'orders_v1');
    expect(endpoints(rendered).map(e => e.priority)).toEqual([0, 1, 2, 3]);
    expect(rendered.load_assignment.endpoints[0].lb_endpoints.map(e => e.load_balancing_weight)).toEqual([3, 1]);
    expect(rendered.load_assignment.endpoints[2].lb_endpoints[0].metadata)
      .toEqual({ filter_metadata: { 'envoy.transport_socket_match': { external: 'orders.legacy.example.com:443' } } });
    expect(rendered.transport_socket_matches?.map(m => [m.match, m.transport_socket.name])).toEqual([
      [{ external: 'orders.legacy.example.com:443' }, 'envoy.transport_sockets.tls'],
      [{ external: 'orders.plain.example.com:80' }, 'envoy.transport_sockets.raw_buffer'],
    ]);
    expect(validateEnvoyBootstrap(assembled(plan))).toEqual([]);
  });

  test('outlier detection, circuit breaker and health check as planned', () => {
    const orders = clusterPlan('orders_v1', {
      outlierDetection: { ejectOn: { kind: 'consecutiveErrors', errors: 5 }, intervalMs: 10_000, baseEjectionTimeMs: 30_000, maxEjectionPercent: 50 },
      circuitBreaker: { maxConnections: 100, maxPendingRequests: 10, maxRequests: 200, maxRetries: 3 },
      healthCheck: { probe: { kind: 'http', path: '/healthz' }, timeoutMs: 1000, intervalMs: 5000, unhealthyThreshold: 3, healthyThreshold: 2 },
    });
    const plan = sidecarPlan({ upstreams: [upstreamPlan({ clusters: [orders] })] });
    const rendered = cluster(plan, 'orders_v1');
    expect(rendered.outlier_detection).toMatchObject({ consecutive_5xx: 5, interval: '10s' });
    expect(rendered.circuit_breakers?.thresholds[0]).toMatchObject({ max_connections: 100, max_retries: 3 });
    expect(rendered.health_checks).toEqual([expect.objectContaining({ http_health_check: { path: '/healthz' }, interval: '5s' })]);
    expect(validateEnvoyBootstrap(assembled(plan))).toEqual([]);
  });

  test('a version reached through two upstreams is one cluster', () => {
    const shared = clusterPlan('orders_v2');
    const plan = sidecarPlan({
      upstreams: [
        upstreamPlan({ name: 'orders', clusters: [clusterPlan('orders_v1'), shared] }),
        upstreamPlan({
          name: 'orders-beta',
          listen: { address: '127.10.20.31', port: 8080 },
          clusters: [shared],
          routes: [{ match: {}, split: [{ cluster: 'orders_v2', weight: 100 }] }],
        }),
      ],
    });
    expect((assembled(plan).static_resources.clusters as any[]).map(c => c.name)).toEqual(['_app', '_admin', 'orders_v1', 'orders_v2']);
    expect(validateEnvoyBootstrap(assembled(plan))).toEqual([]);
  });
});

test('a JWKS host is a DNS cluster reached with TLS verified against public CAs', () => {
  const plan = sidecarPlan({
    security: {
      jwt: {
        providers: [{
          name: 'login',
          issuer: 'https://login.example.com/',
          audiences: [],
          forwardToken: true,
          claimHeaders: [],
          keys: { uri: 'https://login.example.com/jwks.json', cluster: 'jwks_login.example.com', cacheDurationMs: 60_000 },
        }],
        rules: [],
        headersWritten: [],
        jwksClusters: [{ name: 'jwks_login.example.com', host: 'login.example.com', port: 443 }],
      },
    },
  });
  const jwks = cluster(plan, 'jwks_login.example.com');
  expect(jwks.type).toBe('LOGICAL_DNS');
  expect(endpoints(jwks)).toEqual([{ priority: 0, hosts: ['login.example.com:443'] }]);
  expect(upstreamTls(jwks)).toMatchObject({
    sni: 'login.example.com',
    common_tls_context: { validation_context: { match_typed_subject_alt_names: [{ san_type: 'DNS', matcher: { exact: 'login.example.com' } }] } },
  });
  expect(validateEnvoyBootstrap(assembled(plan))).toEqual([]);
});

test('the bootstrap names the node, keeps admin on loopback and adds the planned latency buckets', () => {
  const bootstrap = assembled(sidecarPlan({ latencyBucketsMs: [5, 300, 1000] }));
  expect(bootstrap.node).toEqual({ id: 'users.shop', cluster: 'users' });
  expect(bootstrap.admin.address.socket_address).toEqual({ address: '127.0.0.1', port_value: 15000 });
  expect(bootstrap.stats_config?.histogram_bucket_settings).toEqual([{ match: { suffix: 'rq_time' }, buckets: [5, 300, 1000] }]);
  expect(validateEnvoyBootstrap(bootstrap)).toEqual([]);
});
