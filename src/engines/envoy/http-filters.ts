import { envoyMillis } from './duration';
import { discoveredFileSource } from './files';
import { HeaderMutation, HttpFilter, JwtAuthentication, JwtProvider, JwtRequirementRule, TYPE_URL, TypedExtension, TypedExtensionConfig } from './types';
import { JwtProviderPlan, SidecarPlan } from '../../plan/types';
import { JwtProviderOverlap } from '../../security/jwt-provider-overlap';
import { JwtRulePlan } from '../../security/jwt-rules';
import { renderMatch } from '../../traffic/route-match';

/** The HTTP filters the sidecar's listeners share: the strip of Envoy's control headers, and JWT authentication. */

/** The JWT filter, when the service requires end-user tokens. */
export function jwtFilters(plan: SidecarPlan): HttpFilter[] {
  const jwt = plan.security.jwt;
  if (!jwt) return [];
  const authn: TypedExtension<JwtAuthentication> = {
    name: 'envoy.filters.http.jwt_authn',
    typed_config: {
      '@type': `${TYPE_URL}envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication`,
      'providers': Object.fromEntries(jwt.providers.map(provider => [provider.name, jwtProvider(provider)])),
      'rules': jwt.rules.map(jwtRule),
    },
  };
  return [authn];
}

/**
 * Request headers through which a client can override the route's retry and
 * timeout policy (or hide a timeout behind a 204). Envoy's router reads them
 * from every request it treats as internal (source/common/router/router.cc,
 * retry_state_impl.cc): an application on loopback, and before Envoy 1.33 any
 * peer with a private address, such as an ingress controller. Every listener
 * strips them first, so no client can defeat the mesh's retry-amplification
 * and timeout-budget checks.
 */
export const ENVOY_CONTROL_HEADERS = [
  'x-envoy-max-retries', 'x-envoy-retry-on', 'x-envoy-retry-grpc-on', 'x-envoy-retriable-status-codes', 'x-envoy-retriable-header-names',
  'x-envoy-upstream-rq-timeout-ms', 'x-envoy-upstream-rq-per-try-timeout-ms', 'x-envoy-expected-rq-timeout-ms',
  'x-envoy-upstream-rq-timeout-alt-response', 'x-envoy-hedge-on-per-try-timeout', 'x-envoy-upstream-stream-duration-ms',
  'x-envoy-upstream-alt-stat-name', 'x-envoy-internal', 'x-envoy-force-trace', 'x-envoy-ip-tags',
];

/** Key (and file name) of the strip of control headers the outbound listeners share. */
export const CONTROL_HEADER_STRIP_FILE = 'ecds.strip-control-headers.json';
/** The filter's name, which names its resource too: the name of the header_mutation filter it is an instance of. */
const CONTROL_HEADER_STRIP = 'envoy.filters.http.header_mutation';

/**
 * The strip of control headers of every outbound listener, as one resource
 * of its own file (ECDS) instead of a copy per upstream. Envoy subscribes to
 * an HTTP filter's `config_discovery` source like to any other xDS source,
 * files included, and takes exactly one resource named as the filter
 * (`FilterConfigSubscription` in source/common/filter/config_discovery_impl.cc).
 * A listener waits for it before it serves. The strip fails closed: without
 * the file the listener is refused (file sources must exist), and with an
 * invalid one it answers 500 (`HttpFilter.config_discovery` in
 * envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto).
 */
export function controlHeaderStrip(): TypedExtensionConfig {
  return { name: CONTROL_HEADER_STRIP, typed_config: removeRequestHeaders(ENVOY_CONTROL_HEADERS).typed_config };
}

export const SHARED_CONTROL_HEADER_STRIP: HttpFilter = {
  name: CONTROL_HEADER_STRIP,
  config_discovery: {
    config_source: discoveredFileSource(CONTROL_HEADER_STRIP_FILE),
    type_urls: [`${TYPE_URL}envoy.extensions.filters.http.header_mutation.v3.HeaderMutation`],
  },
};

/** A header_mutation filter that removes `headers` from the request where it stands in the chain (in `decodeHeaders`). */
export function removeRequestHeaders(headers: string[]): TypedExtension<HeaderMutation> {
  return {
    name: 'envoy.filters.http.header_mutation',
    typed_config: {
      '@type': `${TYPE_URL}envoy.extensions.filters.http.header_mutation.v3.HeaderMutation`,
      'mutations': { request_mutations: headers.map(remove => ({ remove })) },
    },
  };
}

/** A jwt_authn provider: its issuer, the keys that verify its tokens, what it passes on. */
function jwtProvider(provider: JwtProviderPlan): JwtProvider {
  const { issuer, audiences, keys, forwardToken, claimHeaders } = provider;
  return {
    issuer,
    ...(audiences.length > 0 && { audiences }),
    ...('uri' in keys
      ? { remote_jwks: { http_uri: { uri: keys.uri, cluster: keys.cluster, timeout: '5s' }, cache_duration: envoyMillis(keys.cacheDurationMs) } }
      : { local_jwks: { filename: keys.file } }),
    forward: forwardToken,
    ...(claimHeaders.length > 0 && { claim_to_headers: claimHeaders.map(({ claim, header }) => ({ header_name: header, claim_name: claim })) }),
  };
}

/** A jwt_authn rule: one provider, or several combined as declared. */
function jwtRule(rule: JwtRulePlan): JwtRequirementRule {
  const requirements = rule.providers.map(provider_name => ({ provider_name }));
  const combined = rule.overlap === JwtProviderOverlap.ALL_PROVIDERS ? { requires_all: { requirements } } : { requires_any: { requirements } };
  return {
    match: renderMatch({ path: rule.path }),
    requires: requirements.length === 1 ? requirements[0] : combined,
  };
}
