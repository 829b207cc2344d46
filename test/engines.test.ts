import { App, Chart, Duration } from 'cdk8s';
import { CanaryChart } from '../examples/canary/canary';
import { ShopChart } from '../examples/shop/shop';
import {
  AuthorizationPolicy, CertificateSource, EdgePeer, FailoverPolicy, HeaderMatch, HttpMethod, JwksSource, JwtAuthentication,
  JwtProviderOverlap, Mesh, MeshEngine, MeshService, MtlsMode, PathMatch, Protocol, Retry, RouteTarget, WeightedRoute,
} from '../src';
import { engineIntent, staticIntent } from './engine-intent';
import { GATEWAY_API_ISTIO, ISTIO } from './golden/engine-cases';
import { validateAll } from './validate';
import { gatewayDuration } from '../src/engines/gateway-api/routes';

/**
 * The same constructs on Istio and on Gateway API routes: every emitted
 * object passes the Kubernetes schema and the engines' published CRD schemas
 * (test/crds, unknown fields rejected), and each engine's resources express
 * the intent the static Envoy sidecars carry: the same callers allowed the
 * same paths and methods, the same route matches and weights, the same retry
 * budgets and timeouts.
 */

function synth(build: (app: App, engine?: MeshEngine) => Chart, engine?: MeshEngine): any[] {
  return build(new App(), engine).toJson();
}
const shop = (app: App, engine?: MeshEngine) => new ShopChart(app, 'shop', { engine });
const canary = (app: App, engine?: MeshEngine) => new CanaryChart(app, 'canary', { engine });

/** `web` and `batch` calling `orders` (v1, v2), with a mesh CA on static sidecars. */
function twoCallers(app: App, id: string, engine?: MeshEngine) {
  const chart = new Chart(app, id, { namespace: 'shop', disableResourceNameHashes: true });
  const mesh = new Mesh(chart, 'mesh', { engine, ...(!engine && { certificates: CertificateSource.selfSignedCa() }) });
  const orders = new MeshService(chart, 'orders', { mesh, image: 'example/orders:1.0.0', port: 8080 });
  orders.addVersion('v2');
  const web = new MeshService(chart, 'web', { mesh, image: 'example/web:1.0.0', port: 3000 });
  const batch = new MeshService(chart, 'batch', { mesh, image: 'example/batch:1.0.0', port: 3001 });
  web.callTo(orders);
  batch.callTo(orders);
  return { chart, orders, web, batch };
}

/** Two callers of one service that see it differently: a route and a retry policy of their own each. */
function perCaller(app: App, engine?: MeshEngine): Chart {
  const { chart, orders, web, batch } = twoCallers(app, 'per-caller', engine);
  new FailoverPolicy(chart, 'orders-failover', { service: orders, retry: Retry.onGatewayErrors({ attempts: 3 }), timeout: Duration.seconds(2) });
  new FailoverPolicy(chart, 'batch-failover', { service: orders, caller: batch, retry: Retry.onServerErrors({ attempts: 5 }), timeout: Duration.seconds(30) });
  new WeightedRoute(chart, 'web-canary', { service: orders, caller: web, targets: [RouteTarget.version('v1', 80), RouteTarget.version('v2', 20)] });
  return chart;
}

/** A caller narrowed to some paths and methods, and a route matched on a path, headers and methods. */
function narrowed(app: App, engine?: MeshEngine): Chart {
  const { chart, orders, batch } = twoCallers(app, 'narrowed', engine);
  new AuthorizationPolicy(chart, 'batch-reports', {
    service: orders, caller: batch, paths: [PathMatch.prefix('/reports/'), PathMatch.exact('/export')], methods: [HttpMethod.GET, HttpMethod.HEAD],
  });
  new WeightedRoute(chart, 'canary', { service: orders, targets: [RouteTarget.version('v1', 90), RouteTarget.version('v2', 10)] });
  new WeightedRoute(chart, 'beta', {
    service: orders,
    match: { path: PathMatch.exact('/orders'), headers: [HeaderMatch.exact('x-beta', 'on'), HeaderMatch.present('x-tenant')], methods: [HttpMethod.GET, HttpMethod.POST] },
    targets: [RouteTarget.version('v2')],
  });
  return chart;
}

describe.each([['shop', shop], ['canary', canary], ['per-caller', perCaller], ['narrowed', narrowed]] as const)('the %s example on Istio', (_name, build) => {
  const manifests = synth(build, ISTIO(build === shop));

  test('validates against the Kubernetes schema and Istio\'s CRDs', () => {
    expect(validateAll(manifests)).toEqual([]);
    expect(manifests.some(o => o.apiVersion === 'networking.istio.io/v1')).toBe(true);
  });

  test('has no sidecar, ConfigMap or certificate of the static engine, and labels every pod for injection', () => {
    expect(manifests.filter(o => ['Certificate', 'ClusterIssuer'].includes(o.kind) || (o.kind === 'ConfigMap' && o.metadata.name.endsWith('-envoy')))).toEqual([]);
    for (const d of manifests.filter(o => o.kind === 'Deployment')) {
      expect(d.spec.template.metadata.labels['sidecar.istio.io/inject']).toBe('true');
      expect(d.spec.template.spec.containers.map((c: any) => c.name)).toEqual(['app']);
      expect(d.spec.template.spec.hostAliases).toBeUndefined();
    }
  });

  test('names every Service port for its protocol, as Istio needs for HTTP rules', () => {
    for (const service of manifests.filter(o => o.kind === 'Service')) {
      for (const port of service.spec.ports) expect(port.name).toMatch(/^(http|http2|grpc|tcp)(-|$)/);
    }
  });

  test('NetworkPolicies admit callers on the application\'s port, where Istio\'s proxy receives them, never the static inbound port', () => {
    const ports = manifests.filter(o => o.kind === 'NetworkPolicy').flatMap(p => p.spec.ingress.flatMap((r: any) => r.ports.map((x: any) => x.port)));
    expect(ports.length).toBeGreaterThan(0);
    expect(ports).not.toContain(15006);
    expect(ports).toContain(15090);
  });

  test('states a timeout and a retry count on every route, overriding Istio\'s defaults (no timeout, 2 retries)', () => {
    for (const vs of manifests.filter(o => o.kind === 'VirtualService')) {
      for (const route of vs.spec.http ?? []) {
        expect(route.timeout).toMatch(/s$/);
        expect(typeof route.retries.attempts).toBe('number');
      }
    }
  });

  test('expresses the same intent as the static Envoy sidecars', () => {
    const expected = staticIntent(synth(build));
    expect(engineIntent(manifests, Object.keys(expected.calls))).toEqual(expected);
  });
});

/** A mesh for Gateway API routes alone: no mTLS, authorization or NetworkPolicies, which routes cannot express. */
function routesOnly(app: App, engine?: MeshEngine): Chart {
  const chart = new Chart(app, 'routes-only', { namespace: 'shop', disableResourceNameHashes: true });
  const mesh = new Mesh(chart, 'mesh', { engine, mtls: MtlsMode.DISABLED, ...(engine && { networkPolicies: false }) });
  const orders = new MeshService(chart, 'orders', { mesh, image: 'example/orders:1.0.0', port: 8080 });
  orders.addVersion('v2');
  const web = new MeshService(chart, 'web', { mesh, image: 'example/web:1.0.0', port: 3000, protocol: Protocol.HTTP2 });
  web.callTo(orders);
  new FailoverPolicy(chart, 'orders-failover', { service: orders, timeout: Duration.millis(1500) });
  new WeightedRoute(chart, 'canary', { service: orders, targets: [RouteTarget.version('v1', 75), RouteTarget.version('v2', 25)] });
  new WeightedRoute(chart, 'testers', {
    service: orders,
    match: { headers: [HeaderMatch.exact('x-canary', 'true')], methods: [HttpMethod.GET, HttpMethod.HEAD] },
    targets: [RouteTarget.version('v2')],
    mirror: RouteTarget.version('v1'),
    mirrorPercent: 10,
    requestHeaders: { set: { 'x-route': 'testers' }, remove: ['x-debug'] },
  });
  return chart;
}

describe.each([
  ['shop', shop, () => GATEWAY_API_ISTIO(true)],
  ['canary', canary, GATEWAY_API_ISTIO],
  ['narrowed', narrowed, GATEWAY_API_ISTIO],
  ['routes-only', routesOnly, () => MeshEngine.gatewayApi({ percentageMirrors: true })],
] as const)('the %s example on Gateway API', (_name, build, engine) => {
  const manifests = synth(build, engine());

  test('validates against the Kubernetes schema and the Gateway API and Istio CRDs', () => {
    expect(validateAll(manifests)).toEqual([]);
    expect(manifests.some(o => o.kind === 'HTTPRoute')).toBe(true);
  });

  test('routes mesh services with HTTPRoutes attached to their Services, sending to a Service per version', () => {
    const services = manifests.filter(o => o.kind === 'Deployment').map(d => d.spec.template.metadata.labels['mesh.cdk8s.io/service']);
    expect(manifests.filter(o => o.kind === 'VirtualService' && services.includes(o.metadata.name))).toEqual([]);
    for (const route of manifests.filter(o => o.kind === 'HTTPRoute')) {
      expect(route.spec.parentRefs).toEqual([expect.objectContaining({ group: '', kind: 'Service', name: route.metadata.name })]);
      for (const ref of route.spec.rules.flatMap((r: any) => r.backendRefs)) {
        const target = manifests.find(o => o.kind === 'Service' && o.metadata.name === ref.name);
        expect(target.spec.selector['mesh.cdk8s.io/version']).toBe(ref.name.split('-').pop());
      }
    }
  });

  test('expresses the same intent as the static Envoy sidecars', () => {
    const expected = staticIntent(synth(build));
    expect(engineIntent(manifests, Object.keys(expected.calls))).toEqual(expected);
  });
});

test('Gateway API routes alone carry no Istio resource and label no pod for injection', () => {
  const manifests = synth(routesOnly, MeshEngine.gatewayApi({ percentageMirrors: true }));
  expect(manifests.filter(o => o.apiVersion.includes('istio.io'))).toEqual([]);
  expect(manifests.filter(o => o.kind === 'Deployment').map(d => d.spec.template.metadata.labels['sidecar.istio.io/inject'])).toEqual([undefined, undefined, undefined]);
  const route = manifests.find(o => o.kind === 'HTTPRoute' && o.metadata.name === 'orders');
  expect(route.spec.rules[0]).toEqual({
    matches: ['GET', 'HEAD'].map(method => ({ headers: [{ type: 'Exact', name: 'x-canary', value: 'true' }], method })),
    filters: [
      { type: 'RequestHeaderModifier', requestHeaderModifier: { set: [{ name: 'x-route', value: 'testers' }], remove: ['x-debug'] } },
      { type: 'RequestMirror', requestMirror: { backendRef: { name: 'orders-v1', port: 8080 }, percent: 10 } },
    ],
    backendRefs: [{ name: 'orders-v2', port: 8080, weight: 100 }],
    timeouts: { request: '1s500ms' },
  });
});

test('the CRD check rejects an unknown field and a wrong type in an Istio resource', () => {
  const manifests = synth(shop, ISTIO(true));
  const vs = manifests.find(o => o.kind === 'VirtualService');
  vs.spec.http[0].retries.atempts = 2;
  const dr = manifests.find(o => o.kind === 'DestinationRule');
  dr.spec.trafficPolicy.connectionPool.tcp.maxConnections = 'many';
  const errors = validateAll(manifests).join('\n');
  expect(errors).toMatch(/atempts/);
  expect(errors).toMatch(/maxConnections/);
});

test('Gateway API: durations in hours to milliseconds, fractional mirror shares in millionths, protocols by appProtocol', () => {
  expect([1500, 2000, 90_061_001, 0.4, 30 * 3_600_000].map(gatewayDuration)).toEqual(['1s500ms', '2s', '25h1m1s1ms', '1ms', '30h']);
  const chart = routesOnly(new App(), MeshEngine.gatewayApi({ percentageMirrors: true }));
  new WeightedRoute(chart, 'shadow', {
    service: chart.node.findChild('orders') as MeshService,
    match: { headers: [HeaderMatch.exact('x-shadow', 'on')] },
    targets: [RouteTarget.version('v1')],
    mirror: RouteTarget.version('v2'),
    mirrorPercent: 12.5,
    priority: 200,
  });
  const manifests = chart.toJson();
  const route = manifests.find(o => o.kind === 'HTTPRoute' && o.metadata.name === 'orders');
  expect(route.spec.rules[1].filters).toEqual([{ type: 'RequestMirror', requestMirror: { backendRef: { name: 'orders-v2', port: 8080 }, fraction: { numerator: 125_000, denominator: 1_000_000 } } }]);
  expect(validateAll(manifests)).toEqual([]);
  const ports = (name: string) => manifests.find(o => o.kind === 'Service' && o.metadata.name === name).spec.ports.map((p: any) => p.appProtocol);
  expect([ports('orders'), ports('orders-v1'), ports('web')]).toEqual([['http'], ['http'], ['kubernetes.io/h2c']]);
});

test('Gateway API: routes whose paths cannot both match keep their order', () => {
  const chart = routesOnly(new App(), MeshEngine.gatewayApi({ percentageMirrors: true }));
  const orders = chart.node.findChild('orders') as MeshService;
  new WeightedRoute(chart, 'a', { service: orders, priority: 1, match: { path: PathMatch.exact('/a') }, targets: [RouteTarget.version('v1')] });
  new WeightedRoute(chart, 'b', { service: orders, priority: 2, match: { path: PathMatch.exact('/b'), headers: [HeaderMatch.exact('x', '1')] }, targets: [RouteTarget.version('v2')] });
  expect(() => chart.toJson()).not.toThrow();
});

test('an external host\'s rules name the host of its ServiceEntry, fully qualified, as Istio resolves a rule\'s short host', () => {
  const manifests = synth(shop, ISTIO(true));
  const entry = manifests.find(o => o.kind === 'ServiceEntry');
  expect(entry.spec.hosts).toEqual(['payments.shop.svc.cluster.local']);
  expect(entry.spec.exportTo).toEqual(['.']);
  for (const kind of ['DestinationRule', 'VirtualService']) {
    const rule = manifests.find(o => o.kind === kind && o.metadata.name === 'payments');
    expect(kind === 'DestinationRule' ? [rule.spec.host] : rule.spec.hosts).toEqual(entry.spec.hosts);
  }
  const dr = manifests.find(o => o.kind === 'DestinationRule' && o.metadata.name === 'payments');
  expect(dr.spec.trafficPolicy.tls).toEqual({ mode: 'SIMPLE', sni: 'api.payments.example.com', subjectAltNames: ['api.payments.example.com'] });
});

test('with PERMISSIVE mTLS plaintext requests pass, as on a static sidecar, and an edge namespace leaves declared callers to their own rules', () => {
  const chart = new Chart(new App(), 'permissive', { namespace: 'shop', disableResourceNameHashes: true });
  const mesh = new Mesh(chart, 'mesh', { engine: ISTIO(), mtls: MtlsMode.PERMISSIVE });
  const orders = new MeshService(chart, 'orders', { mesh, image: 'example/orders:1.0.0', port: 8080 });
  new MeshService(chart, 'web', { mesh, image: 'example/web:1.0.0', port: 3000 }).callTo(orders);
  orders.exposeTo(EdgePeer.namespace('shop'), { port: 9000 });
  const policy = chart.toJson().find(o => o.kind === 'AuthorizationPolicy' && o.metadata.name === 'orders');
  expect(policy.spec.rules).toEqual([
    { from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }] },
    { from: [{ source: { namespaces: ['shop'], notPrincipals: ['cluster.local/ns/shop/sa/web'] } }] },
    { from: [{ source: { notPrincipals: ['*'] } }] },
  ]);
});

test('token requirements leave out the paths of earlier rules: the first rule that matches decides, as on a static sidecar', () => {
  const chart = new Chart(new App(), 'nested', { namespace: 'shop', disableResourceNameHashes: true });
  const mesh = new Mesh(chart, 'mesh', { engine: ISTIO() });
  const orders = new MeshService(chart, 'orders', { mesh, image: 'example/orders:1.0.0', port: 8080 });
  const jwks = JwksSource.remote('https://keys.example.com/jwks.json');
  const overlap = JwtProviderOverlap.ANY_PROVIDER;
  new JwtAuthentication(chart, 'staff', { service: orders, issuer: 'https://staff.example.com', jwks, paths: [PathMatch.prefix('/admin/')], overlap });
  new JwtAuthentication(chart, 'users', { service: orders, issuer: 'https://users.example.com', jwks, paths: [PathMatch.prefix('/')], overlap });
  const deny = chart.toJson().find(o => o.kind === 'AuthorizationPolicy' && o.metadata.name === 'orders-jwt');
  // Without notPaths, a staff token on /admin/x (enough there) would meet the users-only rule of '/' too, and be denied.
  expect(deny.spec.rules.map((r: any) => [r.from[0].source.notRequestPrincipals, r.to[0].operation])).toEqual([
    [['https://staff.example.com/*', 'https://users.example.com/*'], { paths: ['/admin/*'] }],
    [['https://users.example.com/*'], { paths: ['/*'], notPaths: ['/admin/*'] }],
  ]);
});

test('a service no caller was declared for gets an ALLOW policy without rules, which Istio reads as deny-all', () => {
  const manifests = synth(canary, ISTIO());
  const users = manifests.find(o => o.kind === 'AuthorizationPolicy' && o.metadata.name === 'user-service');
  expect(users.spec).toEqual({ action: 'ALLOW', selector: { matchLabels: { 'mesh.cdk8s.io/service': 'user-service' } } });
});

test('on Istio, callers are named in the cluster.local trust domain, which Istio expands to its own and its aliases, whatever the mesh\'s trustDomain', () => {
  const chart = new Chart(new App(), 'trust', { namespace: 'shop', disableResourceNameHashes: true });
  const mesh = new Mesh(chart, 'mesh', { engine: ISTIO(), trustDomain: 'shop.example.com' });
  const orders = new MeshService(chart, 'orders', { mesh, image: 'example/orders:1.0.0', port: 8080 });
  new MeshService(chart, 'web', { mesh, image: 'example/web:1.0.0', port: 3000 }).callTo(orders);
  const policy = chart.toJson().find(o => o.kind === 'AuthorizationPolicy' && o.metadata.name === 'orders');
  expect(policy.spec.rules).toEqual([{ from: [{ source: { principals: ['cluster.local/ns/shop/sa/web'] } }] }]);
});
