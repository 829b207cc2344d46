import { Backup, ExternalEndpoint, ExternalService, FailoverPolicy, HealthCheck, Mesh, MeshService } from '../../src';
import { clusterNamed, envoyConfigOf, newChart, outputProblems, synth, TEST_MESH } from '../helpers';

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
