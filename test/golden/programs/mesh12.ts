// Golden-output program (see test/golden.test.ts), recorded by test/golden/record-programs.ts from clean seed 2 sample 181
// of the property-test generators, with monitoring added. Keep it unchanged: test/golden/output holds its output.
/* eslint-disable @stylistic/max-len */
import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { AddressFormat, AuthorizationMode, CertificateSource, EdgePeer, FailoverPolicy, JwksSource, JwtAuthentication, Mesh, MeshDashboard, MeshService, MonitoredWorkload, MtlsMode, Objective, PathMatch, Protocol, RouteTarget, WeightedRoute } from '../../../src';

export function build(): App {
  const app = new App();
  const chart = new Chart(app, 'test', { namespace: 'shop', disableResourceNameHashes: true });
  const mesh = new Mesh(chart, 'shop-mesh', { mtls: MtlsMode.PERMISSIVE, certificates: CertificateSource.selfSignedCa(), authorization: AuthorizationMode.DRY_RUN, networkPolicies: true, envoyImage: 'envoyproxy/envoy:v1.31.0', maxRetryAmplification: Number.POSITIVE_INFINITY, certificateDuration: Duration.days(7) });
  const s0 = new MeshService(chart, 'svc-0', { mesh, name: 'auth', namespace: 'shop', image: 'registry.example.com/team/app:2.3.1', port: 1625, protocol: Protocol.TCP });
  s0.exposeTo(EdgePeer.ipBlock('10.0.0.0/8'), { port: 30185 });
  const tls0_1 = kplus.Secret.fromSecretName(chart, 'edge-tls-0-1', 'auth-edge-tls');
  s0.exposeTo(EdgePeer.anywhere(), { port: 30738, tlsSecret: tls0_1 });
  const db1 = kplus.Secret.fromSecretName(chart, 'env-secret-1', 'db-credentials');
  const s1 = new MeshService(chart, 'svc-1', { mesh, name: 'web', image: 'example/app:1.0.0', envVariables: { DB_PASSWORD: kplus.EnvValue.fromSecretValue({ secret: db1, key: 'password' }) }, port: 443, weight: 3 });
  const tls1_0 = kplus.Secret.fromSecretName(chart, 'edge-tls-1-0', 'web-edge-tls');
  s1.exposeTo(EdgePeer.namespace('gateway', { app: 'ingress' }), { port: 30732, tlsSecret: tls1_0 });
  const db2 = kplus.Secret.fromSecretName(chart, 'env-secret-2', 'db-credentials');
  const s2 = new MeshService(chart, 'api', { mesh, namespace: 'shop', image: 'example/app:1.0.0', envVariables: { DB_PASSWORD: kplus.EnvValue.fromSecretValue({ secret: db2, key: 'password' }) }, port: 8443, protocol: Protocol.TCP, version: 'stable', replicas: 1 });
  s2.exposeTo(EdgePeer.namespace('gateway'), { port: 30472 });
  s2.exposeTo(EdgePeer.anywhere(), { port: 30189 });
  const s3 = new MeshService(chart, 'svc-3', { mesh, name: 'inventory', namespace: 'billing', image: 'registry.example.com/team/app:2.3.1', port: 3001, protocol: Protocol.TCP });
  s3.exposeTo(EdgePeer.ipBlock('10.0.0.0/8'), { port: 30229 });
  s1.addVersion('blue');
  s1.addVersion('v3', { replicas: 1 });
  s1.addInstancePool('large', { weight: 5 });
  s2.addVersion('canary', { replicas: 1 });
  s2.addVersion('v2', { replicas: 3 });
  s2.addInstancePool('arm', { weight: 5 });
  s3.addVersion('v2');
  s3.addVersion('blue');
  s3.addInstancePool('large', { weight: 1 });
  s1.callTo(s0, { localPort: 29803, addressFormat: AddressFormat.IP_URL });
  s0.callTo(s2, { localPort: 25645, addressFormat: AddressFormat.HOST_PORT });
  s1.callTo(s3, { addressFormat: AddressFormat.IP_URL });
  s3.callTo(s2);
  s0.callTo(s3);
  new WeightedRoute(chart, 'route-0', { service: s2, targets: [RouteTarget.version('canary', 100)] });
  new WeightedRoute(chart, 'route-1', { service: s1, targets: [RouteTarget.version('v3', 12), RouteTarget.version('v1', 88)] });
  new WeightedRoute(chart, 'route-2', { service: s0, targets: [RouteTarget.version('v1', 100)] });
  new FailoverPolicy(chart, 'failover-0', { service: s0 });
  new FailoverPolicy(chart, 'failover-1', { service: s3 });
  const jwks0 = kplus.ConfigMap.fromConfigMapName(chart, 'jwks-0', 'jwks');
  new JwtAuthentication(chart, 'keycloak', { service: s1, issuer: 'https://sso.example.com', jwks: JwksSource.fromConfigMap(jwks0, 'jwks.json'), paths: [PathMatch.regex('/orders/[0-9]+'), PathMatch.prefix('/api/')], claimHeaders: { sub: 'x-user-id' } });
  new MonitoredWorkload(chart, 'monitoring-1', { service: s1, monitorLabels: { release: 'kube-prometheus-stack' }, objectives: [Objective.availability(99.5), Objective.latency({ percentile: 95, threshold: Duration.millis(250) })] });
  new MonitoredWorkload(chart, 'monitoring-0', { service: s0, monitorLabels: { release: 'kube-prometheus-stack' }, alerts: { expectTraffic: false } });
  new MeshDashboard(chart, 'dashboard', { mesh });
  return app;
}
