import { Duration } from 'cdk8s';
import { Objective as ObjectiveSpec } from './slo';

/** Options of `Objective.latency()`. */
export interface LatencyObjectiveOptions {
  /** Percentage of requests (0-100, exclusive) that must complete within `threshold`. */
  readonly percentile: number;
  /** The latency bound. */
  readonly threshold: Duration;
}

/**
 * A service level objective on a service's inbound requests over 30 days,
 * alerted on with multi-window, multi-burn-rate alerts.
 */
export class Objective {
  /** `target` percent of requests succeed (no 5xx), for example 99.9. */
  public static availability(target: number): Objective {
    return new Objective({ kind: 'availability', target });
  }

  /** `percentile` percent of requests complete within `threshold`. */
  public static latency(options: LatencyObjectiveOptions): Objective {
    return new Objective({ kind: 'latency', target: options.percentile, thresholdMs: options.threshold?.toMilliseconds({ integral: false }) });
  }

  private constructor(
    /** @internal */
    public readonly _spec: ObjectiveSpec,
  ) {}

  /** Short description, for errors and docs. */
  public get description(): string {
    const spec = this._spec;
    return spec.kind === 'availability' ? `availability ${spec.target}%` : `latency p${spec.target} < ${spec.thresholdMs}ms`;
  }
}
