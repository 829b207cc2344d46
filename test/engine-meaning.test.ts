import { App, Chart } from 'cdk8s';
import { CanaryChart } from '../examples/canary/canary';
import {
  AuthorizationPolicy, GatewayApiPolicies, HeaderMatch, HttpMethod, Mesh, MeshEngine, MeshService, PathMatch, RouteTarget, WeightedRoute,
} from '../src';
import { gatewayRoute, istioAllows, istioRoute, Request } from './engine-resource-model';

/**
 * What the Istio and Gateway API resources mean, evaluated by the model of
 * test/engine-resource-model.ts: who an AuthorizationPolicy lets through, and
 * where a VirtualService or an HTTPRoute sends a request.
 */
const ISTIO = () => MeshEngine.istio({ decodeAndMergeSlashes: true });
const GATEWAY_API_ISTIO = () => MeshEngine.gatewayApi({ policies: GatewayApiPolicies.ISTIO, istioDecodeAndMergeSlashes: true });

/** Orders, called by web (anything) and batch (GETs of reports only); a canary split, and v2 for requests with both beta headers. */
function orders(engine: MeshEngine): any[] {
  const chart = new Chart(new App(), 'meaning', { namespace: 'shop', disableResourceNameHashes: true });
  const mesh = new Mesh(chart, 'mesh', { engine });
  const service = new MeshService(chart, 'orders', { mesh, image: 'example/orders:1.0.0', port: 8080 });
  service.addVersion('v2');
  const web = new MeshService(chart, 'web', { mesh, image: 'example/web:1.0.0', port: 3000 });
  const batch = new MeshService(chart, 'batch', { mesh, image: 'example/batch:1.0.0', port: 3001 });
  web.callTo(service);
  batch.callTo(service);
  new AuthorizationPolicy(chart, 'batch-reports', { service, caller: batch, paths: [PathMatch.prefix('/reports/'), PathMatch.exact('/export')], methods: [HttpMethod.GET] });
  new WeightedRoute(chart, 'canary', { service, targets: [RouteTarget.version('v1', 90), RouteTarget.version('v2', 10)] });
  new WeightedRoute(chart, 'beta', {
    service,
    match: { headers: [HeaderMatch.exact('x-beta', 'on'), HeaderMatch.exact('x-tenant', 'acme')] },
    targets: [RouteTarget.version('v2')],
  });
  return chart.toJson();
}

const named = (manifests: any[], kind: string, name: string) => manifests.find(o => o.kind === kind && o.metadata.name === name);
const principal = (sa: string, namespace = 'shop') => `cluster.local/ns/${namespace}/sa/${sa}`;

describe.each([['Istio', ISTIO], ['Gateway API with Istio policies', GATEWAY_API_ISTIO]] as const)('authorization on %s', (_name, engine) => {
  const policy = named(orders(engine()), 'AuthorizationPolicy', 'orders');
  const allowed = (sa: string | undefined, method: string, path: string) => istioAllows(policy, { principal: sa && principal(sa), method, path });

  test('a caller narrowed by an AuthorizationPolicy may make only the requests it names', () => {
    expect(allowed('batch', 'GET', '/reports/2024')).toBe(true); // positive control
    expect(allowed('batch', 'GET', '/export')).toBe(true);
    expect(allowed('batch', 'POST', '/reports/2024')).toBe(false);
    expect(allowed('batch', 'GET', '/export/all')).toBe(false);
    expect(allowed('batch', 'GET', '/admin')).toBe(false);
  });

  test('a caller without a policy may make any request; an undeclared identity or none may make none', () => {
    expect(allowed('web', 'DELETE', '/admin')).toBe(true);
    expect(allowed('web', 'GET', '/reports/2024')).toBe(true);
    for (const sa of ['orders', 'stranger', undefined]) expect(allowed(sa, 'GET', '/reports/2024')).toBe(false);
    expect(istioAllows(policy, { principal: principal('batch', 'other'), method: 'GET', path: '/export' })).toBe(false);
  });
});

const BOTH: Request = { method: 'GET', path: '/orders', headers: { 'x-beta': 'on', 'x-tenant': 'acme' } };
const ONLY_BETA: Request = { ...BOTH, headers: { 'x-beta': 'on' } };
const ONLY_TENANT: Request = { ...BOTH, headers: { 'x-tenant': 'acme' } };
const WRONG_TENANT: Request = { ...BOTH, headers: { 'x-beta': 'on', 'x-tenant': 'other' } };
const NEITHER: Request = { method: 'GET', path: '/orders' };

test('Istio: a VirtualService sends a request to v2 only when every header of the match is there', () => {
  const vs = named(orders(ISTIO()), 'VirtualService', 'orders');
  expect(istioRoute(vs, BOTH)).toEqual({ v2: 100 });
  for (const request of [ONLY_BETA, ONLY_TENANT, WRONG_TENANT, NEITHER]) expect(istioRoute(vs, request)).toEqual({ v1: 90, v2: 10 });
});

test('Gateway API: an HTTPRoute sends a request to v2 only when every header of the match is there', () => {
  const route = named(orders(GATEWAY_API_ISTIO()), 'HTTPRoute', 'orders');
  expect(gatewayRoute(route, BOTH)).toEqual({ 'orders-v2': 100 });
  for (const request of [ONLY_BETA, ONLY_TENANT, WRONG_TENANT, NEITHER]) expect(gatewayRoute(route, request)).toEqual({ 'orders-v1': 90, 'orders-v2': 10 });
});

describe.each([
  ['Istio', ISTIO, (m: any[], r: Request) => istioRoute(named(m, 'VirtualService', 'order-service'), r), { v2: 100 }, { v1: 90, v2: 10 }],
  ['Gateway API', GATEWAY_API_ISTIO, (m: any[], r: Request) => gatewayRoute(named(m, 'HTTPRoute', 'order-service'), r),
    { 'order-service-v2': 100 }, { 'order-service-v1': 90, 'order-service-v2': 10 }],
] as const)('the canary example on %s', (_name, engine, routeOf, v2, split) => {
  const manifests = new CanaryChart(new App(), 'canary', { engine: engine() }).toJson();

  test('sends every request carrying x-canary: true to v2, and splits the rest 90/10', () => {
    expect(routeOf(manifests, { method: 'POST', path: '/orders/7', headers: { 'x-canary': 'true' } })).toEqual(v2);
    expect(routeOf(manifests, { method: 'POST', path: '/orders/7', headers: { 'x-canary': 'false' } })).toEqual(split);
    expect(routeOf(manifests, { method: 'GET', path: '/' })).toEqual(split);
  });
});
