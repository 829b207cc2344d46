// Golden-output program (see test/golden.test.ts), recorded by test/golden/record-programs.ts from clean seed 2 sample 64
// of the property-test generators, with monitoring added. Keep it unchanged: test/golden/output holds its output.
/* eslint-disable @stylistic/max-len */
import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  Backup, CertificateSource, EdgePeer, FailoverPolicy, HealthCheck, LoadBalancer, Mesh, MeshDashboard, MeshService, MonitoredWorkload,
  Objective, OutlierDetection, PathMatch, Protocol, QueryParameterMatch, Retry, RouteTarget, WeightedRoute,
} from '../../../src';

export function build(): App {
  const app = new App();
  const chart = new Chart(app, 'test', { namespace: 'billing', disableResourceNameHashes: true });
  const mesh = new Mesh(chart, 'mesh', { namespace: 'mesh-apps', certificates: CertificateSource.issuer('mesh-ca-issuer'), networkPolicies: false, trustDomain: 'cluster.local', drainDuration: Duration.seconds(7), certificateDuration: Duration.days(7) });
  const sa0 = new kplus.ServiceAccount(chart, 'adopted-sa-0', { metadata: { name: 'search-legacy', namespace: 'shop' } });
  const deployment0 = new kplus.Deployment(chart, 'adopted-0', { metadata: { name: 'search-legacy', namespace: 'shop' }, serviceAccount: sa0, containers: [{ name: 'main', image: 'example/app:1.0.0', portNumber: 443, securityContext: { capabilities: { drop: ['ALL' as kplus.Capability] } } }] });
  const s0 = new MeshService(chart, 'svc-0', { mesh, name: 'search', namespace: 'shop', deployment: deployment0, port: 443, protocol: Protocol.TCP, loadBalancer: LoadBalancer.roundRobin() });
  const s1 = new MeshService(chart, 'svc-1', { mesh, name: 'inventory', namespace: 'billing', image: 'registry.example.com/team/app:2.3.1', port: 8081, weight: 3 });
  const s2 = new MeshService(chart, 'search', { mesh, namespace: 'billing', image: 'example/app:1.0.0', port: 9090, protocol: Protocol.TCP, weight: 1 });
  const tls2_0 = kplus.Secret.fromSecretName(chart, 'edge-tls-2-0', 'search-edge-tls');
  s2.exposeTo(EdgePeer.anywhere(), { port: 30915, tlsSecret: tls2_0 });
  const s3 = new MeshService(chart, 'svc-3', { mesh, name: 'orders', namespace: 'shop', image: 'registry.example.com/team/app:2.3.1', port: 3000, protocol: Protocol.TCP });
  s3.exposeTo(EdgePeer.ipBlock('10.0.0.0/8'), { port: 30280 });
  const tls3_1 = kplus.Secret.fromSecretName(chart, 'edge-tls-3-1', 'orders-edge-tls');
  s3.exposeTo(EdgePeer.ipBlock('192.168.1.0/24'), { port: 30669, tlsSecret: tls3_1 });
  const s4 = new MeshService(chart, 'auth', { mesh, namespace: 'billing', image: 'registry.example.com/team/app:2.3.1', port: 8443, loadBalancer: LoadBalancer.leastRequest({}) });
  const s5 = new MeshService(chart, 'svc-5', { mesh, name: 'db', image: 'example/app:1.0.0', envVariables: { LOG_LEVEL: kplus.EnvValue.fromValue('info') }, port: 443, version: 'v1', loadBalancer: LoadBalancer.random() });
  s5.exposeTo(EdgePeer.anywhere(), { port: 30254 });
  s1.addVersion('v2');
  s1.addVersion('blue');
  s2.addVersion('blue', { image: 'example/app:2.0.0-rc.1' });
  s3.addVersion('blue');
  s4.addVersion('v2');
  s4.addInstancePool('arm', { weight: 5, replicas: 2 });
  s5.addVersion('blue', { image: 'example/app:2.0.0-rc.1' });
  s5.addVersion('canary');
  s5.addInstancePool('arm', { weight: 2, replicas: 0 });
  new WeightedRoute(chart, 'route-0', { service: s4, priority: 1712, match: { path: PathMatch.exact('/health'), queryParameters: [QueryParameterMatch.exact('beta', 'true')] }, targets: [RouteTarget.service(s3, 100)], mirror: RouteTarget.version('v1') });
  new FailoverPolicy(chart, 'failover-0', { service: s3, outlierDetection: OutlierDetection.consecutiveGatewayErrors(5, { baseEjectionTime: Duration.seconds(103) }), backup: Backup.service(s0) });
  new FailoverPolicy(chart, 'failover-1', { service: s1, retry: Retry.onServerErrors({ perTryTimeout: Duration.millis(1106), retryOtherHost: true }), timeout: Duration.seconds(29), idleTimeout: Duration.seconds(41), healthCheck: HealthCheck.http({ path: '/healthz', timeout: Duration.millis(3804) }), backup: Backup.service(s2), fault: { abortStatus: 429, abortPercent: 8 } });
  new MonitoredWorkload(chart, 'monitoring-1', { service: s1, monitorLabels: { release: 'kube-prometheus-stack' }, objectives: [Objective.availability(99.5), Objective.latency({ percentile: 95, threshold: Duration.millis(250) })] });
  new MonitoredWorkload(chart, 'monitoring-0', { service: s0, monitorLabels: { release: 'kube-prometheus-stack' }, alerts: { expectTraffic: false } });
  new MeshDashboard(chart, 'dashboard', { mesh });
  return app;
}
