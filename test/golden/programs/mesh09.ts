// Golden-output program (see test/golden.test.ts), recorded by test/golden/record-programs.ts from clean seed 1 sample 215
// of the property-test generators, with monitoring added. Keep it unchanged: test/golden/output holds its output.
/* eslint-disable @stylistic/max-len */
import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  AddressFormat, AuthorizationMode, Backup, EdgePeer, FailoverPolicy, HeaderMatch, HealthCheck, HttpMethod, JwksSource, JwtAuthentication,
  LoadBalancer, Mesh, MeshDashboard, MeshService, MonitoredWorkload, MtlsMode, Objective, PathMatch, Protocol, RouteTarget, WeightedRoute,
} from '../../../src';

export function build(): App {
  const app = new App();
  const chart = new Chart(app, 'test', { namespace: 'billing', disableResourceNameHashes: true });
  const chart2 = new Chart(app, 'second', { namespace: 'billing', disableResourceNameHashes: true });
  const mesh = new Mesh(chart, 'mesh', { namespace: 'mesh-apps', mtls: MtlsMode.DISABLED, authorization: AuthorizationMode.ENFORCE, networkPolicies: true, trustDomain: 'shop.example.com', maxRetryAmplification: Number.POSITIVE_INFINITY, monitoringNamespace: 'monitoring' });
  const s0 = new MeshService(chart, 'auth', { mesh, namespace: 'dr', image: 'registry.example.com/team/app:2.3.1', port: 80, protocol: Protocol.HTTP2, replicas: 0 });
  s0.exposeTo(EdgePeer.ipBlock('192.168.1.0/24'), { port: 30814 });
  s0.exposeTo(EdgePeer.namespace('ingress-nginx', { app: 'ingress' }), { port: 30242 });
  const db1 = kplus.Secret.fromSecretName(chart2, 'env-secret-1', 'db-credentials');
  const s1 = new MeshService(chart2, 'users', { mesh, namespace: 'dr', image: 'registry.example.com/team/app:2.3.1', envVariables: { DB_PASSWORD: kplus.EnvValue.fromSecretValue({ secret: db1, key: 'password' }) }, port: 8080, protocol: Protocol.GRPC, loadBalancer: LoadBalancer.roundRobin() });
  const s2 = new MeshService(chart, 'svc-2', { mesh, name: 'inventory', namespace: 'billing', image: 'registry.example.com/team/app:2.3.1', port: 1133 });
  const sa3 = new kplus.ServiceAccount(chart2, 'adopted-sa-3', { metadata: { name: 'db-legacy', namespace: 'mesh-apps' } });
  const deployment3 = new kplus.Deployment(chart2, 'adopted-3', { metadata: { name: 'db-legacy', namespace: 'mesh-apps' }, serviceAccount: sa3, containers: [{ name: 'main', image: 'example/app:1.0.0', portNumber: 8972, securityContext: { capabilities: { drop: ['ALL' as kplus.Capability] } } }] });
  const s3 = new MeshService(chart2, 'db', { mesh, deployment: deployment3, port: 8972, protocol: Protocol.TCP, weight: 1, replicas: 3 });
  const tls3_0 = kplus.Secret.fromSecretName(chart2, 'edge-tls-3-0', 'db-edge-tls');
  s3.exposeTo(EdgePeer.anywhere(), { port: 30851, tlsSecret: tls3_0 });
  const s4 = new MeshService(chart, 'svc-4', { mesh, name: 'search', image: 'registry.example.com/team/app:2.3.1', port: 8285, weight: 4 });
  const tls4_0 = kplus.Secret.fromSecretName(chart, 'edge-tls-4-0', 'search-edge-tls');
  s4.exposeTo(EdgePeer.anywhere(), { port: 30650, tlsSecret: tls4_0 });
  const db5 = kplus.Secret.fromSecretName(chart2, 'env-secret-5', 'db-credentials');
  const s5 = new MeshService(chart2, 'auth', { mesh, namespace: 'billing', image: 'registry.example.com/team/app:2.3.1', envVariables: { DB_PASSWORD: kplus.EnvValue.fromSecretValue({ secret: db5, key: 'password' }) }, port: 9090, replicas: 0 });
  s5.exposeTo(EdgePeer.anywhere(), { port: 30946 });
  s3.callTo(s1);
  s3.callTo(s5, { addressVariable: 'BACKEND_URL' });
  s0.callTo(s1);
  s2.callTo(s3, { addressFormat: AddressFormat.IP_PORT });
  s2.addVersion('blue', { replicas: 2 });
  s2.addInstancePool('large', { weight: 1 });
  s2.addInstancePool('arm', { weight: 2 });
  s4.addVersion('canary');
  s4.addVersion('blue', { image: 'example/app:2.0.0-rc.1' });
  s5.addVersion('v2', { replicas: 0 });
  new WeightedRoute(chart, 'route-0', { service: s4, match: { path: PathMatch.exact('/health'), methods: [HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE] }, targets: [RouteTarget.version('v1', 100)], mirror: RouteTarget.version('canary'), requestHeaders: { set: { 'x-route': 'canary' }, remove: ['x-debug'] } });
  new WeightedRoute(chart, 'route-1', { service: s4, match: { headers: [HeaderMatch.regex('x-canary', '.*beta.*')] }, targets: [RouteTarget.version('blue', 22), RouteTarget.service(s2, 30), RouteTarget.version('canary', 48)], requestHeaders: { remove: ['x-debug'] } });
  new WeightedRoute(chart, 'route-2', { service: s2, targets: [RouteTarget.version('v1', 0), RouteTarget.version('blue', 100)] });
  new FailoverPolicy(chart, 'failover-0', { service: s2, idleTimeout: Duration.seconds(104), healthCheck: HealthCheck.tcp({}), backup: Backup.service(s3) });
  const jwks0 = kplus.Secret.fromSecretName(chart, 'jwks-0', 'jwks');
  new JwtAuthentication(chart, 'auth0', { service: s0, issuer: 'https://sso.example.com', jwks: JwksSource.fromSecret(jwks0, 'jwks.json'), audiences: ['orders'] });
  const jwks1 = kplus.Secret.fromSecretName(chart, 'jwks-1', 'jwks');
  new JwtAuthentication(chart, 'auth0-1', { service: s1, issuer: 'https://sso.example.com', jwks: JwksSource.fromSecret(jwks1, 'jwks.json'), paths: [PathMatch.exact('/api/v1/orders'), PathMatch.prefix('/orders')], forwardToken: true });
  new MonitoredWorkload(chart, 'monitoring-0', { service: s0, monitorLabels: { release: 'kube-prometheus-stack' }, objectives: [Objective.availability(99.5), Objective.latency({ percentile: 95, threshold: Duration.millis(250) })] });
  new MeshDashboard(chart, 'dashboard', { mesh });
  return app;
}
