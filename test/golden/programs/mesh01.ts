// Golden-output program (see test/golden.test.ts), recorded by test/golden/record-programs.ts from clean seed 1 sample 202
// of the property-test generators. Keep it unchanged: test/golden/output holds its output.
/* eslint-disable @stylistic/max-len */
import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  AddressFormat, Backup, CertificateSource, EdgePeer, FailoverPolicy, HashKey, HealthCheck, JwksSource, JwtAuthentication, LoadBalancer,
  Mesh, MeshService, OutlierDetection, PathMatch, Protocol, RouteTarget, WeightedRoute,
} from '../../../src';

export function build(): App {
  const app = new App();
  const chart = new Chart(app, 'test', { namespace: 'billing', disableResourceNameHashes: true });
  const chart2 = new Chart(app, 'second', { namespace: 'dr', disableResourceNameHashes: true });
  const mesh = new Mesh(chart, 'mesh', { certificates: CertificateSource.selfSignedCa({ namespace: 'pki', duration: Duration.days(365) }), trustDomain: 'shop.example.com', certificateDuration: Duration.days(7) });
  const sa0 = new kplus.ServiceAccount(chart, 'adopted-sa-0', { metadata: { name: 'web-legacy', namespace: 'billing' } });
  const deployment0 = new kplus.Deployment(chart, 'adopted-0', { metadata: { name: 'web-legacy', namespace: 'billing' }, serviceAccount: sa0, containers: [{ name: 'main', image: 'registry.example.com/team/app:2.3.1', portNumber: 9090, securityContext: { capabilities: { drop: ['ALL' as kplus.Capability] } } }] });
  const s0 = new MeshService(chart, 'svc-0', { mesh, name: 'web', deployment: deployment0, port: 9090, protocol: Protocol.TCP, version: 'stable', weight: 1, replicas: 0, loadBalancer: LoadBalancer.roundRobin() });
  const s1 = new MeshService(chart2, 'inventory', { mesh, namespace: 'dr', image: 'registry.example.com/team/app:2.3.1', port: 8443, version: 'v1', weight: 2, loadBalancer: LoadBalancer.leastRequest({}) });
  s1.exposeTo(EdgePeer.anywhere(), { port: 30342 });
  s1.exposeTo(EdgePeer.anywhere(), { port: 30576 });
  const s2 = new MeshService(chart2, 'db', { mesh, namespace: 'shop', image: 'registry.example.com/team/app:2.3.1', port: 5724, protocol: Protocol.GRPC, version: 'stable', replicas: 3 });
  const db3 = kplus.Secret.fromSecretName(chart2, 'env-secret-3', 'db-credentials');
  const s3 = new MeshService(chart2, 'svc-3', { mesh, name: 'db', namespace: 'billing', image: 'registry.example.com/team/app:2.3.1', envVariables: { DB_PASSWORD: kplus.EnvValue.fromSecretValue({ secret: db3, key: 'password' }) }, port: 5432, protocol: Protocol.GRPC });
  const s4 = new MeshService(chart, 'svc-4', { mesh, name: 'api', namespace: 'dr', image: 'example/app:1.0.0', port: 6907, protocol: Protocol.TCP, loadBalancer: LoadBalancer.ringHash({ key: HashKey.sourceIp(), minimumRingSize: 1024 }) });
  const tls4_0 = kplus.Secret.fromSecretName(chart, 'edge-tls-4-0', 'api-edge-tls');
  s4.exposeTo(EdgePeer.ipBlock('192.168.1.0/24'), { port: 30749, tlsSecret: tls4_0 });
  const tls4_1 = kplus.Secret.fromSecretName(chart, 'edge-tls-4-1', 'api-edge-tls');
  s4.exposeTo(EdgePeer.anywhere(), { port: 30127, tlsSecret: tls4_1 });
  s0.callTo(s4, { addressVariable: 'BACKEND_URL', addressFormat: AddressFormat.URL });
  s2.callTo(s4, { addressVariable: 'UPSTREAM_ADDRESS' });
  s1.callTo(s3, { addressVariable: 'BACKEND_URL' });
  s3.callTo(s0, { loadBalancer: LoadBalancer.random(), addressFormat: AddressFormat.IP_URL });
  s4.callTo(s0, { loadBalancer: LoadBalancer.leastRequest({}), addressVariable: 'BACKEND_URL' });
  s1.addVersion('v2', { image: 'example/app:2.0.0-rc.1' });
  s1.addVersion('canary', { image: 'example/app:2.0.0-rc.1' });
  s1.addInstancePool('spot', { weight: 1 });
  s2.addInstancePool('spot', { weight: 1 });
  s2.addInstancePool('arm', { weight: 2, replicas: 2 });
  s3.addInstancePool('large', { weight: 3 });
  s3.addInstancePool('arm', { weight: 5 });
  s4.addInstancePool('large', { weight: 1, replicas: 3 });
  s4.addInstancePool('spot', { weight: 4, replicas: 3 });
  new WeightedRoute(chart, 'route-0', { service: s0, targets: [RouteTarget.version('stable', 100)] });
  new WeightedRoute(chart, 'route-1', { service: s3, priority: 1299, targets: [RouteTarget.service(s0, 86), RouteTarget.version('v1', 14)], timeout: Duration.seconds(22) });
  new FailoverPolicy(chart, 'failover-0', { service: s4, outlierDetection: OutlierDetection.consecutiveGatewayErrors(8, {}) });
  new FailoverPolicy(chart, 'failover-2', { service: s4, caller: s0, healthCheck: HealthCheck.tcp({}), backup: Backup.service(s1) });
  const jwks0 = kplus.ConfigMap.fromConfigMapName(chart, 'jwks-0', 'jwks');
  new JwtAuthentication(chart, 'sso', { service: s3, issuer: 'https://sso.example.com', jwks: JwksSource.fromConfigMap(jwks0, 'jwks.json'), paths: [PathMatch.prefix('/api/v1/')], forwardToken: false });
  return app;
}
