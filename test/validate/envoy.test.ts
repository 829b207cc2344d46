import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { unsupportedValidationRules, validateEnvoyBootstrap } from './envoy';

/* eslint-disable @typescript-eslint/no-explicit-any -- mutations poke into untyped JSON */

const REFERENCE = parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'envoy-reference.yaml'), 'utf8'));

/** Paths into the reference configuration. */
const INBOUND_HCM = 'static_resources.listeners[0].filter_chains[0].filters[0].typed_config';
const INBOUND_ROUTE = `${INBOUND_HCM}.route_config.virtual_hosts[0].routes[0]`;
const TCP_PROXY = 'static_resources.listeners[2].filter_chains[0].filters[0].typed_config';
const PAYMENTS = 'static_resources.clusters[2]';

/** Validates a copy of the reference after `mutate` changed it. */
function errorsAfter(mutate: (config: any) => void): string[] {
  const config = structuredClone(REFERENCE);
  mutate(config);
  return validateEnvoyBootstrap(config);
}

function inboundHcm(config: any): any {
  return config.static_resources.listeners[0].filter_chains[0].filters[0].typed_config;
}

function inboundRoute(config: any): any {
  return inboundHcm(config).route_config.virtual_hosts[0].routes[0];
}

function tcpProxy(config: any): any {
  return config.static_resources.listeners[2].filter_chains[0].filters[0].typed_config;
}

function payments(config: any): any {
  return config.static_resources.clusters[2];
}

function jwtProviders(config: any): any {
  return inboundHcm(config).http_filters[0].typed_config.providers;
}

/** Every path (as keys/indices) to a value inside a JSON value. */
function jsonPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, child]) => {
    const at = [...prefix, Array.isArray(value) ? Number(key) : key];
    return [at, ...jsonPaths(child, at)];
  });
}

function setAt(config: any, at: (string | number)[], value: unknown): void {
  const parent = at.slice(0, -1).reduce((node, key) => node[key], config);
  parent[at[at.length - 1]] = value;
}

describe('the reference bootstrap', () => {
  test('is valid', () => {
    expect(validateEnvoyBootstrap(REFERENCE)).toEqual([]);
  });

  test('validates in milliseconds once the protos are loaded', () => {
    validateEnvoyBootstrap(REFERENCE);
    const start = process.hrtime.bigint();
    for (let i = 0; i < 20; i++) validateEnvoyBootstrap(REFERENCE);
    const perRunMs = Number(process.hrtime.bigint() - start) / 1e6 / 20;
    expect(perRunMs).toBeLessThan(50);
  });

  test('every PGV rule present in the loaded protos is enforced', () => {
    expect(unsupportedValidationRules()).toEqual([]);
  });
});

describe('proto3 JSON mapping', () => {
  test('rejects an unknown field at the top level', () => {
    expect(errorsAfter((c) => { c.bogus = 1; })).toEqual([
      "bogus: unknown field 'bogus' in envoy.config.bootstrap.v3.Bootstrap",
    ]);
  });

  test('rejects an unknown field inside a typed_config', () => {
    expect(errorsAfter((c) => { inboundHcm(c).stat_prefx = 'x'; })).toEqual([
      `${INBOUND_HCM}.stat_prefx: unknown field 'stat_prefx' in envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager`,
    ]);
  });

  test('rejects an unknown field inside a map value inside a typed_config', () => {
    expect(errorsAfter((c) => { jwtProviders(c).example.issuer_url = 'x'; })).toEqual([
      `${INBOUND_HCM}.http_filters[0].typed_config.providers.example.issuer_url: unknown field 'issuer_url' in envoy.extensions.filters.http.jwt_authn.v3.JwtProvider`,
    ]);
  });

  test('accepts lowerCamel JSON names, but not both spellings of one field', () => {
    expect(errorsAfter((c) => {
      payments(c).connectTimeout = payments(c).connect_timeout;
      delete payments(c).connect_timeout;
      payments(c).leastRequestLbConfig = { choiceCount: 3 };
      delete payments(c).least_request_lb_config;
    })).toEqual([]);
    expect(errorsAfter((c) => { payments(c).connectTimeout = '2s'; })).toEqual([
      `${PAYMENTS}.connectTimeout: field connect_timeout is set twice (as 'connect_timeout' and 'connectTimeout')`,
    ]);
  });

  test.each([
    ['a string for a uint32', (c: any) => { c.admin.address.socket_address.port_value = 'abc'; },
      'admin.address.socket_address.port_value: expected uint32 (an integer or a decimal string), got string "abc"'],
    ['a fraction for a uint32', (c: any) => { c.admin.address.socket_address.port_value = 1.5; },
      'admin.address.socket_address.port_value: expected uint32 (an integer or a decimal string), got number 1.5'],
    ['a negative uint32', (c: any) => { c.admin.address.socket_address.port_value = -1; },
      'admin.address.socket_address.port_value: -1 is out of range for uint32'],
    ['a number for a string', (c: any) => { c.node.id = 42; }, 'node.id: expected a string, got number 42'],
    ['a string for a bool', (c: any) => { inboundHcm(c).set_current_client_cert_details.uri = 'true'; },
      `${INBOUND_HCM}.set_current_client_cert_details.uri: expected a boolean, got string "true"`],
    ['an object for a wrapper', (c: any) => { payments(c).outlier_detection.consecutive_5xx = { value: 5 }; },
      `${PAYMENTS}.outlier_detection.consecutive_5xx: expected uint32 (an integer or a decimal string), got an object`],
    ['a string for a repeated field', (c: any) => { c.node.client_features = 'x'; }, 'node.client_features: expected an array, got string "x"'],
    ['a scalar for a message', (c: any) => { c.node = 'orders'; }, 'node: expected an object for envoy.config.core.v3.Node, got string "orders"'],
    ['bad base64 for bytes', (c: any) => { inboundRoute(c).request_headers_to_add = [{ header: { key: 'x-a', raw_value: 'a!b' } }]; },
      `${INBOUND_ROUTE}.request_headers_to_add[0].header.raw_value: expected base64-encoded bytes, got string "a!b"`],
  ])('rejects %s', (_name, mutate, error) => {
    expect(errorsAfter(mutate)).toEqual([error]);
  });

  test('accepts 64-bit integers as decimal strings, enums as numbers and bytes as base64', () => {
    expect(errorsAfter((c) => {
      c.static_resources.clusters[3].ring_hash_lb_config.minimum_ring_size = '1024';
      payments(c).lb_policy = 1;
      inboundRoute(c).request_headers_to_add = [{ header: { key: 'x-a', raw_value: 'aGVsbG8=' } }];
    })).toEqual([]);
  });

  test('rejects an unknown enum name', () => {
    expect(errorsAfter((c) => { payments(c).lb_policy = 'FOO'; })).toEqual([
      `${PAYMENTS}.lb_policy: unknown enum value 'FOO' for envoy.config.cluster.v3.Cluster.LbPolicy`,
    ]);
  });

  test('rejects an undefined enum number where the proto says defined_only', () => {
    expect(errorsAfter((c) => { payments(c).lb_policy = 99; })).toEqual([
      `${PAYMENTS}.lb_policy: must be a defined value of envoy.config.cluster.v3.Cluster.LbPolicy (got 99) [validate.rules enum]`,
    ]);
  });

  test.each(['1 s', '1000ms', '1.0000000001s', 's', '1'])('rejects the duration %j', (duration) => {
    expect(errorsAfter((c) => { payments(c).connect_timeout = duration; })).toEqual([
      `${PAYMENTS}.connect_timeout: expected a google.protobuf.Duration string like "1s" or "0.250s", got string ${JSON.stringify(duration)}`,
    ]);
  });

  test('rejects a number for a duration', () => {
    expect(errorsAfter((c) => { payments(c).connect_timeout = 1; })).toEqual([
      `${PAYMENTS}.connect_timeout: expected a google.protobuf.Duration string like "1s" or "0.250s", got number 1`,
    ]);
  });

  test('accepts any JSON in a Struct', () => {
    expect(errorsAfter((c) => { c.node.metadata = { a: { b: [1, null, 'x', true] }, c: null }; })).toEqual([]);
    expect(errorsAfter((c) => { c.node.metadata = [1]; })).toEqual(['node.metadata: expected an object (Struct), got an array']);
  });
});

describe('google.protobuf.Any', () => {
  test('rejects an unknown @type', () => {
    expect(errorsAfter((c) => {
      inboundHcm(c).http_filters[2].typed_config['@type'] = 'type.googleapis.com/envoy.extensions.filters.http.nope.v3.Nope';
    })).toEqual([
      `${INBOUND_HCM}.http_filters[2].typed_config.@type: unknown type 'type.googleapis.com/envoy.extensions.filters.http.nope.v3.Nope' (expected type.googleapis.com/<message type> of the loaded Envoy protos)`,
    ]);
  });

  test('rejects a missing @type', () => {
    expect(errorsAfter((c) => { delete inboundHcm(c).http_filters[3].typed_config['@type']; })).toEqual([
      `${INBOUND_HCM}.http_filters[3].typed_config: google.protobuf.Any requires an '@type' string`,
    ]);
  });

  test('validates the payload against the named type', () => {
    expect(errorsAfter((c) => {
      inboundHcm(c).http_filters[3].typed_config['@type'] = 'type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault';
    })).toEqual([
      `${INBOUND_HCM}.http_filters[3]: the last http filter must be terminal (envoy.extensions.filters.http.router.v3.Router), got envoy.extensions.filters.http.fault.v3.HTTPFault`,
    ]);
    expect(errorsAfter((c) => { inboundHcm(c).http_filters[3].typed_config.stat_prefix = 'x'; })).toEqual([
      `${INBOUND_HCM}.http_filters[3].typed_config.stat_prefix: unknown field 'stat_prefix' in envoy.extensions.filters.http.router.v3.Router`,
    ]);
  });

  test('validates map values (typed_extension_protocol_options) as Any', () => {
    expect(errorsAfter((c) => {
      payments(c).typed_extension_protocol_options['envoy.extensions.upstreams.http.v3.HttpProtocolOptions'].explicit_http_config = {
        http2_protocol_options: {}, http_protocol_options: {},
      };
    })).toEqual([
      `${PAYMENTS}.typed_extension_protocol_options["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"].explicit_http_config: only one of 'http2_protocol_options', 'http_protocol_options' may be set (oneof 'protocol_config' of envoy.extensions.upstreams.http.v3.HttpProtocolOptions.ExplicitHttpConfig)`,
    ]);
  });
});

describe('protoc-gen-validate rules', () => {
  test('a cluster without a name violates string.min_len', () => {
    expect(errorsAfter((c) => { delete c.static_resources.clusters[3].name; })).toEqual([
      'static_resources.clusters[3].name: must have at least 1 character (got "") [validate.rules string]',
    ]);
  });

  test('a socket_address without address violates string.min_len', () => {
    expect(errorsAfter((c) => { delete c.admin.address.socket_address.address; })).toEqual([
      'admin.address.socket_address.address: must have at least 1 character (got "") [validate.rules string]',
    ]);
  });

  test('least_request_lb_config.choice_count: 1 violates uint32.gte 2', () => {
    expect(errorsAfter((c) => { payments(c).least_request_lb_config.choice_count = 1; })).toEqual([
      `${PAYMENTS}.least_request_lb_config.choice_count: must be >= 2 (got 1) [validate.rules uint32]`,
    ]);
  });

  test('a port above 65535 violates uint32.lte', () => {
    expect(errorsAfter((c) => { c.admin.address.socket_address.port_value = 70000; })).toEqual([
      'admin.address.socket_address.port_value: must be <= 65535 (got 70000) [validate.rules uint32]',
    ]);
  });

  test('an abort status outside [200, 600) violates uint32.gte/lt', () => {
    expect(errorsAfter((c) => { inboundHcm(c).http_filters[2].typed_config.abort.http_status = 600; })).toEqual([
      `${INBOUND_HCM}.http_filters[2].typed_config.abort.http_status: must be >= 200 and < 600 (got 600) [validate.rules uint32]`,
    ]);
  });

  test('a zero connect_timeout violates duration.gt', () => {
    expect(errorsAfter((c) => { payments(c).connect_timeout = '0s'; })).toEqual([
      `${PAYMENTS}.connect_timeout: must be > 0s (got 0s) [validate.rules duration]`,
    ]);
  });

  test('a health check without timeout violates duration.required', () => {
    expect(errorsAfter((c) => { delete payments(c).health_checks[0].timeout; })).toEqual([
      `${PAYMENTS}.health_checks[0].timeout: timeout is required [validate.rules]`,
    ]);
  });

  test('a route without match violates message.required', () => {
    expect(errorsAfter((c) => { delete inboundRoute(c).match; })).toEqual([
      `${INBOUND_ROUTE}.match: match is required [validate.rules]`,
    ]);
  });

  test('a route match without a path specifier violates the required oneof', () => {
    expect(errorsAfter((c) => { inboundRoute(c).match = {}; })).toEqual([
      `${INBOUND_ROUTE}.match: one of prefix, path, safe_regex, connect_matcher, path_separated_prefix, path_match_policy is required (oneof 'path_specifier' of envoy.config.route.v3.RouteMatch) [validate.required]`,
    ]);
  });

  test('an RBAC policy without permissions violates repeated.min_items (map value)', () => {
    expect(errorsAfter((c) => { inboundHcm(c).http_filters[1].typed_config.rules.policies.callers.permissions = []; })).toEqual([
      `${INBOUND_HCM}.http_filters[1].typed_config.rules.policies.callers.permissions: must have at least 1 item (got 0) [validate.rules repeated]`,
    ]);
  });

  test('an empty metadata namespace violates map.keys', () => {
    expect(errorsAfter((c) => { payments(c).metadata = { filter_metadata: { '': {} } }; })).toEqual([
      `${PAYMENTS}.metadata.filter_metadata[""]: map key must have at least 1 character (got "") [validate.rules string]`,
    ]);
  });

  test('header names violate well_known_regex (strict) or its loose form (strict: false)', () => {
    expect(errorsAfter((c) => { jwtProviders(c).example.forward_payload_header = 'x jwt'; })).toEqual([]);
    expect(errorsAfter((c) => { jwtProviders(c).example.forward_payload_header = 'x\njwt'; })).toEqual([
      `${INBOUND_HCM}.http_filters[0].typed_config.providers.example.forward_payload_header: must be a valid HTTP_HEADER_NAME (got "x\\njwt") [validate.rules string]`,
    ]);
    expect(errorsAfter((c) => {
      const options = payments(c).typed_extension_protocol_options['envoy.extensions.upstreams.http.v3.HttpProtocolOptions'];
      options.upstream_http_protocol_options = { override_auto_sni_header: 'x jwt' };
    })).toEqual([
      `${PAYMENTS}.typed_extension_protocol_options["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"].upstream_http_protocol_options.override_auto_sni_header: must be a valid HTTP_HEADER_NAME (got "x jwt") [validate.rules string]`,
    ]);
  });

  test('an unexpected RBAC permission any: false violates bool.const', () => {
    expect(errorsAfter((c) => { inboundHcm(c).http_filters[1].typed_config.rules.policies.callers.permissions[0].any = false; })).toEqual([
      `${INBOUND_HCM}.http_filters[1].typed_config.rules.policies.callers.permissions[0].any: must be true [validate.rules bool]`,
    ]);
  });
});

describe('oneofs', () => {
  test('rejects two members of one oneof', () => {
    expect(errorsAfter((c) => { inboundRoute(c).match.path = '/x'; })).toEqual([
      `${INBOUND_ROUTE}.match: only one of 'prefix', 'path' may be set (oneof 'path_specifier' of envoy.config.route.v3.RouteMatch)`,
    ]);
  });

  test('treats null as unset', () => {
    expect(errorsAfter((c) => { inboundRoute(c).match.path = null; })).toEqual([]);
  });
});

describe('references and uniqueness', () => {
  test('rejects a route to an unknown cluster', () => {
    expect(errorsAfter((c) => { inboundRoute(c).route.cluster = 'nope'; })).toEqual([
      `${INBOUND_ROUTE}.route.cluster: unknown cluster 'nope' (not in static_resources.clusters)`,
    ]);
  });

  test('rejects weighted and mirrored routes to unknown clusters', () => {
    expect(errorsAfter((c) => {
      inboundRoute(c).route = {
        weighted_clusters: { clusters: [{ name: 'local_app', weight: 1 }, { name: 'gone', weight: 1 }] },
        request_mirror_policies: [{ cluster: 'shadow' }],
      };
    })).toEqual([
      `${INBOUND_ROUTE}.route.weighted_clusters.clusters[1].name: unknown cluster 'gone' (not in static_resources.clusters)`,
      `${INBOUND_ROUTE}.route.request_mirror_policies[0].cluster: unknown cluster 'shadow' (not in static_resources.clusters)`,
    ]);
  });

  test('rejects a tcp_proxy to an unknown cluster', () => {
    expect(errorsAfter((c) => { tcpProxy(c).cluster = 'nope'; })).toEqual([
      `${TCP_PROXY}.cluster: unknown cluster 'nope' (not in static_resources.clusters)`,
    ]);
    expect(errorsAfter((c) => {
      delete tcpProxy(c).cluster;
      tcpProxy(c).weighted_clusters = { clusters: [{ name: 'payments', weight: 1 }, { name: 'nope', weight: 1 }] };
    })).toEqual([
      `${TCP_PROXY}.weighted_clusters.clusters[1].name: unknown cluster 'nope' (not in static_resources.clusters)`,
    ]);
  });

  test('rejects remote JWKS fetched from an unknown cluster', () => {
    expect(errorsAfter((c) => {
      const provider = jwtProviders(c).example;
      delete provider.local_jwks;
      provider.remote_jwks = { http_uri: { uri: 'https://issuer.example.com/jwks', cluster: 'issuer', timeout: '1s' } };
    })).toEqual([
      `${INBOUND_HCM}.http_filters[0].typed_config.providers.example.remote_jwks.http_uri.cluster: unknown cluster 'issuer' (not in static_resources.clusters)`,
    ]);
  });

  test('rejects an aggregate cluster over an unknown cluster', () => {
    expect(errorsAfter((c) => {
      c.static_resources.clusters.push({
        name: 'agg',
        connect_timeout: '1s',
        lb_policy: 'CLUSTER_PROVIDED',
        cluster_type: {
          name: 'envoy.clusters.aggregate',
          typed_config: { '@type': 'type.googleapis.com/envoy.extensions.clusters.aggregate.v3.ClusterConfig', 'clusters': ['payments', 'backup'] },
        },
      });
    })).toEqual([
      "static_resources.clusters[4].cluster_type.typed_config.clusters[1]: unknown cluster 'backup' (not in static_resources.clusters)",
    ]);
  });

  test('rejects a duplicate cluster name', () => {
    expect(errorsAfter((c) => { c.static_resources.clusters[3].name = 'payments'; c.static_resources.clusters[3].load_assignment.cluster_name = 'payments'; })).toEqual([
      "static_resources.clusters[3].name: duplicate cluster name 'payments' (also at static_resources.clusters[2])",
    ]);
  });

  test('rejects a duplicate listener name and a duplicate listener address', () => {
    expect(errorsAfter((c) => { c.static_resources.listeners[1].name = 'inbound'; })).toEqual([
      "static_resources.listeners[1].name: duplicate listener name 'inbound' (also at static_resources.listeners[0])",
    ]);
    expect(errorsAfter((c) => { c.static_resources.listeners[1].address.socket_address.port_value = 15006; })).toEqual([
      "static_resources.listeners[1].address: duplicate listener address 'TCP 0.0.0.0:15006' (also at static_resources.listeners[0].address)",
    ]);
    expect(errorsAfter((c) => { c.static_resources.listeners[2].address.socket_address.port_value = 15000; })).toEqual([
      "static_resources.listeners[2].address: duplicate listener address 'TCP 127.0.0.1:15000' (also at admin.address)",
    ]);
  });
});

describe('Envoy load-time checks', () => {
  test('a STATIC cluster needs load_assignment and IP endpoints', () => {
    expect(errorsAfter((c) => { delete c.static_resources.clusters[0].load_assignment; })).toEqual([
      'static_resources.clusters[0].load_assignment: load_assignment (with cluster_name and endpoints) is required for a STATIC cluster',
    ]);
    expect(errorsAfter((c) => { c.static_resources.clusters[0].load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address = 'localhost'; })).toEqual([
      "static_resources.clusters[0].load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address: a STATIC cluster's endpoint must be an IP address (got 'localhost'); use STRICT_DNS for hostnames",
    ]);
  });

  test('load_assignment.cluster_name is required', () => {
    expect(errorsAfter((c) => { delete payments(c).load_assignment.cluster_name; })).toEqual([
      `${PAYMENTS}.load_assignment.cluster_name: must have at least 1 character (got "") [validate.rules string]`,
    ]);
  });

  test('the router must be the last HTTP filter and tcp_proxy the last network filter', () => {
    expect(errorsAfter((c) => { inboundHcm(c).http_filters.reverse(); })).toEqual([
      `${INBOUND_HCM}.http_filters[0]: terminal http filter envoy.extensions.filters.http.router.v3.Router must be the last filter`,
      `${INBOUND_HCM}.http_filters[3]: the last http filter must be terminal (envoy.extensions.filters.http.router.v3.Router), got envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication`,
    ]);
    expect(errorsAfter((c) => {
      const filters = c.static_resources.listeners[2].filter_chains[0].filters;
      filters.push({ ...filters[0] });
    })).toEqual([
      `${TCP_PROXY.replace('.typed_config', '')}: terminal network filter envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy must be the last filter`,
    ]);
  });

  test('rejects duplicate domains across virtual hosts', () => {
    expect(errorsAfter((c) => {
      const hosts = inboundHcm(c).route_config.virtual_hosts;
      hosts.push({ ...hosts[0], name: 'other' });
    })).toEqual([
      `${INBOUND_HCM}.route_config.virtual_hosts[1].domains[0]: duplicate domain '*' (also at ${INBOUND_HCM}.route_config.virtual_hosts[0].domains[0])`,
    ]);
  });

  test('an endpoint of a STRICT_DNS cluster needs an address', () => {
    expect(errorsAfter((c) => { payments(c).load_assignment.endpoints[1].lb_endpoints[0].endpoint = {}; })).toEqual([
      `${PAYMENTS}.load_assignment.endpoints[1].lb_endpoints[0].endpoint.address: an endpoint address is required in a STRICT_DNS cluster`,
    ]);
  });

  test('a listener needs an address and a filter chain', () => {
    expect(errorsAfter((c) => { c.static_resources.listeners[1] = { name: 'empty' }; })).toEqual([
      'static_resources.listeners[1].address: a listener needs an address (unless api_listener or internal_listener is set)',
      'static_resources.listeners[1].filter_chains: a listener needs at least one filter chain (or default_filter_chain)',
    ]);
  });

  test('a server TLS context needs a certificate', () => {
    expect(errorsAfter((c) => {
      delete c.static_resources.listeners[0].filter_chains[0].transport_socket.typed_config.common_tls_context.tls_certificate_sds_secret_configs;
    })).toEqual([
      'static_resources.listeners[0].filter_chains[0].transport_socket.typed_config.common_tls_context: a DownstreamTlsContext needs a certificate (tls_certificates, tls_certificate_sds_secret_configs or a provider)',
    ]);
  });

  test('JWT rules may only require configured providers', () => {
    expect(errorsAfter((c) => {
      inboundHcm(c).http_filters[0].typed_config.rules[0].requires = {
        requires_any: { requirements: [{ provider_name: 'example' }, { provider_and_audiences: { provider_name: 'other', audiences: ['a'] } }] },
      };
    })).toEqual([
      `${INBOUND_HCM}.http_filters[0].typed_config.rules[0].requires.requires_any.requirements[1].provider_and_audiences.provider_name: unknown JWT provider 'other' (not in providers)`,
    ]);
  });

  test('rejects enum values that Envoy disallows by default', () => {
    expect(errorsAfter((c) => {
      c.dynamic_resources = { ads_config: { api_type: 'DEPRECATED_AND_UNAVAILABLE_DO_NOT_USE', transport_api_version: 'V3' } };
    })).toEqual([
      "dynamic_resources.ads_config.api_type: enum value 'DEPRECATED_AND_UNAVAILABLE_DO_NOT_USE' of envoy.config.core.v3.ApiConfigSource.ApiType is deprecated and disallowed by default",
    ]);
  });

  test('does not require referenced clusters to be static when CDS is configured', () => {
    expect(errorsAfter((c) => {
      c.dynamic_resources = { cds_config: { ads: {}, resource_api_version: 'V3' } };
      inboundRoute(c).route.cluster = 'from_cds';
    })).toEqual([]);
  });

  test('never throws on junk anywhere in the configuration', () => {
    const junk = [{}, 'x', 7, []];
    for (const at of jsonPaths(REFERENCE)) {
      for (const value of junk) {
        expect(() => errorsAfter((c) => setAt(c, at, value))).not.toThrow();
      }
    }
  });

  test('rejects a non-object bootstrap', () => {
    expect(validateEnvoyBootstrap([])).toEqual(['(root): expected an object for envoy.config.bootstrap.v3.Bootstrap, got an array']);
    expect(validateEnvoyBootstrap({})).toEqual([]);
  });
});
