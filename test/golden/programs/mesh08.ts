// Golden-output program (see test/golden.test.ts), recorded by test/golden/record-programs.ts from noisy seed 3 sample 112
// of the property-test generators. Keep it unchanged: test/golden/output holds its output.
/* eslint-disable @stylistic/max-len */
import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  AddressFormat, AuthorizationPolicy, Backup, CertificateSource, EdgePeer, FailoverPolicy, HashKey, JwksSource, JwtAuthentication,
  LoadBalancer, Mesh, MeshService, OutlierDetection, PathMatch, Protocol, RouteTarget, WeightedRoute,
} from '../../../src';

export function build(): App {
  const app = new App();
  const chart = new Chart(app, 'test', { namespace: 'billing', disableResourceNameHashes: true });
  const mesh = new Mesh(chart, 'mesh', { certificates: CertificateSource.selfSignedCa(), ports: { inbound: 16006, stats: 16090 }, certificateRenewBefore: Duration.hours(1) });
  const s0 = new MeshService(chart, 'search', { mesh, namespace: 'shop', image: 'example/app:1.0.0', port: 8081, protocol: Protocol.HTTP2, version: 'stable', replicas: 0 });
  s0.exposeTo(EdgePeer.ipBlock('192.168.1.0/24'), { port: 30838 });
  const s1 = new MeshService(chart, 'svc-1', { mesh, name: 'orders', image: 'example/app:1.0.0', port: 3000, protocol: Protocol.TCP });
  s1.exposeTo(EdgePeer.anywhere(), { port: 30750 });
  const tls1_1 = kplus.Secret.fromSecretName(chart, 'edge-tls-1-1', 'orders-edge-tls');
  s1.exposeTo(EdgePeer.anywhere(), { port: 30191, tlsSecret: tls1_1 });
  const s2 = new MeshService(chart, 'svc-2', { mesh, name: 'payments', image: 'example/app:1.0.0', port: 8081, version: 'stable', weight: 2, replicas: 3 });
  const db3 = kplus.Secret.fromSecretName(chart, 'env-secret-3', 'db-credentials');
  const s3 = new MeshService(chart, 'web', { mesh, namespace: 'shop', image: 'registry.example.com/team/app:2.3.1', envVariables: { DB_PASSWORD: kplus.EnvValue.fromSecretValue({ secret: db3, key: 'password' }) }, port: 80, protocol: Protocol.TCP });
  const s4 = new MeshService(chart, 'svc-4', { mesh, name: 'auth', image: 'example/app:1.0.0', port: 10161, protocol: Protocol.HTTP2 });
  s4.callTo(s2, { loadBalancer: LoadBalancer.leastRequest({}), addressFormat: AddressFormat.HOST_PORT });
  s3.callTo(s4);
  s0.callTo(s1, { loadBalancer: LoadBalancer.random() });
  s4.callTo(s0, { addressFormat: AddressFormat.HOST_PORT });
  s0.callTo(s2, { loadBalancer: LoadBalancer.maglev({ key: HashKey.header('x-user-id') }), localPort: 18081, addressVariable: 'UPSTREAM_ADDRESS', addressFormat: AddressFormat.URL });
  s0.addVersion('v3', { image: 'example/app:2.0.0-rc.1', replicas: 3 });
  s0.addInstancePool('spot', { weight: 3 });
  s1.addInstancePool('spot', { weight: 5, replicas: 2 });
  s1.addInstancePool('large', { weight: 2 });
  s3.addVersion('v3', { image: 'example/app:2.0.0-rc.1' });
  s3.addInstancePool('spot', { weight: 1 });
  s4.addVersion('main', { image: 'example/app:2.0.0-rc.1', replicas: 2 });
  s4.addVersion('v3', { image: 'example/app:2.0.0-rc.1' });
  new WeightedRoute(chart, 'route-0', { service: s3, priority: 736, targets: [RouteTarget.service(s1, 100)] });
  new WeightedRoute(chart, 'route-2', { service: s0, caller: s4, targets: [RouteTarget.version('v3', 100)] });
  new FailoverPolicy(chart, 'failover-0', { service: s2, idleTimeout: Duration.seconds(32), outlierDetection: OutlierDetection.consecutiveErrors(2, { interval: Duration.seconds(15), baseEjectionTime: Duration.seconds(61), maxEjectionPercent: 6 }), circuitBreaker: { maxConnections: 0, maxRequests: 7053, retryBudgetPercent: 35 }, backup: Backup.service(s3) });
  new AuthorizationPolicy(chart, 'authz-0', { service: s1, caller: s0 });
  new AuthorizationPolicy(chart, 'authz-1', { service: s2, caller: s4 });
  const jwks0 = kplus.ConfigMap.fromConfigMapName(chart, 'jwks-0', 'jwks');
  new JwtAuthentication(chart, 'keycloak', { service: s0, issuer: 'https://sso.example.com', jwks: JwksSource.fromConfigMap(jwks0, 'jwks.json'), audiences: ['orders'], paths: [PathMatch.regex('/api/v[0-9]+/.*')], forwardToken: true });
  const jwks1 = kplus.Secret.fromSecretName(chart, 'jwks-1', 'jwks');
  new JwtAuthentication(chart, 'sso', { service: s2, issuer: 'https://sso.example.com', jwks: JwksSource.fromSecret(jwks1, 'jwks.json'), claimHeaders: { sub: 'x-user-id' } });
  return app;
}
