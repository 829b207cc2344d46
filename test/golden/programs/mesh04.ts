// Golden-output program (see test/golden.test.ts), recorded by test/golden/record-programs.ts from clean seed 1 sample 224
// of the property-test generators. Keep it unchanged: test/golden/output holds its output.
/* eslint-disable @stylistic/max-len */
import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  AddressFormat, Backup, EdgePeer, FailoverPolicy, HashKey, HealthCheck, LoadBalancer, Mesh, MeshService, MtlsMode, OutlierDetection,
  Protocol, RouteTarget, WeightedRoute,
} from '../../../src';

export function build(): App {
  const app = new App();
  const chart = new Chart(app, 'test', { namespace: 'billing', disableResourceNameHashes: true });
  const mesh = new Mesh(chart, 'mesh', { namespace: 'mesh-apps', mtls: MtlsMode.DISABLED, networkPolicies: true });
  const s0 = new MeshService(chart, 'db', { mesh, image: 'registry.example.com/team/app:2.3.1', port: 8443, protocol: Protocol.TCP });
  const tls0_0 = kplus.Secret.fromSecretName(chart, 'edge-tls-0-0', 'db-edge-tls');
  s0.exposeTo(EdgePeer.anywhere(), { port: 30355, tlsSecret: tls0_0 });
  s0.exposeTo(EdgePeer.namespace('ingress-nginx'), { port: 30589 });
  const s1 = new MeshService(chart, 'svc-1', { mesh, name: 'api', namespace: 'dr', image: 'example/app:1.0.0', port: 8081, protocol: Protocol.TCP, weight: 5, loadBalancer: LoadBalancer.maglev({ key: HashKey.sourceIp() }) });
  s1.exposeTo(EdgePeer.ipBlock('10.0.0.0/8'), { port: 30676 });
  s1.exposeTo(EdgePeer.ipBlock('192.168.1.0/24'), { port: 30834 });
  const db2 = kplus.Secret.fromSecretName(chart, 'env-secret-2', 'db-credentials');
  const s2 = new MeshService(chart, 'inventory', { mesh, namespace: 'shop', image: 'registry.example.com/team/app:2.3.1', envVariables: { DB_PASSWORD: kplus.EnvValue.fromSecretValue({ secret: db2, key: 'password' }) }, port: 443, protocol: Protocol.TCP });
  const s3 = new MeshService(chart, 'svc-3', { mesh, name: 'search', namespace: 'billing', image: 'registry.example.com/team/app:2.3.1', port: 5753, version: 'v1', loadBalancer: LoadBalancer.maglev({ key: HashKey.sourceIp() }) });
  const tls3_0 = kplus.Secret.fromSecretName(chart, 'edge-tls-3-0', 'search-edge-tls');
  s3.exposeTo(EdgePeer.namespace('ingress-nginx'), { port: 30866, tlsSecret: tls3_0 });
  const tls3_1 = kplus.Secret.fromSecretName(chart, 'edge-tls-3-1', 'search-edge-tls');
  s3.exposeTo(EdgePeer.ipBlock('192.168.1.0/24'), { port: 30237, tlsSecret: tls3_1 });
  const sa4 = new kplus.ServiceAccount(chart, 'adopted-sa-4', { metadata: { name: 'payments-legacy', namespace: 'shop' } });
  const deployment4 = new kplus.Deployment(chart, 'adopted-4', { metadata: { name: 'payments-legacy', namespace: 'shop' }, serviceAccount: sa4, containers: [{ name: 'main', image: 'registry.example.com/team/app:2.3.1', portNumber: 8443, securityContext: { capabilities: { drop: ['ALL' as kplus.Capability] } } }] });
  const s4 = new MeshService(chart, 'svc-4', { mesh, name: 'payments', namespace: 'shop', deployment: deployment4, port: 8443, weight: 1 });
  const tls4_0 = kplus.Secret.fromSecretName(chart, 'edge-tls-4-0', 'payments-edge-tls');
  s4.exposeTo(EdgePeer.ipBlock('10.0.0.0/8'), { port: 30031, tlsSecret: tls4_0 });
  const s5 = new MeshService(chart, 'svc-5', { mesh, name: 'cart', image: 'example/app:1.0.0', port: 10446, protocol: Protocol.TCP });
  const tls5_0 = kplus.Secret.fromSecretName(chart, 'edge-tls-5-0', 'cart-edge-tls');
  s5.exposeTo(EdgePeer.anywhere(), { port: 30148, tlsSecret: tls5_0 });
  s5.exposeTo(EdgePeer.anywhere(), { port: 30550 });
  s1.callTo(s5, { addressFormat: AddressFormat.IP_URL });
  s2.callTo(s5, { addressFormat: AddressFormat.URL });
  s3.callTo(s5, { localPort: 28441 });
  s0.callTo(s3, { addressFormat: AddressFormat.IP_PORT });
  s0.callTo(s1, { localPort: 29667 });
  s0.addVersion('v2', { image: 'example/app:2.0.0-rc.1', replicas: 1 });
  s0.addVersion('canary', { image: 'example/app:2.0.0-rc.1' });
  s0.addInstancePool('spot', { weight: 5, replicas: 3 });
  s1.addVersion('blue', { replicas: 0 });
  s1.addVersion('v2', { replicas: 0 });
  s2.addVersion('v2');
  s2.addInstancePool('spot', { weight: 1 });
  s2.addInstancePool('arm', { weight: 5 });
  s3.addInstancePool('arm', { weight: 4 });
  s5.addInstancePool('arm', { weight: 4, replicas: 1 });
  s5.addInstancePool('spot', { weight: 3 });
  new WeightedRoute(chart, 'route-0', { service: s2, targets: [RouteTarget.version('v1', 2), RouteTarget.service(s0, 79), RouteTarget.service(s3, 19)] });
  new FailoverPolicy(chart, 'failover-0', { service: s3 });
  new FailoverPolicy(chart, 'failover-1', { service: s2, outlierDetection: OutlierDetection.consecutiveErrors(2, { maxEjectionPercent: 70 }), healthCheck: HealthCheck.tcp({ interval: Duration.seconds(23), timeout: Duration.millis(100), unhealthyThreshold: 6 }) });
  new FailoverPolicy(chart, 'failover-2', { service: s4, outlierDetection: OutlierDetection.consecutiveErrors(9, {}), healthCheck: HealthCheck.http({ path: '/healthz', timeout: Duration.millis(3682) }), backup: Backup.host('orders.eu-west.example.com', 443), fault: { delay: Duration.millis(361), abortPercent: 99.9 } });
  return app;
}
