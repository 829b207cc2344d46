// Golden-output program (see test/golden.test.ts), recorded by test/golden/record-programs.ts from clean seed 2 sample 38
// of the property-test generators. Keep it unchanged: test/golden/output holds its output.
/* eslint-disable @stylistic/max-len */
import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Backup, CertificateSource, EdgePeer, FailoverPolicy, HeaderMatch, Mesh, MeshService, MtlsMode, OutlierDetection, Protocol, QueryParameterMatch, Retry, RetryCondition, RouteTarget, WeightedRoute } from '../../../src';

export function build(): App {
  const app = new App();
  const chart = new Chart(app, 'test', { namespace: 'billing', disableResourceNameHashes: true });
  const mesh = new Mesh(chart, 'shop-mesh', { namespace: 'shop', mtls: MtlsMode.PERMISSIVE, certificates: CertificateSource.selfSignedCa({ namespace: 'cert-manager', duration: Duration.hours(8760) }), networkPolicies: false, clusterDomain: 'k8s.internal', envoyImage: 'envoyproxy/envoy@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', maxRetryAmplification: Infinity });
  const sa0 = new kplus.ServiceAccount(chart, 'adopted-sa-0', { metadata: { name: 'api-legacy', namespace: 'dr' } });
  const deployment0 = new kplus.Deployment(chart, 'adopted-0', { metadata: { name: 'api-legacy', namespace: 'dr' }, serviceAccount: sa0, containers: [{ name: 'main', image: 'registry.example.com/team/app:2.3.1', portNumber: 8080, securityContext: { capabilities: { drop: ['ALL' as kplus.Capability] } } }] });
  const s0 = new MeshService(chart, 'svc-0', { mesh, name: 'api', namespace: 'dr', deployment: deployment0, port: 8080, protocol: Protocol.TCP, weight: 1, replicas: 1 });
  s0.exposeTo(EdgePeer.ipBlock('192.168.1.0/24'), { port: 30158 });
  const tls0_1 = kplus.Secret.fromSecretName(chart, 'edge-tls-0-1', 'api-edge-tls');
  s0.exposeTo(EdgePeer.ipBlock('192.168.1.0/24'), { port: 30647, tlsSecret: tls0_1 });
  const s1 = new MeshService(chart, 'db', { mesh, image: 'example/app:1.0.0', envVariables: { LOG_LEVEL: kplus.EnvValue.fromValue('info') }, port: 9234, version: 'stable' });
  s1.exposeTo(EdgePeer.anywhere(), { port: 30351 });
  const s2 = new MeshService(chart, 'svc-2', { mesh, name: 'payments', image: 'registry.example.com/team/app:2.3.1', port: 3209, replicas: 3 });
  const tls2_0 = kplus.Secret.fromSecretName(chart, 'edge-tls-2-0', 'payments-edge-tls');
  s2.exposeTo(EdgePeer.ipBlock('10.0.0.0/8'), { port: 30942, tlsSecret: tls2_0 });
  const tls2_1 = kplus.Secret.fromSecretName(chart, 'edge-tls-2-1', 'payments-edge-tls');
  s2.exposeTo(EdgePeer.anywhere(), { port: 30007, tlsSecret: tls2_1 });
  const s3 = new MeshService(chart, 'cart', { mesh, namespace: 'dr', image: 'example/app:1.0.0', port: 10687 });
  s3.exposeTo(EdgePeer.anywhere(), { port: 30695 });
  s3.exposeTo(EdgePeer.namespace('gateway'), { port: 30256 });
  s1.addInstancePool('spot', { weight: 3 });
  s1.addInstancePool('arm', { weight: 2 });
  s2.addInstancePool('arm', { weight: 4, replicas: 1 });
  s2.addInstancePool('spot', { weight: 4 });
  s3.addVersion('blue');
  s3.addVersion('v2', { replicas: 0 });
  s3.addInstancePool('spot', { weight: 2 });
  s1.callTo(s3, { addressVariable: 'BACKEND_URL' });
  s2.callTo(s1, { addressVariable: 'BACKEND_URL' });
  s3.callTo(s2);
  s2.callTo(s3);
  s3.callTo(s1);
  new WeightedRoute(chart, 'route-0', { service: s0, targets: [RouteTarget.version('v1', 100)] });
  new WeightedRoute(chart, 'route-1', { service: s1, match: { headers: [HeaderMatch.present('user-agent'), HeaderMatch.regex('user-agent', '^(a|b)$')], queryParameters: [QueryParameterMatch.exact('version', '1')] }, targets: [RouteTarget.version('stable', 100)] });
  new FailoverPolicy(chart, 'failover-0', { service: s1, caller: s2, circuitBreaker: { maxRequests: 4331 } });
  new FailoverPolicy(chart, 'failover-1', { service: s3, caller: s2, retry: Retry.on({ conditions: [RetryCondition.SERVER_ERROR, RetryCondition.RESET], attempts: 2, backoffMax: Duration.millis(109), retryOtherHost: false }), idleTimeout: Duration.seconds(290), outlierDetection: OutlierDetection.successRate({ stdevFactor: 2.5 }), backup: Backup.host('backup.example.net', 80, { tls: true }), fault: { delay: Duration.millis(161), delayPercent: 2, abortPercent: 95 } });
  new FailoverPolicy(chart, 'failover-2', { service: s0 });
  return app;
}
