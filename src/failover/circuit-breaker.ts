import { isUint32, UINT32_MAX } from '../names';

/**
 * Limits a caller's sidecar puts on the traffic to one upstream; requests
 * beyond them fail fast (503) instead of piling up on a struggling service.
 */
export interface CircuitBreaker {
  /**
   * Most connections to all hosts of the upstream.
   * @default 1024
   */
  readonly maxConnections?: number;
  /**
   * Most requests waiting for a connection.
   * @default 1024
   */
  readonly maxPendingRequests?: number;
  /**
   * Most requests in flight.
   * @default 1024
   */
  readonly maxRequests?: number;
  /**
   * Most retries in flight.
   * @default 3
   */
  readonly maxRetries?: number;
  /**
   * Retry budget: retries in flight may be at most this percentage of the
   * requests in flight (replaces `maxRetries` when set).
   * @default - no budget; `maxRetries` applies
   */
  readonly retryBudgetPercent?: number;
  /**
   * Retries always allowed in flight, whatever the budget.
   * @default 3
   */
  readonly retryBudgetMinConcurrency?: number;
}

/** Problems with circuit breaker limits. */
export function validateCircuitBreaker(breaker: CircuitBreaker): string[] {
  const errors: string[] = [];
  const limits = {
    maxConnections: breaker.maxConnections,
    maxPendingRequests: breaker.maxPendingRequests,
    maxRequests: breaker.maxRequests,
    maxRetries: breaker.maxRetries,
    retryBudgetMinConcurrency: breaker.retryBudgetMinConcurrency,
  };
  for (const [name, value] of Object.entries(limits)) {
    if (value !== undefined && !isUint32(value)) {
      errors.push(`circuit breaker ${name} ${value} is invalid: use an integer from 0 to ${UINT32_MAX}`);
    }
  }
  const budget = breaker.retryBudgetPercent;
  if (budget !== undefined && !(budget >= 0 && budget <= 100)) {
    errors.push(`circuit breaker retryBudgetPercent ${budget} is invalid: use a number from 0 to 100`);
  }
  return errors;
}

/** The cluster's `circuit_breakers`. */
export function renderCircuitBreaker(breaker: CircuitBreaker): Record<string, unknown> {
  const budget = breaker.retryBudgetPercent;
  return {
    thresholds: [{
      priority: 'DEFAULT',
      max_connections: breaker.maxConnections ?? 1024,
      max_pending_requests: breaker.maxPendingRequests ?? 1024,
      max_requests: breaker.maxRequests ?? 1024,
      max_retries: breaker.maxRetries ?? 3,
      ...(budget !== undefined && {
        retry_budget: {
          budget_percent: { value: budget },
          min_retry_concurrency: breaker.retryBudgetMinConcurrency ?? 3,
        },
      }),
    }],
  };
}
