import { Duration } from 'cdk8s';
import { HashKey, HealthCheck, LoadBalancer, OutlierDetection, Retry, RetryCondition } from '../../src';
import { circuitBreakerSpec } from '../../src/failover/circuit-breaker';
import { faultSpec } from '../../src/failover/fault-injection';

/** Value objects hand over domain values with their defaults applied, for any renderer to translate. */
describe('value objects as domain values', () => {
  test('retry', () => {
    expect(Retry.onServerErrors()._spec()).toEqual({
      conditions: [RetryCondition.SERVER_ERROR, RetryCondition.RESET],
      attempts: 3,
      backoffBaseMs: 25,
      retryOtherHost: true,
      retriableStatusCodes: [],
    });
    const retry = Retry.on({
      conditions: [RetryCondition.RESET, RetryCondition.RETRIABLE_STATUS_CODES, RetryCondition.RESET],
      attempts: 2,
      perTryTimeout: Duration.seconds(1),
      backoffMax: Duration.millis(100),
      retryOtherHost: false,
      retriableStatusCodes: [503],
    });
    expect(retry._spec()).toEqual({
      conditions: [RetryCondition.RESET, RetryCondition.RETRIABLE_STATUS_CODES],
      attempts: 2,
      perTryTimeoutMs: 1000,
      backoffBaseMs: 25,
      backoffMaxMs: 100,
      retryOtherHost: false,
      retriableStatusCodes: [503],
    });
  });

  test('outlier detection', () => {
    const timing = { intervalMs: 10_000, baseEjectionTimeMs: 30_000, maxEjectionPercent: 50 };
    expect(OutlierDetection.consecutiveErrors(5)._spec()).toEqual({ ejectOn: { kind: 'consecutiveErrors', errors: 5 }, ...timing });
    expect(OutlierDetection.consecutiveGatewayErrors(2, { interval: Duration.millis(500) })._spec())
      .toEqual({ ejectOn: { kind: 'consecutiveGatewayErrors', errors: 2 }, ...timing, intervalMs: 500 });
    expect(OutlierDetection.successRate()._spec())
      .toEqual({ ejectOn: { kind: 'successRate', stdevFactor: 1.9, minimumHosts: 5, requestVolume: 100 }, ...timing });
  });

  test('health check', () => {
    const timing = { timeoutMs: 1000, intervalMs: 5000, unhealthyThreshold: 3, healthyThreshold: 2 };
    expect(HealthCheck.http({ path: '/healthz' })._spec()).toEqual({ probe: { kind: 'http', path: '/healthz' }, ...timing });
    expect(HealthCheck.tcp({ healthyThreshold: 1 })._spec()).toEqual({ probe: { kind: 'tcp' }, ...timing, healthyThreshold: 1 });
  });

  test('circuit breaker and fault injection', () => {
    expect(circuitBreakerSpec({})).toEqual({ maxConnections: 1024, maxPendingRequests: 1024, maxRequests: 1024, maxRetries: 3 });
    expect(circuitBreakerSpec({ retryBudgetPercent: 20 }).retryBudget).toEqual({ percent: 20, minConcurrency: 3 });
    expect(faultSpec({ delay: Duration.millis(250) })).toEqual({ delay: { durationMs: 250, percent: 100 } });
    expect(faultSpec({ abortStatus: 503, abortPercent: 5 })).toEqual({ abort: { httpStatus: 503, percent: 5 } });
  });

  test('load balancers and hash keys', () => {
    expect(LoadBalancer.roundRobin()._spec()).toEqual({ policy: 'roundRobin' });
    expect(LoadBalancer.random()._spec()).toEqual({ policy: 'random' });
    expect(LoadBalancer.leastRequest()._spec()).toEqual({ policy: 'leastRequest', choiceCount: 2 });
    expect(LoadBalancer.ringHash({ key: HashKey.header('X-User') })._spec())
      .toEqual({ policy: 'ringHash', key: { kind: 'header', name: 'X-User' }, minimumRingSize: 1024 });
    expect(LoadBalancer.maglev({ key: HashKey.cookie('s', { ttl: Duration.minutes(1) }) })._spec())
      .toEqual({ policy: 'maglev', key: { kind: 'cookie', name: 's', ttlMs: 60_000 }, tableSize: 65537 });
    expect(HashKey.sourceIp()._spec()).toEqual({ kind: 'sourceIp' });
  });
});
