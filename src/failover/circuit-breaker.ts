import { isUint32, UINT32_MAX } from '../value-checks';

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

/** The limits of a circuit breaker, defaults applied. */
export interface CircuitBreakerSpec {
  readonly maxConnections: number;
  readonly maxPendingRequests: number;
  readonly maxRequests: number;
  readonly maxRetries: number;
  /** Replaces `maxRetries` when set. */
  readonly retryBudget?: { readonly percent: number; readonly minConcurrency: number };
}

/** The limits `breaker` sets, defaults applied. */
export function circuitBreakerSpec(breaker: CircuitBreaker): CircuitBreakerSpec {
  const percent = breaker.retryBudgetPercent;
  return {
    maxConnections: breaker.maxConnections ?? 1024,
    maxPendingRequests: breaker.maxPendingRequests ?? 1024,
    maxRequests: breaker.maxRequests ?? 1024,
    maxRetries: breaker.maxRetries ?? 3,
    ...(percent !== undefined && { retryBudget: { percent, minConcurrency: breaker.retryBudgetMinConcurrency ?? 3 } }),
  };
}
