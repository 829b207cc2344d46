import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  AuthorizationPolicy, Backup, CertificateSource, FailoverPolicy, HashKey, HealthCheck, JwksSource, JwtAuthentication, LoadBalancer, Mesh, MeshEngine,
  MeshProps, MeshService, OutlierDetection, PathMatch, RateLimit, Retry, TlsVersion, Tracing,
} from '../../src';
import { newChart } from '../helpers';
import { BadInput } from './bad-input';

/** Two services on Istio, `web` calling `orders`. */
function istio(props: Partial<MeshProps> = {}) {
  const chart = newChart();
  const mesh = new Mesh(chart, 'mesh', { engine: MeshEngine.istio(), ...props });
  const orders = new MeshService(chart, 'orders', { mesh, image: 'example/orders:1.0.0', port: 8080 });
  const web = new MeshService(chart, 'web', { mesh, image: 'example/web:1.0.0', port: 3000 });
  web.callTo(orders);
  return { chart, mesh, orders, web };
}

function failover(options: Omit<ConstructorParameters<typeof FailoverPolicy>[2], 'service'>) {
  const { chart, orders } = istio();
  new FailoverPolicy(chart, 'failover', { service: orders, ...options });
  return chart;
}

export const ENGINE_CASES: BadInput[] = [
  ['Istio mesh with certificates', () => istio({ certificates: CertificateSource.selfSignedCa() }).chart, [/certificates on Istio: Istio issues/]],
  ['Istio mesh with a TLS 1.3 minimum', () => istio({ tlsMinimumVersion: TlsVersion.TLS_1_3 }).chart, [/meshMTLS.minProtocolVersion/]],
  ['Istio mesh tracing without a provider', () => istio({ tracing: Tracing.openTelemetry({ collectorHost: 'otel.observability' }) }).chart,
    [/tracingProvider/]],
  ['Istio mesh with native sidecars', () => istio({ nativeSidecars: true }).chart, [/nativeSidecars on Istio/]],
  ['active health checks on Istio', () => failover({ healthCheck: HealthCheck.http({ path: '/healthz' }) }), [/active health checks on Istio/]],
  ['a backup service on Istio', () => {
    const { chart, mesh, orders } = istio();
    new FailoverPolicy(chart, 'failover', { service: orders, backup: Backup.service(new MeshService(chart, 'spare', { mesh, image: 'x/spare:1.0.0', port: 8081 })) });
    return chart;
  }, [/backup on Istio: Istio fails over between localities/]],
  ['a custom retry back-off on Istio', () => failover({ retry: Retry.onGatewayErrors({ backoffBase: Duration.millis(100) }) }), [/retry back-off on Istio/]],
  ['success-rate outlier detection on Istio', () => failover({ outlierDetection: OutlierDetection.successRate() }), [/success-rate outlier detection on Istio/]],
  ['caller-specific outlier detection on Istio', () => {
    const { chart, orders, web } = istio();
    new FailoverPolicy(chart, 'failover', { service: orders, caller: web, outlierDetection: OutlierDetection.consecutiveErrors(5) });
    return chart;
  }, [/for caller web only on Istio/]],
  ['a rate limit on Istio', () => {
    const { chart, orders } = istio();
    new RateLimit(chart, 'limit', { service: orders, requests: 100, interval: Duration.seconds(1) });
    return chart;
  }, [/local rate limiting on Istio/]],
  ['an instance pool on Istio', () => {
    const { chart, orders } = istio();
    orders.addInstancePool('large', { weight: 3 });
    return chart;
  }, [/instance pool 'large' on Istio/]],
  ['consistent hashing without a key on Istio', () => {
    const chart = newChart();
    const mesh = new Mesh(chart, 'mesh', { engine: MeshEngine.istio() });
    new MeshService(chart, 'orders', { mesh, image: 'example/orders:1.0.0', port: 8080, loadBalancer: LoadBalancer.ringHash({}) });
    return chart;
  }, [/consistent hashing without a key on Istio/]],
  ['a caller-specific load balancer on Istio', () => {
    const { chart, mesh, orders } = istio();
    new MeshService(chart, 'admin', { mesh, image: 'example/admin:1.0.0', port: 3001 }).callTo(orders, { loadBalancer: LoadBalancer.ringHash({ key: HashKey.header('x-user') }) });
    return chart;
  }, [/with its own loadBalancer on Istio/]],
  ['an authorization path regex on Istio', () => {
    const { chart, orders, web } = istio();
    new AuthorizationPolicy(chart, 'authz', { service: orders, caller: web, paths: [PathMatch.regex('/orders/[0-9]+')] });
    return chart;
  }, [/path regex '\/orders\/\[0-9\]\+' on Istio/]],
  ['JWKS from a file on Istio', () => {
    const { chart, orders } = istio();
    const keys = new kplus.ConfigMap(chart, 'keys', { data: { 'jwks.json': '{"keys":[]}' } });
    new JwtAuthentication(chart, 'login', { service: orders, issuer: 'https://login.example.com', jwks: JwksSource.fromConfigMap(keys, 'jwks.json') });
    return chart;
  }, [/JWKS from a mounted file on Istio/]],
];
