import { Duration } from 'cdk8s';
import { durationProblem } from '../value-checks';

/** A condition under which a failed request is tried again. */
export enum RetryCondition {
  /** Any 5xx response, or no response at all (includes gateway errors, resets and connect failures). */
  SERVER_ERROR = '5xx',
  /** 502, 503 and 504 responses, and connection failures. */
  GATEWAY_ERROR = 'gateway-error',
  /** The upstream reset the connection or stream before responding. */
  RESET = 'reset',
  /** The connection to the upstream could not be established. */
  CONNECT_FAILURE = 'connect-failure',
  /** The upstream refused the HTTP/2 stream (REFUSED_STREAM). */
  REFUSED_STREAM = 'refused-stream',
  /** A response whose status is one of `retriableStatusCodes`. */
  RETRIABLE_STATUS_CODES = 'retriable-status-codes',
  /** gRPC status UNAVAILABLE. */
  GRPC_UNAVAILABLE = 'unavailable',
  /** gRPC status CANCELLED. */
  GRPC_CANCELLED = 'cancelled',
  /** gRPC status DEADLINE_EXCEEDED. */
  GRPC_DEADLINE_EXCEEDED = 'deadline-exceeded',
  /** gRPC status RESOURCE_EXHAUSTED. */
  GRPC_RESOURCE_EXHAUSTED = 'resource-exhausted',
}

/** Options shared by every retry policy. */
export interface RetryOptions {
  /**
   * Total number of tries, the first included (3 = one request and up to two retries).
   * @default 3
   */
  readonly attempts?: number;
  /**
   * Timeout of each try.
   * @default - the request timeout
   */
  readonly perTryTimeout?: Duration;
  /**
   * First back-off interval; each retry waits a random time up to an
   * exponentially growing interval.
   * @default Duration.millis(25)
   */
  readonly backoffBase?: Duration;
  /**
   * Longest back-off interval.
   * @default - 10 times backoffBase
   */
  readonly backoffMax?: Duration;
  /**
   * Retry on another host than the ones that already failed this request.
   * @default true
   */
  readonly retryOtherHost?: boolean;
  /**
   * HTTP status codes retried under `RetryCondition.RETRIABLE_STATUS_CODES`.
   * @default - none
   */
  readonly retriableStatusCodes?: number[];
}

/** Options of `Retry.on()`. */
export interface RetryOnOptions extends RetryOptions {
  /** When to retry. At least one condition. */
  readonly conditions: RetryCondition[];
}

/** What a retry policy asks for, in domain values. */
export interface RetrySpec {
  /** When to retry, each condition once, in the order given. */
  readonly conditions: RetryCondition[];
  /** Total number of tries, the first included. */
  readonly attempts: number;
  readonly perTryTimeoutMs?: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs?: number;
  /** Whether a retry avoids the hosts that already failed the request. */
  readonly retryOtherHost: boolean;
  /** Statuses retried under `RetryCondition.RETRIABLE_STATUS_CODES`; empty when none. */
  readonly retriableStatusCodes: number[];
}

/** When and how a caller's sidecar retries failed requests. */
export class Retry {
  /** Retry on 502, 503, 504 and connection failures: safe for most requests. */
  public static onGatewayErrors(options: RetryOptions = {}): Retry {
    return new Retry({ ...options, conditions: [RetryCondition.GATEWAY_ERROR] });
  }

  /** Retry on any 5xx response and on resets: only for idempotent requests. */
  public static onServerErrors(options: RetryOptions = {}): Retry {
    return new Retry({ ...options, conditions: [RetryCondition.SERVER_ERROR, RetryCondition.RESET] });
  }

  /** Retry on the given conditions. */
  public static on(options: RetryOnOptions): Retry {
    return new Retry(options);
  }

  /** Total number of tries, the first included. */
  public readonly attempts: number;
  /** Timeout of each try, if set. */
  public readonly perTryTimeout?: Duration;

  private constructor(private readonly options: RetryOnOptions) {
    this.attempts = options.attempts ?? 3;
    this.perTryTimeout = options.perTryTimeout;
  }

  /** Problems with this policy, given the request timeout of the route. @internal */
  public _validate(requestTimeout?: Duration): string[] {
    const errors: string[] = [];
    const conditions = this.options.conditions ?? [];
    if (conditions.length === 0) {
      errors.push('retry has no condition: pass at least one RetryCondition (for example RetryCondition.GATEWAY_ERROR)');
    }
    if (!Number.isInteger(this.attempts) || this.attempts < 1 || this.attempts > 10) {
      errors.push(`retry attempts ${this.attempts} is invalid: use an integer from 1 to 10 (the first try included)`);
    }
    const perTry = this.perTryTimeout?.toMilliseconds({ integral: false });
    if (perTry !== undefined && perTry <= 0) {
      errors.push(`retry perTryTimeout ${perTry}ms is invalid: use a positive duration`);
    } else if (this.perTryTimeout && durationProblem(this.perTryTimeout)) {
      errors.push(`retry perTryTimeout: ${durationProblem(this.perTryTimeout)}`);
    }
    if (perTry !== undefined && requestTimeout && perTry > requestTimeout.toMilliseconds({ integral: false })) {
      errors.push(`retry perTryTimeout ${perTry}ms is longer than the request timeout ${requestTimeout.toMilliseconds({ integral: false })}ms: no retry could ever start; shorten perTryTimeout or lengthen timeout`);
    }
    const base = (this.options.backoffBase ?? Duration.millis(25)).toMilliseconds({ integral: false });
    const max = this.options.backoffMax?.toMilliseconds({ integral: false });
    if (base <= 0 || (max !== undefined && max < base)) {
      errors.push(`retry back-off ${base}ms..${max}ms is invalid: use a positive backoffBase no longer than backoffMax`);
    } else {
      for (const [name, duration] of [['backoffBase', this.options.backoffBase], ['backoffMax', this.options.backoffMax]] as const) {
        if (duration && durationProblem(duration)) errors.push(`retry ${name}: ${durationProblem(duration)}`);
      }
    }
    const codes = this.options.retriableStatusCodes ?? [];
    if (codes.some(c => !Number.isInteger(c) || c < 100 || c > 599)) {
      errors.push(`retriableStatusCodes ${JSON.stringify(codes)} are invalid: use HTTP status codes from 100 to 599`);
    }
    if (conditions.includes(RetryCondition.RETRIABLE_STATUS_CODES) !== codes.length > 0) {
      errors.push('retriableStatusCodes and RetryCondition.RETRIABLE_STATUS_CODES go together: give both or neither');
    }
    return errors;
  }

  /** What this policy asks for. @internal */
  public _spec(): RetrySpec {
    const { backoffBase, backoffMax, retryOtherHost, retriableStatusCodes } = this.options;
    return {
      conditions: [...new Set(this.options.conditions)],
      attempts: this.attempts,
      ...(this.perTryTimeout && { perTryTimeoutMs: this.perTryTimeout.toMilliseconds({ integral: false }) }),
      backoffBaseMs: (backoffBase ?? Duration.millis(25)).toMilliseconds({ integral: false }),
      ...(backoffMax && { backoffMaxMs: backoffMax.toMilliseconds({ integral: false }) }),
      retryOtherHost: retryOtherHost !== false,
      retriableStatusCodes: retriableStatusCodes ?? [],
    };
  }

  /** Longest time the tries of one request may take (attempts × per-try timeout), if bounded. @internal */
  public _worstCase(requestTimeout?: Duration): number | undefined {
    const perTry = this.perTryTimeout?.toMilliseconds({ integral: false }) ?? requestTimeout?.toMilliseconds({ integral: false });
    return perTry === undefined ? undefined : perTry * this.attempts;
  }
}
