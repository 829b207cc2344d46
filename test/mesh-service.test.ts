import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { AddressFormat, EdgePeer, HashKey, LoadBalancer, Mesh, MeshService, Protocol } from '../src';
import {
  clusterNamed, containerNamed, envoyConfigOf, listenerNamed, networkFilterOf, newChart, objectNamed,
  outputProblems, podSpecOf, routesOf, synth,
  TEST_MESH,
} from './helpers';

function shop(options: { ordersLb?: LoadBalancer; ordersProtocol?: Protocol; ordersPort?: number } = {}) {
  const chart = newChart();
  const mesh = new Mesh(chart, 'mesh', TEST_MESH);
  const orders = new MeshService(chart, 'order-service', {
    mesh,
    image: 'example/orders:1.0.0',
    port: options.ordersPort ?? 8080,
    protocol: options.ordersProtocol,
    loadBalancer: options.ordersLb,
  });
  const users = new MeshService(chart, 'user-service', { mesh, image: 'example/users:1.0.0', port: 3000 });
  return { chart, mesh, orders, users };
}

describe('a call from one mesh service to another', () => {
  const { chart, users, orders } = shop();
  users.callTo(orders);
  const manifests = synth(chart);
  const usersPod = podSpecOf(manifests, 'user-service-v1');
  const alias = usersPod.hostAliases.find((a: any) => a.hostnames.includes('order-service'));
  const bootstrap = envoyConfigOf(manifests, 'user-service');

  test('aliases every name of the upstream to one loopback address of the caller pod', () => {
    expect(alias.ip).toMatch(/^127\.(\d+)\.(\d+)\.(\d+)$/);
    expect(alias.ip.startsWith('127.0.')).toBe(false);
    expect(alias.hostnames).toEqual([
      'order-service', 'order-service.shop', 'order-service.shop.svc', 'order-service.shop.svc.cluster.local',
    ]);
  });

  test("the caller's sidecar listens there on the upstream's port and routes to the upstream's cluster", () => {
    const listener = listenerNamed(bootstrap, 'outbound_order-service');
    expect(listener.address.socket_address).toEqual({ address: alias.ip, port_value: 8080 });
    expect(routesOf(listener)).toEqual([{ match: { prefix: '/' }, route: { cluster: 'order-service_v1' } }]);
  });

  test("the upstream's cluster resolves the headless Service of its pods, on their sidecar port", () => {
    const cluster = clusterNamed(bootstrap, 'order-service_v1');
    expect(cluster.type).toBe('STRICT_DNS');
    expect(cluster.lb_policy).toBe('ROUND_ROBIN');
    const endpoints = cluster.load_assignment.endpoints.flatMap((e: any) => e.lb_endpoints);
    expect(endpoints.map((e: any) => e.endpoint.address.socket_address)).toEqual([
      { address: 'order-service-v1.shop.svc.cluster.local', port_value: 15006 },
    ]);
    const headless = objectNamed(manifests, 'Service', 'order-service-v1');
    expect(headless.spec.clusterIP).toBe('None');
    expect(headless.spec.ports[0].port).toBe(15006);
    // the headless name is not one of the aliased names: the sidecar's own lookups go to DNS
    expect(alias.hostnames).not.toContain('order-service-v1.shop.svc.cluster.local');
  });

  test('the Service callers address targets the sidecar, not the application', () => {
    const service = objectNamed(manifests, 'Service', 'order-service');
    expect(service.spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 15006 }]);
    expect(service.spec.selector).toEqual({ 'mesh.cdk8s.io/service': 'order-service' });
    const ordersPod = objectNamed(manifests, 'Deployment', 'order-service-v1').spec.template;
    expect(ordersPod.metadata.labels['mesh.cdk8s.io/service']).toBe('order-service');
    const sidecarPorts = containerNamed(ordersPod.spec, 'envoy').ports.map((p: any) => p.containerPort);
    expect(sidecarPorts).toContain(15006);
  });

  test('the inbound listener forwards to the application on loopback', () => {
    const ordersBootstrap = envoyConfigOf(manifests, 'order-service');
    const inbound = listenerNamed(ordersBootstrap, 'inbound');
    expect(inbound.address.socket_address).toEqual({ address: '0.0.0.0', port_value: 15006 });
    expect(routesOf(inbound)[0].route.cluster).toBe('_app');
    const app = clusterNamed(ordersBootstrap, '_app');
    expect(app.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address)
      .toEqual({ address: '127.0.0.1', port_value: 8080 });
  });

  test('a sidecar carries only its own upstreams', () => {
    const ordersBootstrap = envoyConfigOf(manifests, 'order-service');
    expect(ordersBootstrap.static_resources.listeners.map((l: any) => l.name)).toEqual(['stats', 'inbound']);
    expect(bootstrap.static_resources.listeners.map((l: any) => l.name))
      .toEqual(['stats', 'inbound', 'outbound_order-service']);
  });

  test('the application gets the upstream address in its environment, overriding service links', () => {
    const env = containerNamed(usersPod, 'app').env;
    const value = (name: string) => env.find((e: any) => e.name === name)?.value;
    expect(value('ORDER_SERVICE_URL')).toBe('http://order-service:8080');
    expect(value('ORDER_SERVICE_SERVICE_HOST')).toBe(alias.ip);
    expect(value('ORDER_SERVICE_SERVICE_PORT')).toBe('8080');
  });

  test('admin stays on loopback; only /stats/prometheus and /ready are exposed', () => {
    expect(bootstrap.admin.address.socket_address.address).toBe('127.0.0.1');
    const stats = listenerNamed(bootstrap, 'stats');
    expect(routesOf(stats).map((r: any) => r.match.path)).toEqual(['/stats/prometheus', '/ready']);
    expect(routesOf(stats).every((r: any) => r.route.cluster === '_admin')).toBe(true);
  });

  test('the sidecar is pinned, ready on Envoy, drains on shutdown and runs unprivileged', () => {
    const sidecar = containerNamed(usersPod, 'envoy');
    expect(sidecar.image).toBe(Mesh.DEFAULT_ENVOY_IMAGE);
    expect(sidecar.readinessProbe.httpGet).toMatchObject({ path: '/ready', port: 15090 });
    expect(sidecar.lifecycle.preStop.exec.command).toEqual(['sleep', '10']);
    expect(sidecar.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 101,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
  });

  test('every object passes the Kubernetes schema, the restricted Pod Security Standard and the Envoy protos', () => {
    expect(outputProblems(manifests)).toEqual([]);
  });
});

describe('load balancing', () => {
  function upstreamOf(lb: LoadBalancer, protocol?: Protocol, override?: LoadBalancer) {
    const { chart, users, orders } = shop({ ordersLb: lb, ordersProtocol: protocol });
    users.callTo(orders, { loadBalancer: override });
    const manifests = synth(chart);
    const bootstrap = envoyConfigOf(manifests, 'user-service');
    const listener = listenerNamed(bootstrap, 'outbound_order-service');
    return { manifests, cluster: clusterNamed(bootstrap, 'order-service_v1'), listener };
  }

  test.each([
    [LoadBalancer.roundRobin(), { lb_policy: 'ROUND_ROBIN' }],
    [LoadBalancer.random(), { lb_policy: 'RANDOM' }],
    [LoadBalancer.leastRequest(), { lb_policy: 'LEAST_REQUEST', least_request_lb_config: { choice_count: 2 } }],
    [LoadBalancer.leastRequest({ choiceCount: 5 }), { lb_policy: 'LEAST_REQUEST', least_request_lb_config: { choice_count: 5 } }],
    [LoadBalancer.ringHash({ key: HashKey.sourceIp() }), { lb_policy: 'RING_HASH', ring_hash_lb_config: { minimum_ring_size: 1024 } }],
    [LoadBalancer.maglev({ key: HashKey.sourceIp(), tableSize: 131 }), { lb_policy: 'MAGLEV', maglev_lb_config: { table_size: 131 } }],
  ])('%p configures the cluster', (lb, expected) => {
    const { cluster, manifests } = upstreamOf(lb);
    expect(cluster).toMatchObject(expected);
    expect(outputProblems(manifests)).toEqual([]);
  });

  test.each([
    [HashKey.header('X-User-Id'), { header: { header_name: 'x-user-id' } }],
    [HashKey.cookie('session', { ttl: Duration.hours(1), path: '/' }), { cookie: { name: 'session', ttl: '3600s', path: '/' } }],
    [HashKey.sourceIp(), { connection_properties: { source_ip: true } }],
  ])('a hash key becomes the route hash policy', (key, expected) => {
    const { listener, manifests } = upstreamOf(LoadBalancer.ringHash({ key }));
    expect(routesOf(listener)[0].route.hash_policy).toEqual([expected]);
    expect(outputProblems(manifests)).toEqual([]);
  });

  test("a caller's override wins over the upstream's policy", () => {
    const { cluster } = upstreamOf(LoadBalancer.random(), undefined, LoadBalancer.leastRequest({ choiceCount: 3 }));
    expect(cluster.lb_policy).toBe('LEAST_REQUEST');
  });

  test('a TCP upstream is proxied as bytes, hashed on the source address', () => {
    const { listener, cluster, manifests } = upstreamOf(LoadBalancer.maglev({ key: HashKey.sourceIp() }), Protocol.TCP);
    const proxy = networkFilterOf(listener);
    expect(proxy['@type']).toContain('tcp_proxy.v3.TcpProxy');
    expect(proxy.cluster).toBe('order-service_v1');
    expect(proxy.hash_policy).toEqual([{ source_ip: {} }]);
    expect(cluster.lb_policy).toBe('MAGLEV');
    expect(outputProblems(manifests)).toEqual([]);
  });

  test('gRPC upstreams speak HTTP/2 to the upstream sidecar', () => {
    const { cluster, manifests } = upstreamOf(LoadBalancer.roundRobin(), Protocol.GRPC);
    expect(cluster.typed_extension_protocol_options['envoy.extensions.upstreams.http.v3.HttpProtocolOptions'])
      .toMatchObject({ explicit_http_config: { http2_protocol_options: {} } });
    expect(outputProblems(manifests)).toEqual([]);
  });
});

describe('call options', () => {
  test('address variable name and format are configurable', () => {
    const { chart, users, orders } = shop();
    users.callTo(orders, { addressVariable: 'ORDERS', addressFormat: AddressFormat.IP_PORT });
    const env = containerNamed(podSpecOf(synth(chart), 'user-service-v1'), 'app').env;
    const value = env.find((e: any) => e.name === 'ORDERS').value;
    expect(value).toMatch(/^127\.\d+\.\d+\.\d+:8080$/);
  });

  test('a port below 1024 is bound through the safe unprivileged-port sysctl, not a capability', () => {
    const { chart, users, orders } = shop({ ordersPort: 80 });
    users.callTo(orders);
    const manifests = synth(chart);
    const pod = podSpecOf(manifests, 'user-service-v1');
    expect(pod.securityContext.sysctls).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }]);
    expect(listenerNamed(envoyConfigOf(manifests, 'user-service'), 'outbound_order-service').address.socket_address.port_value).toBe(80);
    expect(outputProblems(manifests)).toEqual([]);
  });

  test('the loopback address of an upstream does not move when other upstreams are added', () => {
    const addressOfOrders = (extra: boolean) => {
      const { chart, mesh, users, orders } = shop();
      if (extra) users.callTo(new MeshService(chart, 'billing', { mesh, image: 'example/billing:1.0.0', port: 9090 }));
      users.callTo(orders);
      return podSpecOf(synth(chart), 'user-service-v1').hostAliases
        .find((a: any) => a.hostnames.includes('order-service')).ip;
    };
    expect(addressOfOrders(true)).toBe(addressOfOrders(false));
  });

  test('upstreams in another namespace are aliased by qualified names only', () => {
    const { chart, mesh, users } = shop();
    const payments = new MeshService(chart, 'payments', { mesh, namespace: 'billing', image: 'example/pay:1.0.0', port: 8443 });
    users.callTo(payments);
    const manifests = synth(chart);
    const alias = podSpecOf(manifests, 'user-service-v1').hostAliases[0];
    expect(alias.hostnames).toEqual(['payments.billing', 'payments.billing.svc', 'payments.billing.svc.cluster.local']);
    expect(objectNamed(manifests, 'Service', 'payments').metadata.namespace).toBe('billing');
  });
});

describe('an adopted Deployment', () => {
  test('gets the sidecar, mesh labels and upstream aliases, keeping its own containers', () => {
    const chart = newChart();
    const mesh = new Mesh(chart, 'mesh', TEST_MESH);
    const serviceAccount = new kplus.ServiceAccount(chart, 'legacy-sa', { metadata: { name: 'legacy' } });
    const deployment = new kplus.Deployment(chart, 'legacy-deployment', {
      metadata: { name: 'legacy' },
      serviceAccount,
      containers: [{ name: 'main', image: 'example/legacy:3.1.0', portNumber: 7000, securityContext: { capabilities: { drop: ['ALL' as kplus.Capability] } } }],
    });
    const legacy = new MeshService(chart, 'legacy', { mesh, deployment, port: 7000 });
    const orders = new MeshService(chart, 'order-service', { mesh, image: 'example/orders:1.0.0', port: 8080 });
    legacy.callTo(orders);
    const manifests = synth(chart);
    const pod = podSpecOf(manifests, 'legacy');
    expect(pod.containers.map((c: any) => c.name)).toEqual(['main', 'envoy']);
    expect(pod.hostAliases[0].hostnames).toContain('order-service');
    expect(containerNamed(pod, 'main').env.map((e: any) => e.name)).toContain('ORDER_SERVICE_URL');
    expect(objectNamed(manifests, 'Deployment', 'legacy').spec.template.metadata.labels['mesh.cdk8s.io/service']).toBe('legacy');
    expect(legacy.serviceAccountName).toBe('legacy');
    expect(outputProblems(manifests)).toEqual([]);
  });
});

describe('an adopted StatefulSet', () => {
  const chart = newChart();
  const mesh = new Mesh(chart, 'mesh', TEST_MESH);
  const serviceAccount = new kplus.ServiceAccount(chart, 'queue-sa', { metadata: { name: 'queue' } });
  const statefulSet = new kplus.StatefulSet(chart, 'queue-statefulset', {
    metadata: { name: 'queue' },
    serviceAccount,
    replicas: 3,
    containers: [{ name: 'broker', image: 'example/queue:2.4.0', portNumber: 5672, securityContext: { capabilities: { drop: ['ALL' as kplus.Capability] } } }],
  });
  const queue = new MeshService(chart, 'queue', { mesh, statefulSet, port: 5672, protocol: Protocol.TCP });
  const orders = new MeshService(chart, 'order-service', { mesh, image: 'example/orders:1.0.0', port: 8080 });
  orders.callTo(queue);
  queue.callTo(orders);
  const manifests = synth(chart);
  const pod = objectNamed(manifests, 'StatefulSet', 'queue').spec.template;

  test('gets the sidecar, mesh labels, upstream aliases and bootstrap hash, keeping its containers and its governing Service', () => {
    expect(pod.spec.containers.map((c: any) => c.name)).toEqual(['broker', 'envoy']);
    expect(pod.metadata.labels['mesh.cdk8s.io/service']).toBe('queue');
    expect(pod.metadata.annotations['mesh.cdk8s.io/envoy-bootstrap-sha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(pod.spec.hostAliases[0].hostnames).toContain('order-service');
    expect(objectNamed(manifests, 'StatefulSet', 'queue').spec.serviceName).toBe(statefulSet.service.name);
    expect(queue.statefulSet).toBe(statefulSet);
    expect(queue.deployment).toBeUndefined();
  });

  test("callers reach its pods through the mesh's headless Service, under its own identity", () => {
    const cluster = clusterNamed(envoyConfigOf(manifests, 'order-service'), 'queue_v1');
    expect(cluster.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address)
      .toEqual({ address: 'queue-v1.shop.svc.cluster.local', port_value: 15006 });
    expect(objectNamed(manifests, 'Service', 'queue-v1').spec.selector).toMatchObject({ 'mesh.cdk8s.io/service': 'queue' });
    expect(queue.spiffeId).toBe('spiffe://cluster.local/ns/shop/sa/queue');
    expect(outputProblems(manifests)).toEqual([]);
  });
});

describe('weighted instance pools', () => {
  test('each pool is an endpoint group whose pods carry the pool weight', () => {
    const { chart, users, orders } = shop({ ordersLb: LoadBalancer.leastRequest() });
    orders.addInstancePool('large', { weight: 3, replicas: 1 });
    users.callTo(orders);
    const manifests = synth(chart);
    const cluster = clusterNamed(envoyConfigOf(manifests, 'user-service'), 'order-service_v1');
    const groups = cluster.load_assignment.endpoints[0].lb_endpoints.map((e: any) => ({
      host: e.endpoint.address.socket_address.address, weight: e.load_balancing_weight,
    }));
    expect(groups).toEqual([
      { host: 'order-service-v1.shop.svc.cluster.local', weight: 1 },
      { host: 'order-service-v1-large.shop.svc.cluster.local', weight: 3 },
    ]);
    // each headless Service selects exactly its own pool
    expect(objectNamed(manifests, 'Service', 'order-service-v1').spec.selector['mesh.cdk8s.io/pool']).toBe('main');
    expect(objectNamed(manifests, 'Service', 'order-service-v1-large').spec.selector['mesh.cdk8s.io/pool']).toBe('large');
    const large = objectNamed(manifests, 'Deployment', 'order-service-v1-large');
    expect(large.spec.replicas).toBe(1);
    expect(large.spec.template.metadata.labels['mesh.cdk8s.io/pool']).toBe('large');
    expect(containerNamed(large.spec.template.spec, 'app').image).toBe('example/orders:1.0.0');
    expect(outputProblems(manifests)).toEqual([]);
  });

  test('a caller declared before a pool was added still reaches it', () => {
    const { chart, users, orders } = shop();
    users.callTo(orders);
    users.addInstancePool('spare', { weight: 1 });
    const manifests = synth(chart);
    expect(podSpecOf(manifests, 'user-service-v1-spare').hostAliases[0].hostnames).toContain('order-service');
  });
});

describe('determinism', () => {
  function build(reverse: boolean): Map<string, string> {
    const chart = newChart();
    const mesh = new Mesh(chart, 'mesh', TEST_MESH);
    const specs = [['a', 8001], ['b', 8002], ['c', 8003]] as const;
    const ordered = reverse ? [...specs].reverse() : specs;
    const services = new Map(ordered.map(([name, port]) =>
      [name, new MeshService(chart, name, { mesh, image: `example/${name}:1.0.0`, port })]));
    const edges = [['a', 'b'], ['a', 'c'], ['b', 'c']] as const;
    for (const [from, to] of reverse ? [...edges].reverse() : edges) services.get(from)!.callTo(services.get(to)!);
    const byName = new Map<string, string>();
    for (const obj of synth(chart)) {
      const spec = obj.spec?.template?.spec;
      if (spec) {
        // the order of host aliases and env entries follows declaration order, by design
        spec.hostAliases?.sort((x: any, y: any) => x.ip.localeCompare(y.ip));
        for (const c of spec.containers) c.env?.sort((x: any, y: any) => x.name.localeCompare(y.name));
      }
      byName.set(`${obj.kind}/${obj.metadata.name}`, JSON.stringify(obj));
    }
    return byName;
  }

  test('declaring the same services and edges in another order gives the same objects', () => {
    const forward = build(false);
    const backward = build(true);
    expect([...backward.keys()].sort()).toEqual([...forward.keys()].sort());
    for (const [key, value] of forward) expect(backward.get(key)).toBe(value);
  });
});

test("services sharing one envVariables object do not get each other's upstream addresses", () => {
  const chart = newChart();
  const mesh = new Mesh(chart, 'mesh', TEST_MESH);
  const shared = { LOG_LEVEL: kplus.EnvValue.fromValue('info') };
  const orders = new MeshService(chart, 'orders', { mesh, image: 'example/orders:1.0.0', port: 8080 });
  const stock = new MeshService(chart, 'stock', { mesh, image: 'example/stock:1.0.0', port: 8081 });
  new MeshService(chart, 'users', { mesh, image: 'example/users:1.0.0', port: 3000, envVariables: shared }).callTo(orders);
  new MeshService(chart, 'admin', { mesh, image: 'example/admin:1.0.0', port: 3001, envVariables: shared }).callTo(stock);
  const manifests = synth(chart);
  const names = (deployment: string) => containerNamed(podSpecOf(manifests, deployment), 'app').env.map((e: any) => e.name).sort();
  expect(names('users-v1')).toEqual(['LOG_LEVEL', 'ORDERS_SERVICE_HOST', 'ORDERS_SERVICE_PORT', 'ORDERS_URL']);
  expect(names('admin-v1')).toEqual(['LOG_LEVEL', 'STOCK_SERVICE_HOST', 'STOCK_SERVICE_PORT', 'STOCK_URL']);
  expect(Object.keys(shared)).toEqual(['LOG_LEVEL']);
});

test('ports below 1024 bound in the pod (an edge listener, the application) open the unprivileged range from the lowest', () => {
  const chart = newChart();
  const mesh = new Mesh(chart, 'mesh', TEST_MESH);
  const web = new MeshService(chart, 'web', { mesh, image: 'example/web:1.0.0', port: 8080 });
  web.exposeTo(EdgePeer.namespace('ingress-nginx'), { port: 443 });
  new MeshService(chart, 'legacy', { mesh, image: 'example/legacy:1.0.0', port: 80 });
  new MeshService(chart, 'api', { mesh, image: 'example/api:1.0.0', port: 8081 });
  const manifests = synth(chart);
  const sysctl = (deployment: string) => podSpecOf(manifests, deployment).securityContext?.sysctls
    ?.find((s: any) => s.name === 'net.ipv4.ip_unprivileged_port_start')?.value;
  expect(sysctl('web-v1')).toBe('443');
  expect(sysctl('legacy-v1')).toBe('80');
  expect(sysctl('api-v1')).toBeUndefined();
  expect(outputProblems(manifests)).toEqual([]);
});

describe('a service port that is not the application port (port 80, appPort 8080)', () => {
  const chart = newChart();
  const mesh = new Mesh(chart, 'mesh', TEST_MESH);
  const users = new MeshService(chart, 'user-service', { mesh, image: 'example/users:1.0.0', port: 80, appPort: 8080 });
  users.addVersion('v2', { image: 'example/users:2.0.0' });
  const orders = new MeshService(chart, 'order-service', { mesh, image: 'example/orders:1.0.0', port: 80, appPort: 8080 });
  users.callTo(orders);
  const manifests = synth(chart);

  test('callers address the service port; the Service still targets the sidecar', () => {
    expect(objectNamed(manifests, 'Service', 'order-service').spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 15006 }]);
    expect(listenerNamed(envoyConfigOf(manifests, 'user-service'), 'outbound_order-service').address.socket_address.port_value).toBe(80);
  });

  test('the application container and every version listen on the app port, where the inbound listener forwards', () => {
    for (const deployment of ['order-service-v1', 'user-service-v1', 'user-service-v2']) {
      expect(containerNamed(podSpecOf(manifests, deployment), 'app').ports.map((p: any) => p.containerPort)).toEqual([8080]);
    }
    const app = clusterNamed(envoyConfigOf(manifests, 'order-service'), '_app');
    expect(app.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address).toEqual({ address: '127.0.0.1', port_value: 8080 });
  });

  test('an application on 8080 calls an upstream on 80 without localPort; port 80 opens the unprivileged range', () => {
    expect(podSpecOf(manifests, 'user-service-v1').securityContext.sysctls).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '80' }]);
    expect(podSpecOf(manifests, 'order-service-v1').securityContext.sysctls).toBeUndefined();
    expect(outputProblems(manifests)).toEqual([]);
  });
});
