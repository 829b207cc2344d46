// Golden-output program (see test/golden.test.ts), recorded by test/golden/record-programs.ts from clean seed 2 sample 199
// of the property-test generators. Keep it unchanged: test/golden/output holds its output.
/* eslint-disable @stylistic/max-len */
import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  AddressFormat, AuthorizationMode, Backup, CertificateSource, EdgePeer, FailoverPolicy, HashKey, HealthCheck, HttpMethod, JwksSource,
  JwtAuthentication, LoadBalancer, Mesh, MeshService, MtlsMode, OutlierDetection, PathMatch, Protocol, QueryParameterMatch, Retry,
  RouteTarget, WeightedRoute,
} from '../../../src';

export function build(): App {
  const app = new App();
  const chart = new Chart(app, 'test', { namespace: 'billing', disableResourceNameHashes: true });
  const chart2 = new Chart(app, 'second', { namespace: 'billing', disableResourceNameHashes: true });
  const mesh = new Mesh(chart, 'shop-mesh', { mtls: MtlsMode.DISABLED, certificates: CertificateSource.selfSignedCa({ namespace: 'cert-manager' }), authorization: AuthorizationMode.ENFORCE, networkPolicies: true, ports: { inbound: 16006, stats: 16090 }, certificateRenewBefore: Duration.hours(1), maxRetryAmplification: Infinity });
  const db0 = kplus.Secret.fromSecretName(chart2, 'env-secret-0', 'db-credentials');
  const s0 = new MeshService(chart2, 'svc-0', { mesh, name: 'users', image: 'example/app:1.0.0', envVariables: { DB_PASSWORD: kplus.EnvValue.fromSecretValue({ secret: db0, key: 'password' }) }, port: 14989, loadBalancer: LoadBalancer.roundRobin() });
  const db1 = kplus.Secret.fromSecretName(chart2, 'env-secret-1', 'db-credentials');
  const s1 = new MeshService(chart2, 'cart', { mesh, image: 'example/app:1.0.0', envVariables: { DB_PASSWORD: kplus.EnvValue.fromSecretValue({ secret: db1, key: 'password' }) }, port: 1035, protocol: Protocol.HTTP2, weight: 3 });
  const s2 = new MeshService(chart2, 'svc-2', { mesh, name: 'web', namespace: 'billing', image: 'example/app:1.0.0', port: 8443, weight: 5, replicas: 2 });
  s2.exposeTo(EdgePeer.namespace('gateway', { app: 'ingress' }), { port: 30360 });
  s0.callTo(s1, { addressFormat: AddressFormat.URL });
  s2.callTo(s0);
  s0.callTo(s2, { loadBalancer: LoadBalancer.random(), addressVariable: 'BACKEND_URL' });
  s1.callTo(s0, { loadBalancer: LoadBalancer.maglev({ key: HashKey.sourceIp() }), addressVariable: 'BACKEND_URL' });
  s2.callTo(s1);
  s0.addInstancePool('arm', { weight: 2 });
  s2.addVersion('blue', { image: 'example/app:2.0.0-rc.1', replicas: 3 });
  new WeightedRoute(chart, 'route-0', { service: s0, match: { path: PathMatch.regex('/orders/[0-9]+'), methods: [HttpMethod.POST, HttpMethod.PUT] }, targets: [RouteTarget.version('v1', 4), RouteTarget.service(s2, 96)] });
  new WeightedRoute(chart, 'route-1', { service: s0, caller: s2, priority: 1567, match: { path: PathMatch.prefix('/api/'), queryParameters: [QueryParameterMatch.exact('beta', '')] }, targets: [RouteTarget.version('v1', 100)], timeout: Duration.seconds(30) });
  new FailoverPolicy(chart, 'failover-0', { service: s0, outlierDetection: OutlierDetection.successRate({ requestVolume: 393 }), fault: { delayPercent: 0, abortStatus: 200, abortPercent: 12.5 } });
  new FailoverPolicy(chart, 'failover-1', { service: s2, retry: Retry.onGatewayErrors({}), outlierDetection: OutlierDetection.consecutiveGatewayErrors(10, {}), circuitBreaker: { maxPendingRequests: 9307, maxRequests: 4708, maxRetries: 5461 }, backup: Backup.service(s0) });
  new FailoverPolicy(chart, 'failover-2', { service: s1, outlierDetection: OutlierDetection.successRate({ interval: Duration.seconds(6), maxEjectionPercent: 92 }), healthCheck: HealthCheck.tcp({ interval: Duration.seconds(28), unhealthyThreshold: 7 }) });
  const jwks0 = kplus.Secret.fromSecretName(chart, 'jwks-0', 'jwks');
  new JwtAuthentication(chart, 'sso', { service: s1, issuer: 'https://login.example.com/', jwks: JwksSource.fromSecret(jwks0, 'jwks.json'), audiences: ['orders', 'admin'], forwardToken: false });
  return app;
}
