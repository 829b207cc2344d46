import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import {
  CertificateSource, HeaderMatch, Mesh, MeshDashboard, MeshEngine, MeshService, MonitoredWorkload, Objective, RouteTarget, WeightedRoute,
} from '../../src';

/** How far the canary has gone. */
export interface CanaryChartProps {
  /**
   * The share of requests v2 takes. Each step of the release changes only
   * this number: the next synth changes the caller's route file, no pod.
   * @default 10
   */
  readonly canaryPercent?: number;
  /**
   * What runs the mesh.
   * @default MeshEngine.staticEnvoy()
   */
  readonly engine?: MeshEngine;
}

/**
 * A canary release: 10% of requests to the order service's v2 (then 50%, and
 * so on, one commit per step), the rest to v1, and every request carrying
 * `x-canary: true` to v2.
 */
export class CanaryChart extends Chart {
  /** The example's mesh. */
  public readonly mesh: Mesh;

  constructor(scope: Construct, id: string, props: CanaryChartProps = {}) {
    super(scope, id, { namespace: 'shop', disableResourceNameHashes: true });
    const canaryPercent = props.canaryPercent ?? 10;
    const mesh = this.mesh = new Mesh(this, 'mesh', {
      trustDomain: 'shop.example.com',
      engine: props.engine,
      // Istio issues its own certificates.
      ...(!props.engine && { certificates: CertificateSource.selfSignedCa() }),
    });

    const orders = new MeshService(this, 'order-service', {
      mesh, image: 'registry.example.com/order-service:1.4.2', port: 8080, replicas: 3,
    });
    orders.addVersion('v2', { image: 'registry.example.com/order-service:1.5.0', replicas: 1 });

    const users = new MeshService(this, 'user-service', {
      mesh, image: 'registry.example.com/user-service:2.0.1', port: 3000,
    });
    users.callTo(orders);

    new WeightedRoute(this, 'orders-canary', {
      service: orders,
      targets: [RouteTarget.version('v1', 100 - canaryPercent), RouteTarget.version('v2', canaryPercent)],
    });
    new WeightedRoute(this, 'orders-canary-testers', {
      service: orders,
      match: { headers: [HeaderMatch.exact('x-canary', 'true')] },
      targets: [RouteTarget.version('v2')],
    });

    // Monitoring: scraping, RED recording rules, alerts and SLOs, and a dashboard.
    new MonitoredWorkload(this, 'orders-monitoring', {
      service: orders,
      monitorLabels: { release: 'kube-prometheus-stack' },
      objectives: [Objective.availability(99.9), Objective.latency({ percentile: 99, threshold: Duration.millis(250) })],
    });
    new MonitoredWorkload(this, 'users-monitoring', {
      service: users,
      monitorLabels: { release: 'kube-prometheus-stack' },
    });
    new MeshDashboard(this, 'dashboard', { mesh });
  }
}
