// Golden-output program (see test/golden.test.ts), recorded by test/golden/record-programs.ts from clean seed 2 sample 114
// of the property-test generators. Keep it unchanged: test/golden/output holds its output.
/* eslint-disable @stylistic/max-len */
import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  Backup, EdgePeer, FailoverPolicy, HashKey, HeaderMatch, JwksSource, JwtAuthentication, LoadBalancer, Mesh, MeshService, MtlsMode,
  OutlierDetection, Protocol, RouteTarget, WeightedRoute,
} from '../../../src';

export function build(): App {
  const app = new App();
  const chart = new Chart(app, 'test', { namespace: 'shop', disableResourceNameHashes: true });
  const mesh = new Mesh(chart, 'mesh', { mtls: MtlsMode.DISABLED, envoyImage: 'envoyproxy/envoy:v1.31.0', maxRetryAmplification: 50, certificateRenewBefore: Duration.hours(1) });
  const s0 = new MeshService(chart, 'cart', { mesh, image: 'registry.example.com/team/app:2.3.1', envVariables: { LOG_LEVEL: kplus.EnvValue.fromValue('info') }, port: 8081 });
  s0.exposeTo(EdgePeer.ipBlock('10.0.0.0/8'), { port: 30055 });
  const s1 = new MeshService(chart, 'auth', { mesh, image: 'example/app:1.0.0', envVariables: { LOG_LEVEL: kplus.EnvValue.fromValue('info') }, port: 11457 });
  s1.exposeTo(EdgePeer.anywhere(), { port: 30278 });
  const s2 = new MeshService(chart, 'search', { mesh, image: 'registry.example.com/team/app:2.3.1', port: 1211, protocol: Protocol.GRPC });
  s2.exposeTo(EdgePeer.namespace('ingress-nginx'), { port: 30600 });
  const s3 = new MeshService(chart, 'payments', { mesh, namespace: 'shop', image: 'example/app:1.0.0', port: 8443, protocol: Protocol.GRPC, replicas: 0, loadBalancer: LoadBalancer.roundRobin() });
  s3.exposeTo(EdgePeer.anywhere(), { port: 30009 });
  const s4 = new MeshService(chart, 'svc-4', { mesh, name: 'web', image: 'registry.example.com/team/app:2.3.1', port: 4848, protocol: Protocol.TCP, version: 'stable', weight: 5, loadBalancer: LoadBalancer.maglev({ key: HashKey.sourceIp() }) });
  s4.exposeTo(EdgePeer.namespace('gateway'), { port: 30034 });
  s2.callTo(s4, { addressVariable: 'UPSTREAM_ADDRESS' });
  s2.callTo(s1, { addressVariable: 'BACKEND_URL' });
  s1.callTo(s3, { localPort: 27361 });
  s0.callTo(s2);
  s0.callTo(s4, { loadBalancer: LoadBalancer.roundRobin() });
  s2.callTo(s3);
  s0.addVersion('blue');
  s0.addVersion('v3', { replicas: 3 });
  s1.addInstancePool('arm', { weight: 2, replicas: 1 });
  s2.addVersion('v2', { replicas: 2 });
  s2.addInstancePool('spot', { weight: 5, replicas: 2 });
  s2.addInstancePool('arm', { weight: 2, replicas: 2 });
  s3.addVersion('v3', { replicas: 1 });
  s4.addVersion('blue', { replicas: 3 });
  s4.addVersion('canary', { replicas: 2 });
  new WeightedRoute(chart, 'route-0', { service: s1, match: { headers: [HeaderMatch.present(':authority')] }, targets: [RouteTarget.version('v1', 100)], requestHeaders: { set: { 'x-route': 'canary' } } });
  new WeightedRoute(chart, 'route-1', { service: s4, priority: 430, targets: [RouteTarget.service(s0, 100)] });
  new FailoverPolicy(chart, 'failover-0', { service: s2, timeout: Duration.seconds(15), outlierDetection: OutlierDetection.consecutiveGatewayErrors(7, { interval: Duration.seconds(12), baseEjectionTime: Duration.seconds(108) }), backup: Backup.service(s0) });
  const jwks0 = kplus.Secret.fromSecretName(chart, 'jwks-0', 'jwks');
  new JwtAuthentication(chart, 'auth0', { service: s1, issuer: 'https://login.example.com/', jwks: JwksSource.fromSecret(jwks0, 'jwks.json'), forwardToken: true });
  new JwtAuthentication(chart, 'keycloak', { service: s2, issuer: 'https://sso.example.com', jwks: JwksSource.remote('https://login.example.com', { cacheDuration: Duration.minutes(53) }), claimHeaders: { sub: 'x-user-id' }, forwardToken: true });
  return app;
}
