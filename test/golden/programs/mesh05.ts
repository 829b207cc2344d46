// Golden-output program (see test/golden.test.ts), recorded by test/golden/record-programs.ts from clean seed 1 sample 164
// of the property-test generators. Keep it unchanged: test/golden/output holds its output.
/* eslint-disable @stylistic/max-len */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  AddressFormat, CertificateSource, EdgePeer, FailoverPolicy, LoadBalancer, Mesh, MeshService, MtlsMode, OutlierDetection, Protocol,
  RouteTarget, WeightedRoute,
} from '../../../src';

export function build(): App {
  const app = new App();
  const chart = new Chart(app, 'test', { namespace: 'shop', disableResourceNameHashes: true });
  const mesh = new Mesh(chart, 'shop-mesh', { mtls: MtlsMode.PERMISSIVE, certificates: CertificateSource.clusterIssuer('mesh-ca-issuer'), networkPolicies: false, trustDomain: 'shop.example.com', clusterDomain: 'cluster.local' });
  const s0 = new MeshService(chart, 'svc-0', { mesh, name: 'search', namespace: 'dr', image: 'example/app:1.0.0', envVariables: { LOG_LEVEL: kplus.EnvValue.fromValue('info') }, port: 6379, version: 'v1', weight: 1 });
  s0.exposeTo(EdgePeer.ipBlock('192.168.1.0/24'), { port: 30836 });
  s0.exposeTo(EdgePeer.ipBlock('192.168.1.0/24'), { port: 30346 });
  const s1 = new MeshService(chart, 'svc-1', { mesh, name: 'payments', namespace: 'billing', image: 'registry.example.com/team/app:2.3.1', envVariables: { LOG_LEVEL: kplus.EnvValue.fromValue('info') }, port: 9538, protocol: Protocol.HTTP2, version: 'stable' });
  const tls1_0 = kplus.Secret.fromSecretName(chart, 'edge-tls-1-0', 'payments-edge-tls');
  s1.exposeTo(EdgePeer.anywhere(), { port: 30625, tlsSecret: tls1_0 });
  const s2 = new MeshService(chart, 'cart', { mesh, image: 'example/app:1.0.0', port: 80, replicas: 2 });
  const s3 = new MeshService(chart, 'svc-3', { mesh, name: 'web', namespace: 'billing', image: 'registry.example.com/team/app:2.3.1', port: 80, protocol: Protocol.TCP, version: 'stable', loadBalancer: LoadBalancer.random() });
  s3.exposeTo(EdgePeer.anywhere(), { port: 30689 });
  const tls3_1 = kplus.Secret.fromSecretName(chart, 'edge-tls-3-1', 'web-edge-tls');
  s3.exposeTo(EdgePeer.namespace('ingress-nginx'), { port: 30328, tlsSecret: tls3_1 });
  s1.callTo(s3, { loadBalancer: LoadBalancer.roundRobin() });
  s0.callTo(s2, { localPort: 28822, addressFormat: AddressFormat.IP_URL });
  s3.callTo(s1, { loadBalancer: LoadBalancer.roundRobin(), addressVariable: 'UPSTREAM_ADDRESS' });
  s0.callTo(s1);
  s0.callTo(s3, { loadBalancer: LoadBalancer.leastRequest({}), addressFormat: AddressFormat.IP_PORT });
  s1.callTo(s2, { localPort: 22796, addressVariable: 'UPSTREAM_ADDRESS', addressFormat: AddressFormat.HOST_PORT });
  s0.addInstancePool('large', { weight: 5 });
  s1.addInstancePool('arm', { weight: 2 });
  s2.addVersion('v3');
  s2.addInstancePool('large', { weight: 2, replicas: 1 });
  s3.addVersion('v2', { image: 'example/app:2.0.0-rc.1' });
  s3.addVersion('blue', { image: 'example/app:2.0.0-rc.1' });
  new WeightedRoute(chart, 'route-0', { service: s3, caller: s1, targets: [RouteTarget.service(s1, 60), RouteTarget.version('stable', 15), RouteTarget.version('blue', 25)] });
  new FailoverPolicy(chart, 'failover-0', { service: s0, outlierDetection: OutlierDetection.consecutiveGatewayErrors(9, { maxEjectionPercent: 92 }) });
  new FailoverPolicy(chart, 'failover-2', { service: s1 });
  return app;
}
