import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Backup, ExternalEndpoint, ExternalService, HealthCheck, Mesh, MeshService, OutlierDetection, Protocol, Retry } from '../src';
import { clusterNamed, envoyConfigOf, listenerNamed, networkFilterOf, newChart, objectNamed, outputProblems, podSpecOf, synth, TEST_MESH } from './helpers';

function shop() {
  const chart = newChart();
  const mesh = new Mesh(chart, 'mesh', { ...TEST_MESH, restrictEgress: true });
  const orders = new MeshService(chart, 'order-service', { mesh, image: 'example/orders:1.0.0', port: 8080 });
  // An external payment API over TLS, called in plain HTTP on port 80 by the application.
  const payments = new ExternalService(chart, 'payments', {
    mesh,
    endpoint: ExternalEndpoint.host('api.payments.example.com', 443, { cidrs: ['203.0.113.0/24'] }),
    port: 80,
    failover: {
      retry: Retry.onGatewayErrors({ attempts: 2, perTryTimeout: Duration.millis(500) }),
      timeout: Duration.seconds(2),
      outlierDetection: OutlierDetection.consecutiveGatewayErrors(3),
      backup: Backup.host('api.eu.payments.example.com', 443),
    },
  });
  // A database outside the cluster, over plain TCP.
  const ledger = new ExternalService(chart, 'ledger', {
    mesh, endpoint: ExternalEndpoint.host('ledger.db.example.com', 5432, { tls: false }), protocol: Protocol.TCP,
  });
  // A Redis installed by a Helm chart: a plain Service, not in the mesh.
  const redisPods = new kplus.Deployment(chart, 'redis-deployment', {
    metadata: { namespace: 'cache' },
    containers: [{ image: 'redis:7.2', portNumber: 6380, securityContext: { capabilities: { drop: ['ALL' as kplus.Capability] } } }],
  });
  ApiObject.of(redisPods).addJsonPatch(JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }));
  const redisService = new kplus.Service(chart, 'redis-service', {
    metadata: { name: 'redis', namespace: 'cache' }, selector: redisPods, ports: [{ port: 6379, targetPort: 6380 }],
  });
  const redis = new ExternalService(chart, 'redis', { mesh, endpoint: ExternalEndpoint.service(redisService), protocol: Protocol.TCP });
  orders.callTo(payments);
  orders.callTo(ledger);
  orders.callTo(redis);
  return { chart, mesh, manifests: synth(chart) };
}

describe('calls to services outside the mesh', () => {
  const { mesh, manifests } = shop();
  const envoy = envoyConfigOf(manifests, 'order-service');
  const aliases = podSpecOf(manifests, 'order-service-v1').hostAliases;
  const aliasOf = (name: string) => aliases.find((a: any) => a.hostnames.includes(name));

  test('an external host is called by its own name only: the sidecar resolves the real host through DNS', () => {
    expect(aliasOf('payments').hostnames).toEqual(['payments']);
    expect(aliases.flatMap((a: any) => a.hostnames)).not.toContain('api.payments.example.com');
    expect(listenerNamed(envoy, 'outbound_payments').address.socket_address).toEqual({ address: aliasOf('payments').ip, port_value: 80 });
  });

  test('the sidecar originates TLS to the host, sending it as SNI and checking its certificate names it', () => {
    const cluster = clusterNamed(envoy, 'payments_external');
    const endpoints = cluster.load_assignment.endpoints;
    expect(endpoints.map((e: any) => [e.priority ?? 0, e.lb_endpoints[0].endpoint.address.socket_address]))
      .toEqual([[0, { address: 'api.payments.example.com', port_value: 443 }], [1, { address: 'api.eu.payments.example.com', port_value: 443 }]]);
    const tls = cluster.transport_socket_matches.find((m: any) => m.match.external === 'api.payments.example.com:443').transport_socket.typed_config;
    expect(tls.sni).toBe('api.payments.example.com');
    expect(tls.common_tls_context.validation_context.match_typed_subject_alt_names).toEqual([{ san_type: 'DNS', matcher: { exact: 'api.payments.example.com' } }]);
    expect(cluster.transport_socket).toBeUndefined(); // no mesh certificate is offered to the outside
  });

  test('retries, timeout and outlier detection apply to the call', () => {
    const route = networkFilterOf(listenerNamed(envoy, 'outbound_payments')).route_config.virtual_hosts[0].routes[0];
    expect(route.route).toMatchObject({ cluster: 'payments_external', timeout: '2s', retry_policy: { retry_on: 'gateway-error', num_retries: 1 } });
    expect(clusterNamed(envoy, 'payments_external').outlier_detection.consecutive_gateway_failure).toBe(3);
  });

  test('a TCP host is proxied as bytes, in plaintext when it speaks no TLS', () => {
    expect(networkFilterOf(listenerNamed(envoy, 'outbound_ledger')).cluster).toBe('ledger_external');
    const cluster = clusterNamed(envoy, 'ledger_external');
    expect(cluster.transport_socket_matches[0].transport_socket.name).toBe('envoy.transport_sockets.raw_buffer');
  });

  test('TLS is originated by default, except to ports whose protocol is plaintext or negotiates TLS itself, unless stated', () => {
    const chart = newChart();
    const ownMesh = new Mesh(chart, 'mesh', TEST_MESH);
    const app = new MeshService(chart, 'app', { mesh: ownMesh, image: 'example/app:1.0.0', port: 8080 });
    const hosts: Array<[string, number, Protocol, boolean | undefined]> = [
      ['api', 443, Protocol.HTTP, undefined], ['web', 80, Protocol.HTTP, undefined], ['pg', 5432, Protocol.TCP, undefined],
      ['mysql', 3306, Protocol.TCP, undefined], ['pg-tls', 5432, Protocol.TCP, true], ['api-plain', 443, Protocol.HTTP, false],
    ];
    for (const [name, port, protocol, tls] of hosts) {
      app.callTo(new ExternalService(chart, name, {
        mesh: ownMesh, endpoint: ExternalEndpoint.host(`${name}.example.com`, port, { ...(tls !== undefined && { tls }) }), protocol, port: 10000 + port,
      }));
    }
    const config = envoyConfigOf(synth(chart), 'app');
    const socket = (name: string) => clusterNamed(config, `${name}_external`).transport_socket_matches[0].transport_socket.name;
    expect(hosts.map(([name]) => [name, socket(name)])).toEqual([
      ['api', 'envoy.transport_sockets.tls'], ['web', 'envoy.transport_sockets.raw_buffer'], ['pg', 'envoy.transport_sockets.raw_buffer'],
      ['mysql', 'envoy.transport_sockets.raw_buffer'], ['pg-tls', 'envoy.transport_sockets.tls'], ['api-plain', 'envoy.transport_sockets.raw_buffer'],
    ]);
  });

  test('a Service outside the mesh is called by its names but the fully qualified one, which the sidecar resolves', () => {
    expect(aliasOf('redis.cache').hostnames).toEqual(['redis.cache', 'redis.cache.svc']);
    const cluster = clusterNamed(envoy, 'redis_external');
    expect(cluster.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address)
      .toEqual({ address: 'redis.cache.svc.cluster.local', port_value: 6379 });
    expect(listenerNamed(envoy, 'outbound_redis').address.socket_address.port_value).toBe(6379);
  });

  test('egress policies open what can be named: the Service\'s pods on their port, the host\'s addresses where given', () => {
    const egress = objectNamed(manifests, 'NetworkPolicy', 'order-service-mesh').spec.egress;
    expect(egress).toContainEqual({ to: [{ ipBlock: { cidr: '203.0.113.0/24' } }], ports: [{ protocol: 'TCP', port: 443 }] });
    expect(egress).toContainEqual({ ports: [{ protocol: 'TCP', port: 5432 }] });
    const redisRule = egress.find((r: any) => r.ports[0].port === 6380);
    expect(redisRule.to[0].namespaceSelector).toEqual({ matchLabels: { 'kubernetes.io/metadata.name': 'cache' } });
    expect(Object.keys(redisRule.to[0].podSelector.matchLabels)).toEqual(['cdk8s.io/metadata.addr']);
  });

  test('the mesh map shows them, and every object passes the schemas and the Envoy protos', () => {
    const map = mesh.toMermaid();
    expect(map).toContain('<b>payments</b><br/>outside the mesh<br/>api.payments.example.com:443');
    expect(map).toMatch(/shop__order_service -->\|"2 attempts<br\/>timeout 2000ms<br\/>ejects on .*"\| external__shop__payments/);
    expect(outputProblems(manifests)).toEqual([]);
  });
});

test('a Service the app does not define (a Helm release) is referred to by name, emits nothing, and opens its pods by name of port', () => {
  const chart = newChart();
  const mesh = new Mesh(chart, 'mesh', { ...TEST_MESH, restrictEgress: true });
  const orders = new MeshService(chart, 'order-service', { mesh, image: 'example/orders:1.0.0', port: 8080 });
  orders.callTo(new ExternalService(chart, 'redis', {
    mesh,
    endpoint: ExternalEndpoint.clusterService({ name: 'redis-master', namespace: 'cache', port: 6379, targetPort: 'redis', podLabels: { 'app.kubernetes.io/name': 'redis' } }),
    protocol: Protocol.TCP,
  }));
  const manifests = synth(chart);
  expect(manifests.filter(m => m.metadata?.namespace === 'cache' || m.metadata?.name === 'redis-master')).toEqual([]);
  const cluster = clusterNamed(envoyConfigOf(manifests, 'order-service'), 'redis-master_external');
  expect(cluster.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address)
    .toEqual({ address: 'redis-master.cache.svc.cluster.local', port_value: 6379 });
  const egress = objectNamed(manifests, 'NetworkPolicy', 'order-service-mesh').spec.egress;
  expect(egress).toContainEqual({
    to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'cache' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'redis' } } }],
    ports: [{ protocol: 'TCP', port: 'redis' }],
  });
  expect(outputProblems(manifests)).toEqual([]);
});

test("an external host's requests and health checks carry the host's own name, not the alias the application called", () => {
  const chart = newChart();
  const mesh = new Mesh(chart, 'mesh', TEST_MESH);
  const orders = new MeshService(chart, 'order-service', { mesh, image: 'example/orders:1.0.0', port: 8080 });
  orders.callTo(new ExternalService(chart, 'payments', {
    mesh,
    endpoint: ExternalEndpoint.host('api.payments.example.com', 443),
    port: 80,
    failover: { healthCheck: HealthCheck.http({ path: '/health' }) },
  }));
  const envoy = envoyConfigOf(synth(chart), 'order-service');
  expect(networkFilterOf(listenerNamed(envoy, 'outbound_payments')).route_config.virtual_hosts[0].routes[0].route.auto_host_rewrite).toBe(true);
  const cluster = clusterNamed(envoy, 'payments_external');
  expect(cluster.health_checks[0].http_health_check).toEqual({ path: '/health' });
  expect(cluster.load_assignment.endpoints[0].lb_endpoints[0].endpoint.health_check_config).toEqual({ hostname: 'api.payments.example.com' });
});
