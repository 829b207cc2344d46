import {
  renderCircuitBreakers, renderFaultFilter, renderHealthCheck, renderOutlierDetection, renderRetryPolicy,
} from '../../../src/engines/envoy/failover';
import { CircuitBreakerSpec } from '../../../src/failover/circuit-breaker';
import { HealthCheckSpec } from '../../../src/failover/health-check';
import { OutlierDetectionSpec } from '../../../src/failover/outlier-detection';
import { RetryCondition, RetrySpec } from '../../../src/failover/retry';
import { validateEnvoyMessage } from '../../validate/envoy';

/** Same fields, values and key order (the order JSON.stringify writes into the sidecar's config). */
function expectJson(actual: unknown, expected: unknown) {
  expect(JSON.stringify(actual, undefined, 2)).toBe(JSON.stringify(expected, undefined, 2));
}

const PREVIOUS_HOSTS = {
  name: 'envoy.retry_host_predicates.previous_hosts',
  typed_config: { '@type': 'type.googleapis.com/envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate' },
};

describe('renderRetryPolicy', () => {
  const spec: RetrySpec = {
    conditions: [RetryCondition.GATEWAY_ERROR],
    attempts: 3,
    backoffBaseMs: 25,
    retryOtherHost: true,
    retriableStatusCodes: [],
  };

  test('tries = attempts - 1 retries, back-off in seconds, other hosts preferred', () => {
    const policy = renderRetryPolicy(spec);
    expectJson(policy, {
      retry_on: 'gateway-error',
      num_retries: 2,
      retry_back_off: { base_interval: '0.025s' },
      retry_host_predicate: [PREVIOUS_HOSTS],
      host_selection_retry_max_attempts: 5,
    });
    expect(validateEnvoyMessage('envoy.config.route.v3.RetryPolicy', policy)).toEqual([]);
  });

  test('every optional field, and every condition under its Envoy name', () => {
    const policy = renderRetryPolicy({
      conditions: Object.values(RetryCondition),
      attempts: 1,
      perTryTimeoutMs: 1500,
      backoffBaseMs: 10,
      backoffMaxMs: 250,
      retryOtherHost: false,
      retriableStatusCodes: [409, 503],
    });
    expectJson(policy, {
      retry_on: '5xx,gateway-error,reset,connect-failure,refused-stream,retriable-status-codes,unavailable,cancelled,deadline-exceeded,resource-exhausted',
      num_retries: 0,
      per_try_timeout: '1.5s',
      retry_back_off: { base_interval: '0.01s', max_interval: '0.25s' },
      retriable_status_codes: [409, 503],
    });
    expect(validateEnvoyMessage('envoy.config.route.v3.RetryPolicy', policy)).toEqual([]);
  });
});

describe('renderOutlierDetection', () => {
  const timing = { intervalMs: 10_000, baseEjectionTimeMs: 30_000, maxEjectionPercent: 50 };
  const type = 'envoy.config.cluster.v3.OutlierDetection';

  test('consecutive errors', () => {
    const detection = renderOutlierDetection({ ejectOn: { kind: 'consecutiveErrors', errors: 5 }, ...timing });
    expectJson(detection, { consecutive_5xx: 5, interval: '10s', base_ejection_time: '30s', max_ejection_percent: 50 });
    expect(validateEnvoyMessage(type, detection)).toEqual([]);
  });

  test('consecutive gateway errors switch the consecutive-5xx detector off', () => {
    const detection = renderOutlierDetection({
      ejectOn: { kind: 'consecutiveGatewayErrors', errors: 3 }, intervalMs: 250, baseEjectionTimeMs: 1000, maxEjectionPercent: 100,
    });
    expectJson(detection, {
      consecutive_gateway_failure: 3,
      enforcing_consecutive_gateway_failure: 100,
      enforcing_consecutive_5xx: 0,
      interval: '0.25s',
      base_ejection_time: '1s',
      max_ejection_percent: 100,
    });
    expect(validateEnvoyMessage(type, detection)).toEqual([]);
  });

  test('success rate, with the deviation factor in thousandths', () => {
    const spec: OutlierDetectionSpec = {
      ejectOn: { kind: 'successRate', stdevFactor: 1.9, minimumHosts: 5, requestVolume: 100 }, ...timing, maxEjectionPercent: 0,
    };
    const detection = renderOutlierDetection(spec);
    expectJson(detection, {
      enforcing_consecutive_5xx: 0,
      enforcing_success_rate: 100,
      success_rate_stdev_factor: 1900,
      success_rate_minimum_hosts: 5,
      success_rate_request_volume: 100,
      interval: '10s',
      base_ejection_time: '30s',
      max_ejection_percent: 0,
    });
    expect(validateEnvoyMessage(type, detection)).toEqual([]);
  });
});

describe('renderHealthCheck', () => {
  const timing = { timeoutMs: 1000, intervalMs: 5000, unhealthyThreshold: 3, healthyThreshold: 2 };
  const type = 'envoy.config.core.v3.HealthCheck';

  test('HTTP: a GET on the path', () => {
    const check = renderHealthCheck({ probe: { kind: 'http', path: '/healthz' }, ...timing });
    expectJson(check, {
      timeout: '1s', interval: '5s', unhealthy_threshold: 3, healthy_threshold: 2, http_health_check: { path: '/healthz' },
    });
    expect(validateEnvoyMessage(type, check)).toEqual([]);
  });

  test('TCP: a connection that must open', () => {
    const check = renderHealthCheck({ probe: { kind: 'tcp' }, ...timing, timeoutMs: 100, intervalMs: 23_000 });
    expectJson(check, { timeout: '0.1s', interval: '23s', unhealthy_threshold: 3, healthy_threshold: 2, tcp_health_check: {} });
    expect(validateEnvoyMessage(type, check)).toEqual([]);
  });

  test('the validator refuses what Envoy refuses (a zero interval)', () => {
    const spec: HealthCheckSpec = { probe: { kind: 'tcp' }, ...timing, intervalMs: 0 };
    expect(validateEnvoyMessage(type, renderHealthCheck(spec)).join('\n')).toMatch(/^interval: must be > 0s/);
  });
});

describe('renderCircuitBreakers', () => {
  const limits: CircuitBreakerSpec = { maxConnections: 1024, maxPendingRequests: 1024, maxRequests: 1024, maxRetries: 3 };
  const type = 'envoy.config.cluster.v3.CircuitBreakers';

  test('one set of limits, for the default priority', () => {
    const breakers = renderCircuitBreakers({ ...limits, maxConnections: 0 });
    expectJson(breakers, {
      thresholds: [{ priority: 'DEFAULT', max_connections: 0, max_pending_requests: 1024, max_requests: 1024, max_retries: 3 }],
    });
    expect(validateEnvoyMessage(type, breakers)).toEqual([]);
  });

  test('a retry budget', () => {
    const breakers = renderCircuitBreakers({ ...limits, retryBudget: { percent: 12.5, minConcurrency: 3 } });
    expectJson(breakers, {
      thresholds: [{
        priority: 'DEFAULT',
        max_connections: 1024,
        max_pending_requests: 1024,
        max_requests: 1024,
        max_retries: 3,
        retry_budget: { budget_percent: { value: 12.5 }, min_retry_concurrency: 3 },
      }],
    });
    expect(validateEnvoyMessage(type, breakers)).toEqual([]);
  });
});

describe('renderFaultFilter', () => {
  const type = 'envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter';

  test('a delay and an abort, each for a share of the requests in millionths', () => {
    const filter = renderFaultFilter({ delay: { durationMs: 361, percent: 100 }, abort: { httpStatus: 503, percent: 99.9 } });
    expectJson(filter, {
      name: 'envoy.filters.http.fault',
      typed_config: {
        '@type': 'type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault',
        'delay': { fixed_delay: '0.361s', percentage: { numerator: 1_000_000, denominator: 'MILLION' } },
        'abort': { http_status: 503, percentage: { numerator: 999_000, denominator: 'MILLION' } },
      },
    });
    expect(validateEnvoyMessage(type, filter)).toEqual([]);
  });

  test('an abort alone', () => {
    const filter = renderFaultFilter({ abort: { httpStatus: 429, percent: 8 } });
    expectJson(filter.typed_config, {
      '@type': 'type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault',
      'abort': { http_status: 429, percentage: { numerator: 80_000, denominator: 'MILLION' } },
    });
    expect(validateEnvoyMessage(type, filter)).toEqual([]);
  });
});
