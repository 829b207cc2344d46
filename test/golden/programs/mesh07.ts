// Golden-output program (see test/golden.test.ts), recorded by test/golden/record-programs.ts from clean seed 1 sample 192
// of the property-test generators. Keep it unchanged: test/golden/output holds its output.
/* eslint-disable @stylistic/max-len */
import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { AuthorizationMode, CertificateSource, EdgePeer, FailoverPolicy, HealthCheck, JwksSource, JwtAuthentication, LoadBalancer, Mesh, MeshService, MtlsMode, Protocol, Retry, RetryCondition, RouteTarget, WeightedRoute } from '../../../src';

export function build(): App {
  const app = new App();
  const chart = new Chart(app, 'test', { namespace: 'billing', disableResourceNameHashes: true });
  const mesh = new Mesh(chart, 'mesh', { mtls: MtlsMode.PERMISSIVE, certificates: CertificateSource.existingSecrets(), authorization: AuthorizationMode.ENFORCE, maxRetryAmplification: Number.POSITIVE_INFINITY });
  const s0 = new MeshService(chart, 'search', { mesh, image: 'example/app:1.0.0', port: 8081, protocol: Protocol.HTTP2, weight: 2, replicas: 2 });
  s0.exposeTo(EdgePeer.anywhere(), { port: 30927 });
  const tls0_1 = kplus.Secret.fromSecretName(chart, 'edge-tls-0-1', 'search-edge-tls');
  s0.exposeTo(EdgePeer.namespace('ingress-nginx'), { port: 30592, tlsSecret: tls0_1 });
  const s1 = new MeshService(chart, 'svc-1', { mesh, name: 'web', image: 'registry.example.com/team/app:2.3.1', envVariables: { LOG_LEVEL: kplus.EnvValue.fromValue('info') }, port: 443, version: 'stable' });
  s0.addVersion('blue');
  s0.addVersion('v3', { replicas: 0 });
  s0.addInstancePool('spot', { weight: 3 });
  s0.addInstancePool('arm', { weight: 2 });
  s1.addVersion('v2', { image: 'example/app:2.0.0-rc.1', replicas: 0 });
  s1.addVersion('canary', { replicas: 0 });
  s0.callTo(s1, { loadBalancer: LoadBalancer.leastRequest({ choiceCount: 10 }) });
  new WeightedRoute(chart, 'route-0', { service: s0, targets: [RouteTarget.service(s1, 80), RouteTarget.version('v1', 20)], timeout: Duration.seconds(26) });
  new WeightedRoute(chart, 'route-1', { service: s1, match: {}, targets: [RouteTarget.version('canary', 41), RouteTarget.version('stable', 59)], timeout: Duration.seconds(27), requestHeaders: { set: { 'x-route': 'canary' } } });
  new FailoverPolicy(chart, 'failover-0', { service: s1, caller: s0, idleTimeout: Duration.seconds(87) });
  new FailoverPolicy(chart, 'failover-1', { service: s0, retry: Retry.on({ conditions: [RetryCondition.GATEWAY_ERROR, RetryCondition.GRPC_DEADLINE_EXCEEDED, RetryCondition.RETRIABLE_STATUS_CODES], retriableStatusCodes: [503, 409], backoffBase: Duration.millis(15) }), timeout: Duration.millis(2932), idleTimeout: Duration.seconds(196), circuitBreaker: { retryBudgetPercent: 12.5 }, healthCheck: HealthCheck.tcp({ timeout: Duration.millis(2888) }) });
  new JwtAuthentication(chart, 'keycloak', { service: s1, issuer: 'https://login.example.com/', jwks: JwksSource.remote('https://login.example.com'), audiences: ['orders'] });
  return app;
}
