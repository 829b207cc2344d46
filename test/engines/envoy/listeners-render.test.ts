import { assembled, clusterPlan, sidecarPlan, upstreamPlan } from './plans';
import {
  DownstreamTlsContext, HeaderMutation, HttpConnectionManager, HttpFilter, HttpRbac, JwtAuthentication, Listener, NetworkFilter, NetworkRbac,
  TcpProxy,
} from '../../../src/engines/envoy/types';
import { RetryCondition } from '../../../src/failover/retry';
import { JwtPlan, SidecarPlan } from '../../../src/plan/types';
import { Protocol } from '../../../src/protocol';
import { JwtProviderOverlap } from '../../../src/security/jwt-provider-overlap';
import { PathMatch } from '../../../src/traffic/route-match';
import { validateEnvoyBootstrap } from '../../validate/envoy';

/** The listener named `name` of the plan's sidecar. */
function listener(plan: SidecarPlan, name: string): Listener {
  const found = assembled(plan).static_resources.listeners.find((l: any) => l.name === name);
  if (!found) throw new Error(`no listener ${name}`);
  return found;
}

function hcm(filter: NetworkFilter): HttpConnectionManager {
  expect(filter.name).toBe('envoy.filters.network.http_connection_manager');
  return filter.typed_config as HttpConnectionManager;
}

/** The inline configuration of an HTTP filter (one configured through ECDS has none: that fails the test). */
function inlineConfig(filter: HttpFilter) {
  if (!('typed_config' in filter)) throw new Error(`HTTP filter ${filter.name} has no inline typed_config (it is discovered through ECDS)`);
  return filter.typed_config;
}

/** The routes of the outbound listener of `orders`. */
function outboundRoutes(plan: SidecarPlan) {
  const routeConfig = hcm(listener(plan, 'outbound_orders').filter_chains[0].filters[0]).route_config;
  if (!routeConfig) throw new Error('the outbound listener of orders has no inline route_config');
  return routeConfig.virtual_hosts[0].routes;
}

const CALLER = { name: 'web.shop', principal: 'spiffe://cluster.local/ns/shop/sa/web', rules: [] };

describe('outbound routes', () => {
  test('a split gives weighted clusters with its weights; a zero share is left out', () => {
    const plan = sidecarPlan({
      upstreams: [upstreamPlan({
        clusters: [clusterPlan('orders_v1'), clusterPlan('orders_v2'), clusterPlan('orders_v3')],
        routes: [{ match: {}, split: [{ cluster: 'orders_v1', weight: 90 }, { cluster: 'orders_v2', weight: 10 }, { cluster: 'orders_v3', weight: 0 }] }],
      })],
    });
    expect(outboundRoutes(plan)[0].route).toEqual({
      weighted_clusters: { clusters: [{ name: 'orders_v1', weight: 90 }, { name: 'orders_v2', weight: 10 }] },
    });
    expect(validateEnvoyBootstrap(assembled(plan))).toEqual([]);
  });

  test('a single target is a plain cluster, and the listener binds the planned loopback address', () => {
    const plan = sidecarPlan({ upstreams: [upstreamPlan()] });
    expect(outboundRoutes(plan)).toEqual([{ match: { prefix: '/' }, route: { cluster: 'orders_v1' } }]);
    expect(listener(plan, 'outbound_orders').address).toEqual({ socket_address: { address: '127.10.20.30', port_value: 8080 } });
  });

  test('a route with a retry spec gets its retry policy, timeout, mirror and header changes', () => {
    const plan = sidecarPlan({
      upstreams: [upstreamPlan({
        clusters: [clusterPlan('orders_v1'), clusterPlan('orders_v2')],
        routes: [{
          match: { path: PathMatch.prefix('/api/') },
          split: [{ cluster: 'orders_v1', weight: 100 }],
          timeoutMs: 1500,
          retry: { conditions: [RetryCondition.GATEWAY_ERROR], attempts: 3, backoffBaseMs: 25, retryOtherHost: false, retriableStatusCodes: [] },
          mirror: { cluster: 'orders_v2', percent: 5 },
          headersToSet: { 'x-route': 'api' },
          headersToRemove: ['x-debug'],
        }, { match: {}, split: [{ cluster: 'orders_v1', weight: 100 }] }],
      })],
    });
    const [api, rest] = outboundRoutes(plan);
    expect(api.match).toEqual({ prefix: '/api/' });
    expect(api.route).toMatchObject({
      timeout: '1.5s',
      retry_policy: { retry_on: 'gateway-error', num_retries: 2, retry_back_off: { base_interval: '0.025s' } },
      request_mirror_policies: [{ cluster: 'orders_v2', runtime_fraction: { default_value: { numerator: 50_000, denominator: 'MILLION' } } }],
    });
    expect(api.request_headers_to_add).toEqual([{ header: { key: 'x-route', value: 'api' }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' }]);
    expect(api.request_headers_to_remove).toEqual(['x-debug']);
    expect(rest.route).toEqual({ cluster: 'orders_v1' });
    expect(validateEnvoyBootstrap(assembled(plan))).toEqual([]);
  });

  test('injected faults run before the router', () => {
    const plan = sidecarPlan({ upstreams: [upstreamPlan({ fault: { abort: { httpStatus: 503, percent: 10 } } })] });
    const filters = hcm(listener(plan, 'outbound_orders').filter_chains[0].filters[0]).http_filters;
    expect(filters.map(f => f.name)).toEqual(['envoy.filters.http.header_mutation', 'envoy.filters.http.fault', 'envoy.filters.http.router']);
  });

  test('a TCP upstream is a TCP proxy to the last route\'s split, hashing the caller\'s address when asked', () => {
    const plan = sidecarPlan({
      upstreams: [upstreamPlan({
        protocol: Protocol.TCP,
        loadBalancing: { policy: 'ringHash', key: { kind: 'sourceIp' }, minimumRingSize: 1024 },
      })],
    });
    const proxy = listener(plan, 'outbound_orders').filter_chains[0].filters[0].typed_config as TcpProxy;
    expect(proxy).toMatchObject({ stat_prefix: 'outbound_orders', cluster: 'orders_v1', hash_policy: [{ source_ip: {} }] });
    expect(validateEnvoyBootstrap(assembled(plan))).toEqual([]);
  });
});

describe('inbound listener', () => {
  const transport = (l: Listener) => l.filter_chains.map(c => c.transport_socket?.typed_config as DownstreamTlsContext | undefined);

  test('under STRICT, one TLS chain requiring client certificates, callers authorized by identity', () => {
    const plan = sidecarPlan({ security: { authorization: { mode: 'ENFORCE', callers: [CALLER] } } });
    const inbound = listener(plan, 'inbound');
    expect(inbound.listener_filters).toBeUndefined();
    expect(inbound.filter_chains).toHaveLength(1);
    expect(transport(inbound)[0]).toMatchObject({ require_client_certificate: true, common_tls_context: { alpn_protocols: ['h2', 'http/1.1'] } });
    const rbac = inlineConfig(hcm(inbound.filter_chains[0].filters[0]).http_filters[1]) as HttpRbac;
    expect(rbac.rules).toEqual({
      action: 'ALLOW',
      policies: { 'web.shop': { permissions: [{ any: true }], principals: [{ authenticated: { principal_name: { exact: CALLER.principal } } }] } },
    });
    expect(validateEnvoyBootstrap(assembled(plan))).toEqual([]);
  });

  test('a caller narrowed to paths and methods may request only those', () => {
    const rules = [{ paths: [PathMatch.prefix('/orders/')], methods: ['GET'] }];
    const plan = sidecarPlan({ security: { authorization: { mode: 'ENFORCE', callers: [{ ...CALLER, rules }] } } });
    const rbac = inlineConfig(hcm(listener(plan, 'inbound').filter_chains[0].filters[0]).http_filters[1]) as HttpRbac;
    expect(rbac.rules?.policies['web.shop'].permissions).toEqual([{
      and_rules: {
        rules: [
          { or_rules: { rules: [{ url_path: { path: { prefix: '/orders/' } } }] } },
          { or_rules: { rules: [{ header: { name: ':method', string_match: { exact: 'GET' } } }] } },
        ],
      },
    }]);
  });

  test('in dry run, the same rules are shadow rules', () => {
    const plan = sidecarPlan({ security: { authorization: { mode: 'DRY_RUN', callers: [CALLER] } } });
    const rbac = inlineConfig(hcm(listener(plan, 'inbound').filter_chains[0].filters[0]).http_filters[1]) as HttpRbac;
    expect(rbac.rules).toBeUndefined();
    expect(rbac.shadow_rules?.policies).toHaveProperty(['web.shop']);
    expect(rbac.shadow_rules_stat_prefix).toBe('dry_run_');
  });

  test('under PERMISSIVE, a TLS chain chosen by the TLS inspector and a plaintext chain without authorization', () => {
    const plan = sidecarPlan({ security: { mtls: 'PERMISSIVE', authorization: { mode: 'ENFORCE', callers: [CALLER] } } });
    const inbound = listener(plan, 'inbound');
    expect(inbound.listener_filters?.map(f => f.name)).toEqual(['envoy.filters.listener.tls_inspector']);
    expect(inbound.filter_chains.map(c => c.filter_chain_match)).toEqual([{ transport_protocol: 'tls' }, undefined]);
    expect(transport(inbound)[1]).toBeUndefined();
    expect(hcm(inbound.filter_chains[1].filters[0]).http_filters.map(f => f.name)).toEqual(['envoy.filters.http.header_mutation', 'envoy.filters.http.router']);
    expect(validateEnvoyBootstrap(assembled(plan))).toEqual([]);
  });

  test('with mTLS disabled, plaintext and no authorization', () => {
    const plan = sidecarPlan({ security: { mtls: 'DISABLED', authorization: undefined } });
    const inbound = listener(plan, 'inbound');
    expect(transport(inbound)).toEqual([undefined]);
    expect(hcm(inbound.filter_chains[0].filters[0]).http_filters.map(f => f.name)).toEqual(['envoy.filters.http.header_mutation', 'envoy.filters.http.router']);
  });

  test('a TCP application gets network RBAC before the TCP proxy', () => {
    const plan = sidecarPlan({ app: { port: 5432, protocol: Protocol.TCP }, security: { authorization: { mode: 'ENFORCE', callers: [CALLER] } } });
    const [rbac, proxy] = listener(plan, 'inbound').filter_chains[0].filters;
    expect(rbac.name).toBe('envoy.filters.network.rbac');
    expect((rbac.typed_config as NetworkRbac).stat_prefix).toBe('inbound');
    expect(proxy.typed_config).toMatchObject({ stat_prefix: 'inbound', cluster: '_app' });
    expect(validateEnvoyBootstrap(assembled(plan))).toEqual([]);
  });
});

describe('JWT', () => {
  const jwt: JwtPlan = {
    providers: [
      {
        name: 'login',
        issuer: 'https://login.example.com/',
        audiences: [],
        forwardToken: true,
        claimHeaders: [{ claim: 'sub', header: 'x-user-id' }],
        keys: { uri: 'https://login.example.com/jwks.json', cluster: 'jwks_login.example.com', cacheDurationMs: 300_000 },
      },
      {
        name: 'partner',
        issuer: 'https://partner.example.com/',
        audiences: ['orders'],
        forwardToken: false,
        claimHeaders: [],
        keys: { file: '/etc/mesh/jwks/partner/jwks.json' },
      },
    ],
    rules: [
      { path: PathMatch.prefix('/api/'), providers: ['login', 'partner'], overlap: JwtProviderOverlap.ANY_PROVIDER },
      { path: PathMatch.prefix('/admin/'), providers: ['login'], overlap: JwtProviderOverlap.ANY_PROVIDER },
    ],
    headersWritten: ['x-user-id'],
    jwksClusters: [{ name: 'jwks_login.example.com', host: 'login.example.com', port: 443 }],
  };
  const plan = sidecarPlan({ security: { jwt, authorization: { mode: 'ENFORCE', callers: [CALLER] }, edges: [{ port: 8443, tls: true }] } });

  test('header_mutation strips the claim headers before jwt_authn, then authorization and the router', () => {
    const filters = hcm(listener(plan, 'inbound').filter_chains[0].filters[0]).http_filters;
    expect(filters.map(f => f.name)).toEqual([
      'envoy.filters.http.header_mutation', 'envoy.filters.http.jwt_authn', 'envoy.filters.http.rbac', 'envoy.filters.http.router',
    ]);
    expect((inlineConfig(filters[0]) as HeaderMutation).mutations.request_mutations).toContainEqual({ remove: 'x-user-id' });
  });

  test('providers and rules as planned: several providers on a path are any of them', () => {
    const authn = inlineConfig(hcm(listener(plan, 'inbound').filter_chains[0].filters[0]).http_filters[1]) as JwtAuthentication;
    expect(authn.providers.login).toMatchObject({
      remote_jwks: { http_uri: { cluster: 'jwks_login.example.com' }, cache_duration: '300s' },
      forward: true,
      claim_to_headers: [{ header_name: 'x-user-id', claim_name: 'sub' }],
    });
    expect(authn.providers.partner).toEqual({
      issuer: 'https://partner.example.com/', audiences: ['orders'], local_jwks: { filename: '/etc/mesh/jwks/partner/jwks.json' }, forward: false,
    });
    expect(authn.rules).toEqual([
      { match: { prefix: '/api/' }, requires: { requires_any: { requirements: [{ provider_name: 'login' }, { provider_name: 'partner' }] } } },
      { match: { prefix: '/admin/' }, requires: { provider_name: 'login' } },
    ]);
  });

  test('the edge listener verifies tokens too, with server TLS and no client certificate', () => {
    const edge = listener(plan, 'edge_8443');
    const tls = edge.filter_chains[0].transport_socket?.typed_config as DownstreamTlsContext;
    expect(tls.require_client_certificate).toBeUndefined();
    expect(hcm(edge.filter_chains[0].filters[0]).http_filters.map(f => f.name))
      .toEqual(['envoy.filters.http.header_mutation', 'envoy.filters.http.jwt_authn', 'envoy.filters.http.router']);
    expect(validateEnvoyBootstrap(assembled(plan))).toEqual([]);
  });
});

test('access logs, when planned, on every listener but stats', () => {
  const plan = sidecarPlan({ accessLogs: true, upstreams: [upstreamPlan()] });
  const tags = (l: Listener) => hcm(l.filter_chains[0].filters[0]).access_log?.map(log => log.typed_config.log_format.json_format.listener);
  const logged = (assembled(plan).static_resources.listeners as Listener[]).map(l => [l.name, tags(l)]);
  expect(logged).toEqual([['stats', undefined], ['inbound', ['inbound']], ['outbound_orders', ['outbound_orders']]]);
  expect(validateEnvoyBootstrap(assembled(plan))).toEqual([]);
});
