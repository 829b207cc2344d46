import { EdgePeer, JwksSource, JwtAuthentication, Mesh, MeshService, PathMatch } from '../../src';
import { envoyConfigOf, listenerNamed, networkFilterOf, newChart, outputProblems, synth, synthError, TEST_MESH } from '../helpers';
import { serve, unescapeSlashes } from './envoy-http-model';

/** A service whose `/api/` requires a token, with the `sub` claim copied to `x-user-id`, open to an ingress too. */
function protectedShop() {
  const chart = newChart();
  const mesh = new Mesh(chart, 'mesh', TEST_MESH);
  const orders = new MeshService(chart, 'order-service', { mesh, image: 'example/orders:1.0.0', port: 8080 });
  const users = new MeshService(chart, 'user-service', { mesh, image: 'example/users:1.0.0', port: 3000 });
  users.callTo(orders);
  orders.exposeTo(EdgePeer.namespace('ingress-nginx'), { port: 8081 });
  new JwtAuthentication(chart, 'login', {
    service: orders,
    issuer: 'https://login.example.com/',
    jwks: JwksSource.remote('https://login.example.com/jwks.json'),
    paths: [PathMatch.prefix('/api/')],
    claimHeaders: { sub: 'X-User-Id', email: 'x-user-email' },
  });
  return synth(chart);
}

const forged: Array<[string, string]> = [['x-user-id', 'admin'], ['x_user_id', 'admin'], ['x-user-email', 'root@example.com']];

describe('claim headers cannot be forged', () => {
  const manifests = protectedShop();
  const bootstrap = envoyConfigOf(manifests, 'order-service');

  test.each(['inbound', 'edge_8081'])('on %s, a client copy never reaches the application, on any path', listener => {
    const hcm = networkFilterOf(listenerNamed(bootstrap, listener));
    // Outside the JWT rule no verifier runs, so only the strip keeps the forged values out.
    const outside = serve(hcm, { path: '/health', headers: forged });
    expect(outside).toEqual({ status: 200, headers: [] });
    // Inside it, the application sees the verified claims only.
    const inside = serve(hcm, { path: '/api/orders', headers: forged, tokens: { login: { sub: 'alice' } } });
    expect(inside).toEqual({ status: 200, headers: [['x-user-id', 'alice']] });
    expect(serve(hcm, { path: '/api/orders', headers: forged })).toEqual({ status: 401 });
  });

  test('the strip runs first in the chain and names every header jwt_authn writes', () => {
    for (const listener of ['inbound', 'edge_8081']) {
      const filters = networkFilterOf(listenerNamed(bootstrap, listener)).http_filters;
      expect(filters[0].name).toBe('envoy.filters.http.header_mutation');
      expect(filters[0].typed_config.mutations.request_mutations).toEqual(expect.arrayContaining([{ remove: 'x-user-email' }, { remove: 'x-user-id' }]));
    }
    expect(outputProblems(manifests)).toEqual([]);
  });

  test("outbound listeners keep the application's own headers", () => {
    const outbound = networkFilterOf(listenerNamed(envoyConfigOf(manifests, 'user-service'), 'outbound_order-service'));
    expect(outbound.common_http_protocol_options).toBeUndefined();
    expect(serve(outbound, { path: '/api/orders', headers: forged })).toEqual({ status: 200, headers: forged });
  });

  test('outbound listeners strip the x-envoy-* headers that would override the route\'s retries and timeouts', () => {
    const outbound = networkFilterOf(listenerNamed(envoyConfigOf(manifests, 'user-service'), 'outbound_order-service'));
    const overrides: Array<[string, string]> = [
      ['x-envoy-max-retries', '50'], ['x-envoy-retry-on', '5xx'], ['x-envoy-upstream-rq-timeout-ms', '600000'],
      ['x-envoy-upstream-rq-per-try-timeout-ms', '1'], ['x-envoy-hedge-on-per-try-timeout', 'true'], ['x-envoy-retriable-status-codes', '404'],
    ];
    expect(serve(outbound, { path: '/api/orders', headers: [...overrides, ['x-request-id', '7']] })).toEqual({ status: 200, headers: [['x-request-id', '7']] });
    expect(outbound.http_filters.map((f: any) => f.name)).toEqual(['envoy.filters.http.header_mutation', 'envoy.filters.http.router']);
  });

  test.each(['inbound', 'edge_8081'])('on %s, escaped slashes are unescaped and redirected, so %%2F cannot skip a path rule', listener => {
    const hcm = networkFilterOf(listenerNamed(bootstrap, listener));
    // UNESCAPE_AND_REDIRECT: "%2F" and "%5C" in any case are unescaped and the client redirected to the path the filters see
    // (path_with_escaped_slashes_action in envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto).
    expect(hcm.path_with_escaped_slashes_action).toBe('UNESCAPE_AND_REDIRECT');
    for (const variant of ['/api%2Forders', '/api%2forders', '/api%2F%2Forders']) {
      const seen = unescapeSlashes(variant).replace(/\/+/g, '/'); // merge_slashes is on too
      expect(serve(hcm, { path: seen, headers: [] })).toEqual({ status: 401 }); // the JWT rule on /api/ applies
    }
  });

  test.each(['inbound', 'edge_8081'])('on %s, x-envoy-* control headers of the client are stripped (an ingress peer counts as internal)', listener => {
    const hcm = networkFilterOf(listenerNamed(bootstrap, listener));
    const overrides: Array<[string, string]> = [['x-envoy-max-retries', '50'], ['x-envoy-upstream-rq-timeout-alt-response', '1']];
    expect(serve(hcm, { path: '/health', headers: [...overrides, ['accept', '*/*']] })).toEqual({ status: 200, headers: [['accept', '*/*']] });
  });

  test('headers with underscores are dropped on every listener other pods reach', () => {
    for (const listener of ['inbound', 'edge_8081']) {
      expect(networkFilterOf(listenerNamed(bootstrap, listener)).common_http_protocol_options)
        .toMatchObject({ headers_with_underscores_action: 'DROP_HEADER' });
    }
  });
});

describe('claim headers the strip could not protect are refused', () => {
  function claimInto(header: string): string {
    const chart = newChart();
    const orders = new MeshService(chart, 'order-service', { mesh: new Mesh(chart, 'mesh', TEST_MESH), image: 'example/orders:1.0.0', port: 8080 });
    new JwtAuthentication(chart, 'login', {
      service: orders, issuer: 'https://login.example.com/', jwks: JwksSource.remote('https://login.example.com/jwks.json'), claimHeaders: { sub: header },
    });
    return synthError(chart);
  }

  test("a name with '_' (the strip would remove x_user_id only; a client's x-user-id would reach the application beside the claim)", () => {
    expect(claimInto('x_user_id')).toMatch(
      /\[test\/login\] claim header 'x_user_id' contains '_': the sidecar strips only 'x_user_id', .* would read a client-sent 'x-user-id' as the claim; use 'x-user-id'/);
  });

  // Envoy's docs/root/configuration/http/http_conn_man/headers.rst, and the tracers' propagation headers.
  test.each([
    'x-forwarded-client-cert', 'X-Forwarded-For', 'x-forwarded-proto', 'x-forwarded-host', 'x-forwarded-port', 'x-request-id', 'x-client-trace-id',
    'user-agent', 'x-envoy-original-path', 'x-b3-traceid', 'b3', 'traceparent', 'tracestate', 'x-ot-span-context', 'x-datadog-trace-id', 'sw8',
    'x-amzn-trace-id', 'keep-alive',
  ])('%s, a header Envoy or HTTP sets itself', header => {
    expect(claimInto(header)).toMatch(new RegExp(`\\[test/login\\] claim header '${header}' is reserved: .*use a header of your own, such as x-user-id`));
  });

  test('pseudo-headers are not header names', () => {
    expect(claimInto(':authority')).toMatch(/claim header ':authority' is not a valid HTTP header name/);
  });
});
