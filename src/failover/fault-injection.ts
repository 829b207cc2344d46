import { Duration } from 'cdk8s';

/**
 * Faults a caller's sidecar injects into requests to an upstream, for
 * resilience testing. Emitted only when asked for.
 */
export interface FaultInjection {
  /**
   * Delay added to the delayed requests.
   * @default - no delay
   */
  readonly delay?: Duration;
  /**
   * Percentage of requests delayed (0-100).
   * @default 100 when `delay` is set
   */
  readonly delayPercent?: number;
  /**
   * HTTP status returned instead of forwarding the aborted requests.
   * @default - no abort
   */
  readonly abortStatus?: number;
  /**
   * Percentage of requests aborted (0-100).
   * @default 100 when `abortStatus` is set
   */
  readonly abortPercent?: number;
}

/** Problems with a fault injection. */
export function validateFault(fault: FaultInjection): string[] {
  const errors: string[] = [];
  for (const [name, value] of [['delayPercent', fault.delayPercent], ['abortPercent', fault.abortPercent]] as const) {
    if (value !== undefined && !(value >= 0 && value <= 100)) {
      errors.push(`fault ${name} ${value} is invalid: use a percentage from 0 to 100`);
    }
  }
  if (fault.abortStatus !== undefined && !(Number.isInteger(fault.abortStatus) && fault.abortStatus >= 200 && fault.abortStatus <= 599)) {
    errors.push(`fault abortStatus ${fault.abortStatus} is invalid: use an HTTP status from 200 to 599`);
  }
  if (fault.delay === undefined && fault.abortStatus === undefined) {
    errors.push('fault injects nothing: give delay or abortStatus');
  }
  if (fault.delay !== undefined && fault.delay.toMilliseconds({ integral: false }) <= 0) {
    errors.push('fault delay must be a positive duration');
  }
  return errors;
}

/** The faults injected into a share of the requests, defaults applied. */
export interface FaultSpec {
  readonly delay?: { readonly durationMs: number; readonly percent: number };
  readonly abort?: { readonly httpStatus: number; readonly percent: number };
}

/** The faults `fault` injects, defaults applied. */
export function faultSpec(fault: FaultInjection): FaultSpec {
  return {
    ...(fault.delay && { delay: { durationMs: fault.delay.toMilliseconds({ integral: false }), percent: fault.delayPercent ?? 100 } }),
    ...(fault.abortStatus !== undefined && { abort: { httpStatus: fault.abortStatus, percent: fault.abortPercent ?? 100 } }),
  };
}
