// Golden-output program (see test/golden.test.ts), recorded by test/golden/record-programs.ts from clean seed 1 sample 59
// of the property-test generators. Keep it unchanged: test/golden/output holds its output.
/* eslint-disable @stylistic/max-len */
import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { AuthorizationMode, CertificateSource, EdgePeer, FailoverPolicy, HashKey, JwksSource, JwtAuthentication, LoadBalancer, Mesh, MeshService, MtlsMode, PathMatch, RouteTarget, WeightedRoute } from '../../../src';

export function build(): App {
  const app = new App();
  const chart = new Chart(app, 'test', { namespace: 'billing', disableResourceNameHashes: true });
  const mesh = new Mesh(chart, 'mesh', { mtls: MtlsMode.PERMISSIVE, certificates: CertificateSource.existingSecrets(), authorization: AuthorizationMode.DRY_RUN, networkPolicies: true, certificateRenewBefore: Duration.minutes(30) });
  const partnerChart = new Chart(app, 'partner', { namespace: 'partner', disableResourceNameHashes: true });
  const otherMesh = new Mesh(partnerChart, 'mesh', { certificates: CertificateSource.selfSignedCa() });
  new MeshService(partnerChart, 'legacy', { mesh: otherMesh, image: 'example/partner:1.0.0', port: 7000 });
  const s0 = new MeshService(chart, 'svc-0', { mesh, name: 'web', image: 'registry.example.com/team/app:2.3.1', envVariables: { LOG_LEVEL: kplus.EnvValue.fromValue('info') }, port: 12330, replicas: 1 });
  const tls0_0 = kplus.Secret.fromSecretName(chart, 'edge-tls-0-0', 'web-edge-tls');
  s0.exposeTo(EdgePeer.anywhere(), { port: 30448, tlsSecret: tls0_0 });
  const s1 = new MeshService(chart, 'svc-1', { mesh, name: 'cart', namespace: 'dr', image: 'example/app:1.0.0', envVariables: { LOG_LEVEL: kplus.EnvValue.fromValue('info') }, port: 13163, loadBalancer: LoadBalancer.random() });
  s1.exposeTo(EdgePeer.ipBlock('10.0.0.0/8'), { port: 30166 });
  const sa2 = new kplus.ServiceAccount(chart, 'adopted-sa-2', { metadata: { name: 'inventory-legacy', namespace: 'shop' } });
  const deployment2 = new kplus.Deployment(chart, 'adopted-2', { metadata: { name: 'inventory-legacy', namespace: 'shop' }, serviceAccount: sa2, containers: [{ name: 'main', image: 'registry.example.com/team/app:2.3.1', portNumber: 4689, securityContext: { capabilities: { drop: ['ALL' as kplus.Capability] } } }] });
  const s2 = new MeshService(chart, 'inventory', { mesh, namespace: 'shop', deployment: deployment2, port: 4689, version: 'stable' });
  s2.exposeTo(EdgePeer.namespace('gateway'), { port: 30608 });
  const tls2_1 = kplus.Secret.fromSecretName(chart, 'edge-tls-2-1', 'inventory-edge-tls');
  s2.exposeTo(EdgePeer.ipBlock('10.0.0.0/8'), { port: 30108, tlsSecret: tls2_1 });
  const s3 = new MeshService(chart, 'cart', { mesh, image: 'example/app:1.0.0', envVariables: { LOG_LEVEL: kplus.EnvValue.fromValue('info') }, port: 8443, version: 'v1', replicas: 1, loadBalancer: LoadBalancer.ringHash({ key: HashKey.cookie('SID', {}), minimumRingSize: 4096, maximumRingSize: 8192 }) });
  s0.addVersion('v2', { replicas: 1 });
  s1.addVersion('v2', { image: 'example/app:2.0.0-rc.1' });
  s1.addVersion('v3', { image: 'example/app:2.0.0-rc.1' });
  s1.addInstancePool('arm', { weight: 1 });
  s3.addInstancePool('spot', { weight: 4 });
  s1.callTo(s0);
  s3.callTo(s0, { loadBalancer: LoadBalancer.ringHash({ key: HashKey.sourceIp() }) });
  new WeightedRoute(chart, 'route-0', { service: s0, match: { path: PathMatch.regex('/api/v[0-9]+/.*') }, targets: [RouteTarget.service(s3, 30), RouteTarget.version('v1', 70)] });
  new FailoverPolicy(chart, 'failover-0', { service: s1, timeout: Duration.seconds(21), circuitBreaker: { maxRequests: 5580, retryBudgetMinConcurrency: 5940 } });
  new JwtAuthentication(chart, 'auth0', { service: s3, issuer: 'https://sso.example.com', jwks: JwksSource.remote('https://login.example.com'), claimHeaders: { sub: 'x-user-id' } });
  const jwks1 = kplus.ConfigMap.fromConfigMapName(chart, 'jwks-1', 'jwks');
  new JwtAuthentication(chart, 'keycloak', { service: s0, issuer: 'https://sso.example.com', jwks: JwksSource.fromConfigMap(jwks1, 'jwks.json'), audiences: ['orders', 'admin'], claimHeaders: { sub: 'x-user-id' } });
  return app;
}
