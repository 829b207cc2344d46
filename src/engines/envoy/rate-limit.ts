import { APP_CLUSTER } from './clusters';
import { constructMetadata } from './construct-metadata';
import { envoyMillis } from './duration';
import { HttpFilter, LocalRateLimit, Route, TYPE_URL } from './types';
import { InboundRateLimitPlan, RateLimitPlan } from '../../plan/types';
import { renderMatch } from '../../traffic/route-match';

const LOCAL_RATE_LIMIT = 'envoy.filters.http.local_ratelimit';
const LOCAL_RATE_LIMIT_TYPE = `${TYPE_URL}envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit` as const;
const STAT_PREFIX = 'rate_limit';
const ALL = { numerator: 100, denominator: 'HUNDRED' as const };

/**
 * Where requests of callers go: to the application, through the rate limits
 * if the service has any. On the inbound listener, mesh callers' health
 * checks (a GET on an exempt path) pass unlimited; `exempt` is false for edge
 * listeners, whose clients health-check nothing.
 */
export function applicationRoutes(rateLimits: InboundRateLimitPlan | undefined, grpc: boolean, exempt = true): Route[] {
  // Routes without a metadata of their own belong to the service, which the virtual host names.
  const toApp = { cluster: APP_CLUSTER, timeout: '0s' };
  const catchAll: Route = { match: { prefix: '/' }, route: toApp };
  if (!rateLimits) return [catchAll];
  const limited = rateLimits.limits.map(limit => ({
    match: limit.path ? renderMatch({ path: limit.path }) : { prefix: '/' },
    route: toApp,
    ...constructMetadata(limit.source),
    typed_per_filter_config: { [LOCAL_RATE_LIMIT]: bucket(limit, grpc) },
  }));
  return [
    ...(exempt ? rateLimits.exemptPaths : []).map(path => ({
      match: { path, headers: [{ name: ':method', string_match: { exact: 'GET' } }] },
      route: toApp,
    })),
    ...limited,
    ...(rateLimits.limits.some(limit => !limit.path) ? [] : [catchAll]),
  ];
}

/**
 * The local_ratelimit filter, after authorization: without a bucket of its
 * own it limits only the routes that carry one (typed_per_filter_config).
 */
export function rateLimitFilter(): HttpFilter {
  return { name: LOCAL_RATE_LIMIT, typed_config: { '@type': LOCAL_RATE_LIMIT_TYPE, 'stat_prefix': STAT_PREFIX } };
}

/**
 * One route's token bucket. `filter_enabled` and `filter_enforced` default to
 * 0% (local_rate_limit.proto): both are set to 100%, or the filter would
 * count nothing.
 */
function bucket(limit: RateLimitPlan, grpc: boolean): LocalRateLimit {
  return {
    '@type': LOCAL_RATE_LIMIT_TYPE,
    'stat_prefix': STAT_PREFIX,
    'token_bucket': { max_tokens: limit.maxTokens, tokens_per_fill: limit.tokensPerFill, fill_interval: envoyMillis(limit.fillIntervalMs) },
    'filter_enabled': { default_value: ALL, runtime_key: `${STAT_PREFIX}.enabled` },
    'filter_enforced': { default_value: ALL, runtime_key: `${STAT_PREFIX}.enforced` },
    'response_headers_to_add': [{ header: { key: 'x-local-rate-limit', value: 'true' }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' }],
    ...(grpc && { rate_limited_as_resource_exhausted: true }),
  };
}
