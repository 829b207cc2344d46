import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import {
  Backup, CertificateSource, FailoverPolicy, HealthCheck, Mesh, MeshDashboard, MeshService, MonitoredWorkload, Objective, OutlierDetection, Retry,
} from '../../src';

/**
 * Failover to a backup: the user service retries the order service on
 * another host, ejects failing pods, and moves to a standby deployment in
 * another namespace — then to another region — only when no pod is healthy.
 */
export class FailoverChart extends Chart {
  /** The example's mesh. */
  public readonly mesh: Mesh;

  constructor(scope: Construct, id: string) {
    super(scope, id, { namespace: 'shop', disableResourceNameHashes: true });
    const mesh = this.mesh = new Mesh(this, 'mesh', { trustDomain: 'shop.example.com', certificates: CertificateSource.selfSignedCa() });

    const orders = new MeshService(this, 'order-service', {
      mesh, image: 'registry.example.com/order-service:1.4.2', port: 8080, replicas: 3,
    });
    const standby = new MeshService(this, 'order-service-standby', {
      mesh, namespace: 'shop-standby', name: 'order-service', image: 'registry.example.com/order-service:1.4.2', port: 8080,
    });
    const users = new MeshService(this, 'user-service', {
      mesh, image: 'registry.example.com/user-service:2.0.1', port: 3000,
    });
    users.callTo(orders);

    new FailoverPolicy(this, 'orders-failover', {
      service: orders,
      retry: Retry.onGatewayErrors({ attempts: 3, perTryTimeout: Duration.millis(250) }),
      timeout: Duration.seconds(1),
      outlierDetection: OutlierDetection.consecutiveGatewayErrors(5),
      circuitBreaker: { maxRequests: 500, maxPendingRequests: 50, retryBudgetPercent: 20 },
      healthCheck: HealthCheck.http({ path: '/healthz' }),
      backup: Backup.service(standby),
    });
    new FailoverPolicy(this, 'standby-failover', {
      service: standby,
      outlierDetection: OutlierDetection.consecutiveGatewayErrors(5),
      backup: Backup.host('order-service.eu-west.example.com', 443),
    });

    // Monitoring: scraping, RED recording rules, alerts and SLOs, and a dashboard.
    new MonitoredWorkload(this, 'orders-monitoring', {
      service: orders,
      monitorLabels: { release: 'kube-prometheus-stack' },
      objectives: [Objective.availability(99.9), Objective.latency({ percentile: 99, threshold: Duration.millis(300) })],
    });
    new MonitoredWorkload(this, 'standby-monitoring', {
      service: standby,
      monitorLabels: { release: 'kube-prometheus-stack' },
    });
    new MonitoredWorkload(this, 'users-monitoring', {
      service: users,
      monitorLabels: { release: 'kube-prometheus-stack' },
    });
    new MeshDashboard(this, 'dashboard', { mesh });
  }
}
