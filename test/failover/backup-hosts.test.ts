import { Backup, ExternalEndpoint, ExternalService, FailoverPolicy, HealthCheck, Mesh, MeshService, OutlierDetection, RouteTarget, WeightedRoute } from '../../src';
import { clusterNamed, envoyConfigOf, listenerNamed, newChart, outputProblems, routesOf, synth, TEST_MESH } from '../helpers';

/**
 * The `Host` an HTTP health check of `lbEndpoint` carries, as Envoy chooses it
 * (source/common/upstream/health_checker_impl.cc, HealthCheckerFactory::getHostname):
 * the endpoint's health_check_config.hostname, else the health check's `host`,
 * else the cluster's name.
 */
function probeHost(cluster: any, lbEndpoint: any): string {
  return lbEndpoint.endpoint.health_check_config?.hostname || cluster.health_checks[0].http_health_check.host || cluster.name;
}

/** Each endpoint of a cluster by priority: its address and the Host its probes carry. */
function probes(cluster: any): Array<[number, string, string]> {
  return cluster.load_assignment.endpoints.flatMap((group: any) => group.lb_endpoints.map((l: any) =>
    [group.priority ?? 0, l.endpoint.address.socket_address.address, probeHost(cluster, l)]));
}

function shop() {
  const chart = newChart();
  const mesh = new Mesh(chart, 'mesh', TEST_MESH);
  const orders = new MeshService(chart, 'orders', { mesh, image: 'example/orders:1.0.0', port: 8080 });
  const users = new MeshService(chart, 'users', { mesh, image: 'example/users:1.0.0', port: 3000 });
  users.callTo(orders);
  return { chart, mesh, orders, users };
}

describe('HTTP health checks carry the name of the endpoint they probe', () => {
  test('a mesh service is probed as its own name, and its backup host as the backup\'s name', () => {
    const { chart, orders } = shop();
    new FailoverPolicy(chart, 'failover', {
      service: orders, healthCheck: HealthCheck.http({ path: '/healthz' }), backup: Backup.host('orders.eu-west.example.com', 443),
    });
    const manifests = synth(chart);
    expect(probes(clusterNamed(envoyConfigOf(manifests, 'users'), 'orders_v1'))).toEqual([
      [0, 'orders-v1.shop.svc.cluster.local', 'orders'],
      [1, 'orders.eu-west.example.com', 'orders.eu-west.example.com'],
    ]);
    expect(outputProblems(manifests)).toEqual([]);
  });

  test('a backup mesh service is probed as its own name', () => {
    const { chart, mesh, orders } = shop();
    const standby = new MeshService(chart, 'orders-standby', { mesh, namespace: 'dr', image: 'example/orders:1.0.0', port: 8080 });
    new FailoverPolicy(chart, 'failover', { service: orders, healthCheck: HealthCheck.http({ path: '/healthz' }), backup: Backup.service(standby) });
    const manifests = synth(chart);
    expect(probes(clusterNamed(envoyConfigOf(manifests, 'users'), 'orders_v1'))).toEqual([
      [0, 'orders-v1.shop.svc.cluster.local', 'orders'],
      [1, 'orders-standby-v1.dr.svc.cluster.local', 'orders-standby'],
    ]);
    expect(outputProblems(manifests)).toEqual([]);
  });

  test('an external host and its backup host are each probed as their own name', () => {
    const { chart, mesh, users } = shop();
    users.callTo(new ExternalService(chart, 'payments', {
      mesh,
      endpoint: ExternalEndpoint.host('api.payments.example.com', 443),
      port: 80,
      failover: { healthCheck: HealthCheck.http({ path: '/health' }), backup: Backup.host('api.eu.payments.example.com', 443) },
    }));
    const manifests = synth(chart);
    expect(probes(clusterNamed(envoyConfigOf(manifests, 'users'), 'payments_external'))).toEqual([
      [0, 'api.payments.example.com', 'api.payments.example.com'],
      [1, 'api.eu.payments.example.com', 'api.eu.payments.example.com'],
    ]);
    expect(outputProblems(manifests)).toEqual([]);
  });

  test('TCP health checks name no host', () => {
    const { chart, orders } = shop();
    new FailoverPolicy(chart, 'failover', { service: orders, healthCheck: HealthCheck.tcp(), backup: Backup.host('orders.eu-west.example.com', 443) });
    const cluster = clusterNamed(envoyConfigOf(synth(chart), 'users'), 'orders_v1');
    for (const group of cluster.load_assignment.endpoints) {
      for (const l of group.lb_endpoints) expect(l.endpoint.health_check_config).toBeUndefined();
    }
  });
});

/**
 * The `Host` a request the application sent with `appHost` carries to `lbEndpoint`.
 * With the route's auto_host_rewrite, Envoy swaps in the chosen host's hostname
 * (RouteAction.auto_host_rewrite: "the host header will be swapped with the hostname of the
 * upstream host chosen by the cluster manager"); that hostname is LbEndpoint.endpoint.hostname,
 * else, in a DNS cluster, the DNS name resolved (source/extensions/clusters/dns/dns_cluster.cc,
 * ResolveTarget: `hostname_(endpoint().hostname().empty() ? dns_address_ : endpoint().hostname())`).
 * gRPC's xDS client implements no authority rewrite, so Envoy's documented rule stands in for it here.
 */
function forwardedHost(route: any, cluster: any, lbEndpoint: any, appHost: string): string {
  if (!route.auto_host_rewrite) return appHost;
  const dns = ['STRICT_DNS', 'LOGICAL_DNS'].includes(cluster.type) ? lbEndpoint.endpoint.address.socket_address.address : '';
  return lbEndpoint.endpoint.hostname || dns || appHost;
}

/** For every cluster a route may send to: [cluster, priority, address, Host forwarded]. */
function forwarded(envoy: any, listener: string, appHost: string): Array<[string, number, string, string]> {
  const routes = routesOf(listenerNamed(envoy, listener));
  return routes.flatMap((r: any) => {
    const names: string[] = r.route.cluster ? [r.route.cluster] : r.route.weighted_clusters.clusters.map((c: any) => c.name);
    return names.flatMap(name => {
      const cluster = clusterNamed(envoy, name);
      return cluster.load_assignment.endpoints.flatMap((group: any) => group.lb_endpoints.map((l: any): [string, number, string, string] =>
        [name, group.priority ?? 0, l.endpoint.address.socket_address.address, forwardedHost(r.route, cluster, l, appHost)]));
    });
  });
}

describe('requests that fail over to a backup host carry its name as Host', () => {
  test("a mesh service's pods get the service's name, its backup host its own name, on every version a route splits to", () => {
    const { chart, orders } = shop();
    orders.addVersion('v2', { image: 'example/orders:2.0.0', replicas: 1 });
    new WeightedRoute(chart, 'canary', { service: orders, targets: [RouteTarget.version('v1', 90), RouteTarget.version('v2', 10)] });
    new FailoverPolicy(chart, 'failover', { service: orders, outlierDetection: OutlierDetection.consecutiveErrors(3), backup: Backup.host('orders.eu-west.example.com', 443) });
    const manifests = synth(chart);
    expect(forwarded(envoyConfigOf(manifests, 'users'), 'outbound_orders', 'orders:8080')).toEqual([
      ['orders_v1', 0, 'orders-v1.shop.svc.cluster.local', 'orders'],
      ['orders_v1', 1, 'orders.eu-west.example.com', 'orders.eu-west.example.com'],
      ['orders_v2', 0, 'orders-v2.shop.svc.cluster.local', 'orders'],
      ['orders_v2', 1, 'orders.eu-west.example.com', 'orders.eu-west.example.com'],
    ]);
    expect(outputProblems(manifests)).toEqual([]);
  });

  test('without a backup host, the application\'s Host is kept', () => {
    const { chart, mesh, orders } = shop();
    const standby = new MeshService(chart, 'orders-standby', { mesh, namespace: 'dr', image: 'example/orders:1.0.0', port: 8080 });
    new FailoverPolicy(chart, 'failover', { service: orders, outlierDetection: OutlierDetection.consecutiveErrors(3), backup: Backup.service(standby) });
    expect(forwarded(envoyConfigOf(synth(chart), 'users'), 'outbound_orders', 'orders:8080').map(f => f[3])).toEqual(['orders:8080', 'orders:8080']);
  });

  test('a Service of the cluster keeps the name the application called; its backup host gets its own', () => {
    const { chart, mesh, users } = shop();
    users.callTo(new ExternalService(chart, 'ledger', {
      mesh,
      endpoint: ExternalEndpoint.clusterService({ name: 'ledger', namespace: 'finance', port: 8080 }),
      failover: { outlierDetection: OutlierDetection.consecutiveErrors(3), backup: Backup.host('ledger.backup.example.com', 443) },
    }));
    const manifests = synth(chart);
    expect(forwarded(envoyConfigOf(manifests, 'users'), 'outbound_ledger', 'ledger:8080')).toEqual([
      ['ledger_external', 0, 'ledger.finance.svc.cluster.local', 'ledger'],
      ['ledger_external', 1, 'ledger.backup.example.com', 'ledger.backup.example.com'],
    ]);
    expect(outputProblems(manifests)).toEqual([]);
  });

  test('an external host is reached under its own name', () => {
    const { chart, mesh, users } = shop();
    users.callTo(new ExternalService(chart, 'payments', { mesh, endpoint: ExternalEndpoint.host('api.payments.example.com', 443), port: 80 }));
    expect(forwarded(envoyConfigOf(synth(chart), 'users'), 'outbound_payments', 'payments')).toEqual([
      ['payments_external', 0, 'api.payments.example.com', 'api.payments.example.com'],
    ]);
  });
});
