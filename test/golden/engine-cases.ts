/**
 * The golden cases of the Istio and Gateway API engines (see
 * test/golden/golden.ts): each example that takes an engine, on every engine
 * that accepts it, and one small mesh that plain Gateway API routes accept.
 *
 * Not recorded, because the engine refuses them at synth:
 * - example-failover: FailoverChart takes no engine, and declares a backup
 *   service, active health checks and certificates, which only static
 *   sidecars have.
 * - example-shop and example-canary on plain `gatewayApi()`: they need STRICT
 *   mTLS, caller authorization and NetworkPolicies (shop tracing too), which
 *   routes alone cannot express.
 * - mesh01 to mesh12 on every engine: each declares a certificate source, and
 *   most also instance pools, edge TLS, per-call balancers, local ports,
 *   health checks or backups (only static sidecars have those). On plain
 *   Gateway API each also keeps mTLS and authorization (or NetworkPolicies).
 */
import { App, Chart, Duration } from 'cdk8s';
import { CanaryChart } from '../../examples/canary/canary';
import { ShopChart } from '../../examples/shop/shop';
import {
  FailoverPolicy, GatewayApiPolicies, HeaderMatch, HttpMethod, Mesh, MeshEngine, MeshService, MtlsMode, PathMatch, Protocol, RouteTarget,
  WeightedRoute,
} from '../../src';

/** The engines by case suffix; Istio is told that it merges slashes, which the shop needs, and for the shop (which traces) its tracing provider. */
export const ISTIO = (tracing = false) => MeshEngine.istio({ ...(tracing && { tracingProvider: 'otel' }), decodeAndMergeSlashes: true });
export const GATEWAY_API_ISTIO = (tracing = false) => MeshEngine.gatewayApi({
  policies: GatewayApiPolicies.ISTIO, ...(tracing && { istioTracingProvider: 'otel' }), istioDecodeAndMergeSlashes: true, percentageMirrors: true,
});
const GATEWAY_API = () => MeshEngine.gatewayApi({ percentageMirrors: true });

/** Weighted and matched routes without mTLS or authorization: what every engine accepts. */
function routesOnly(engine: MeshEngine): App {
  const app = new App();
  const chart = new Chart(app, 'routes-only', { namespace: 'shop', disableResourceNameHashes: true });
  const mesh = new Mesh(chart, 'mesh', { engine, mtls: MtlsMode.DISABLED, networkPolicies: false });
  const orders = new MeshService(chart, 'orders', { mesh, image: 'example/orders:1.0.0', port: 8080, replicas: 2 });
  orders.addVersion('v2', { image: 'example/orders:2.0.0' });
  const web = new MeshService(chart, 'web', { mesh, image: 'example/web:1.0.0', port: 3000, protocol: Protocol.HTTP2 });
  web.callTo(orders);
  new FailoverPolicy(chart, 'orders-failover', { service: orders, timeout: Duration.millis(2500) });
  new WeightedRoute(chart, 'canary', { service: orders, targets: [RouteTarget.version('v1', 90), RouteTarget.version('v2', 10)] });
  new WeightedRoute(chart, 'testers', {
    service: orders,
    match: { path: PathMatch.exact('/orders'), headers: [HeaderMatch.exact('x-canary', 'true')], methods: [HttpMethod.GET, HttpMethod.POST] },
    targets: [RouteTarget.version('v2')],
    mirror: RouteTarget.version('v1'),
    mirrorPercent: 5,
    requestHeaders: { set: { 'x-route': 'testers' } },
  });
  return app;
}

function example(chart: (app: App, id: string, engine: MeshEngine) => unknown, id: string, engine: () => MeshEngine): () => App {
  return () => {
    const app = new App();
    chart(app, id, engine());
    return app;
  };
}

const shop = (app: App, id: string, engine: MeshEngine) => new ShopChart(app, id, { engine });
const canary = (app: App, id: string, engine: MeshEngine) => new CanaryChart(app, id, { engine });

/** Each engine case by name, `<case>.<engine>`: a fresh App each time. */
export const ENGINE_CASES: Record<string, () => App> = {
  'example-shop.istio': example(shop, 'shop', () => ISTIO(true)),
  'example-shop.gateway-api-istio': example(shop, 'shop', () => GATEWAY_API_ISTIO(true)),
  'example-canary.istio': example(canary, 'canary', () => ISTIO()),
  'example-canary.gateway-api-istio': example(canary, 'canary', () => GATEWAY_API_ISTIO()),
  'routes-only.istio': () => routesOnly(ISTIO()),
  'routes-only.gateway-api-istio': () => routesOnly(GATEWAY_API_ISTIO()),
  'routes-only.gateway-api': () => routesOnly(GATEWAY_API()),
};
