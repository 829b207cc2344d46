import { Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  CertificateSource, EdgePeer, ExternalEndpoint, ExternalService, JwksSource, JwtAuthentication, LoadBalancer, Mesh, MeshDashboard, MeshService,
  MeshEngine, MonitoredWorkload, Objective, PathMatch, Protocol, Retry, Tracing,
} from '../../src';

/**
 * The shop: a user service that calls an order service through the mesh,
 * with STRICT mutual TLS, authorization of callers and NetworkPolicies. The
 * order service reads its database credentials from a Secret, charges cards
 * through an external payment API and caches in a Redis outside the mesh.
 * Sidecars are native (Kubernetes 1.29+) and trace every request.
 */
export interface ShopProps {
  /** What runs the mesh. @default MeshEngine.staticEnvoy() */
  readonly engine?: MeshEngine;
}

export class ShopChart extends Chart {
  /** The example's mesh. */
  public readonly mesh: Mesh;

  constructor(scope: Construct, id: string, props: ShopProps = {}) {
    super(scope, id, { namespace: 'shop', disableResourceNameHashes: true });
    const staticEnvoy = props.engine === undefined;
    const mesh = this.mesh = new Mesh(this, 'mesh', {
      engine: props.engine,
      trustDomain: 'shop.example.com',
      // Istio issues its own certificates and injects its own sidecars.
      ...(staticEnvoy && { certificates: CertificateSource.selfSignedCa(), nativeSidecars: true }),
      tracing: Tracing.openTelemetry({ collectorHost: 'otel-collector.observability.svc.cluster.local', samplingPercent: 5 }),
    });

    // Credentials live in a Secret and reach the container only through secretKeyRef.
    // The values are placeholders for the example: in a real cluster, create the
    // Secret out of band and reference it with kplus.Secret.fromSecretName().
    const credentials = new kplus.Secret(this, 'order-db-credentials', {
      metadata: { name: 'order-db-credentials' },
      stringData: { username: 'orders_db_user', password: 'change-me' },
    });

    const orders = new MeshService(this, 'order-service', {
      mesh,
      image: 'registry.example.com/order-service:1.4.2',
      // Callers address port 80; the application keeps its own port.
      port: 80,
      appPort: 8080,
      replicas: 2,
      loadBalancer: LoadBalancer.leastRequest(),
      envVariables: {
        USERNAME: kplus.EnvValue.fromSecretValue({ secret: credentials, key: 'username' }),
        PASSWORD: kplus.EnvValue.fromSecretValue({ secret: credentials, key: 'password' }),
      },
    });

    const users = new MeshService(this, 'user-service', {
      mesh,
      image: 'registry.example.com/user-service:2.0.1',
      port: 80,
      appPort: 8080,
      replicas: 2,
    });
    // The unchanged application keeps calling http://order-service (port 80).
    users.callTo(orders);

    // The payment API is outside the cluster: the order service calls http://payments (port 80)
    // and its sidecar speaks TLS to the API, checking its certificate, with retries on gateway errors.
    const payments = new ExternalService(this, 'payments', {
      mesh,
      endpoint: ExternalEndpoint.host('api.payments.example.com', 443),
      port: 80,
      failover: { retry: Retry.onGatewayErrors({ attempts: 2, perTryTimeout: Duration.millis(800) }), timeout: Duration.seconds(2) },
    });
    orders.callTo(payments);

    // A Redis a Helm chart installed in namespace cache, outside the mesh: referred to by name, not emitted.
    orders.callTo(new ExternalService(this, 'redis', {
      mesh,
      endpoint: ExternalEndpoint.clusterService({ name: 'redis', namespace: 'cache', port: 6379, podLabels: { 'app.kubernetes.io/name': 'redis' } }),
      protocol: Protocol.TCP,
    }));

    // Shoppers reach the user service through the ingress controller, on a port
    // of its own; account pages need a token from the shop's identity provider.
    users.exposeTo(EdgePeer.namespace('ingress-nginx'), { port: 8000 });
    new JwtAuthentication(this, 'shop-login', {
      service: users,
      issuer: 'https://login.shop.example.com/',
      audiences: ['shop'],
      jwks: JwksSource.remote('https://login.shop.example.com/.well-known/jwks.json'),
      paths: [PathMatch.prefix('/account/')],
      // Istio's sidecars would let a client's own x_user_id through beside it: there, read the forwarded token.
      ...(staticEnvoy && { claimHeaders: { sub: 'x-user-id' } }),
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
