import { envoyMillis } from './duration';
import { millionths } from './percent';
import {
  CircuitBreakers, HealthCheck, HealthChecker, HttpFault, OutlierDetection, PreviousHostsPredicate, RetryPolicy, TypedExtension, TYPE_URL,
} from './types';
import { CircuitBreakerSpec } from '../../failover/circuit-breaker';
import { FaultSpec } from '../../failover/fault-injection';
import { HealthCheckSpec, HealthProbe } from '../../failover/health-check';
import { EjectionRule, OutlierDetectionSpec } from '../../failover/outlier-detection';
import { RetryCondition, RetrySpec } from '../../failover/retry';

/** Envoy's `retry_on` name of each retry condition. */
const RETRY_ON: Record<RetryCondition, string> = {
  [RetryCondition.SERVER_ERROR]: '5xx',
  [RetryCondition.GATEWAY_ERROR]: 'gateway-error',
  [RetryCondition.RESET]: 'reset',
  [RetryCondition.CONNECT_FAILURE]: 'connect-failure',
  [RetryCondition.REFUSED_STREAM]: 'refused-stream',
  [RetryCondition.RETRIABLE_STATUS_CODES]: 'retriable-status-codes',
  [RetryCondition.GRPC_UNAVAILABLE]: 'unavailable',
  [RetryCondition.GRPC_CANCELLED]: 'cancelled',
  [RetryCondition.GRPC_DEADLINE_EXCEEDED]: 'deadline-exceeded',
  [RetryCondition.GRPC_RESOURCE_EXHAUSTED]: 'resource-exhausted',
};

/** Makes each retry pick a host other than those that already failed the request. */
const PREVIOUS_HOSTS: TypedExtension<PreviousHostsPredicate> = {
  name: 'envoy.retry_host_predicates.previous_hosts',
  typed_config: { '@type': `${TYPE_URL}envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate` },
};

/** A route's `retry_policy`. */
export function renderRetryPolicy(spec: RetrySpec): RetryPolicy {
  return {
    retry_on: spec.conditions.map(condition => RETRY_ON[condition]).join(','),
    num_retries: spec.attempts - 1,
    ...(spec.perTryTimeoutMs !== undefined && { per_try_timeout: envoyMillis(spec.perTryTimeoutMs) }),
    retry_back_off: {
      base_interval: envoyMillis(spec.backoffBaseMs),
      ...(spec.backoffMaxMs !== undefined && { max_interval: envoyMillis(spec.backoffMaxMs) }),
    },
    // After 5 picks of hosts that failed, Envoy keeps the last one picked.
    ...(spec.retryOtherHost && { retry_host_predicate: [PREVIOUS_HOSTS], host_selection_retry_max_attempts: 5 }),
    ...(spec.retriableStatusCodes.length > 0 && { retriable_status_codes: spec.retriableStatusCodes }),
  };
}

/** A cluster's `outlier_detection`. */
export function renderOutlierDetection(spec: OutlierDetectionSpec): OutlierDetection {
  return {
    ...ejectionFields(spec.ejectOn),
    interval: envoyMillis(spec.intervalMs),
    base_ejection_time: envoyMillis(spec.baseEjectionTimeMs),
    max_ejection_percent: spec.maxEjectionPercent,
  };
}

/**
 * The detector that ejects by `rule`. Envoy enforces its consecutive-5xx
 * detector by default, so the other rules switch it off (enforcing 0%).
 */
function ejectionFields(rule: EjectionRule): Partial<OutlierDetection> {
  switch (rule.kind) {
    case 'consecutiveErrors':
      return { consecutive_5xx: rule.errors };
    case 'consecutiveGatewayErrors':
      return { consecutive_gateway_failure: rule.errors, enforcing_consecutive_gateway_failure: 100, enforcing_consecutive_5xx: 0 };
    case 'successRate':
      return {
        enforcing_consecutive_5xx: 0,
        enforcing_success_rate: 100,
        success_rate_stdev_factor: Math.round(rule.stdevFactor * 1000),
        success_rate_minimum_hosts: rule.minimumHosts,
        success_rate_request_volume: rule.requestVolume,
      };
  }
}

/** An entry of a cluster's `health_checks`. */
export function renderHealthCheck(spec: HealthCheckSpec): HealthCheck {
  return {
    timeout: envoyMillis(spec.timeoutMs),
    interval: envoyMillis(spec.intervalMs),
    unhealthy_threshold: spec.unhealthyThreshold,
    healthy_threshold: spec.healthyThreshold,
    ...healthChecker(spec.probe),
  };
}

/** The probe; an HTTP probe's `Host` is each endpoint's `health_check_config.hostname` (see the cluster's endpoints). */
function healthChecker(probe: HealthProbe): HealthChecker {
  switch (probe.kind) {
    case 'http': return { http_health_check: { path: probe.path } };
    case 'tcp': return { tcp_health_check: {} };
  }
}

/** A cluster's `circuit_breakers`: one set of limits, for requests of default priority (the mesh sends no other). */
export function renderCircuitBreakers(spec: CircuitBreakerSpec): CircuitBreakers {
  const budget = spec.retryBudget;
  return {
    thresholds: [{
      priority: 'DEFAULT',
      max_connections: spec.maxConnections,
      max_pending_requests: spec.maxPendingRequests,
      max_requests: spec.maxRequests,
      max_retries: spec.maxRetries,
      ...(budget && { retry_budget: { budget_percent: { value: budget.percent }, min_retry_concurrency: budget.minConcurrency } }),
    }],
  };
}

/** The `envoy.filters.http.fault` filter that injects `spec`'s faults. */
export function renderFaultFilter(spec: FaultSpec): TypedExtension<HttpFault> {
  const { delay, abort } = spec;
  return {
    name: 'envoy.filters.http.fault',
    typed_config: {
      '@type': `${TYPE_URL}envoy.extensions.filters.http.fault.v3.HTTPFault`,
      ...(delay && { delay: { fixed_delay: envoyMillis(delay.durationMs), percentage: millionths(delay.percent) } }),
      ...(abort && { abort: { http_status: abort.httpStatus, percentage: millionths(abort.percent) } }),
    },
  };
}
