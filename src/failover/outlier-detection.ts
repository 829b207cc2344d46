import { Duration } from 'cdk8s';
import { isUint32, UINT32_MAX } from '../value-checks';

/** Options shared by every outlier detection policy. */
export interface OutlierDetectionOptions {
  /**
   * How often hosts are evaluated.
   * @default Duration.seconds(10)
   */
  readonly interval?: Duration;
  /**
   * How long an ejected host stays out (multiplied by the number of times it was ejected).
   * @default Duration.seconds(30)
   */
  readonly baseEjectionTime?: Duration;
  /**
   * Most hosts that may be ejected at once, in percent (0-100).
   * @default 50
   */
  readonly maxEjectionPercent?: number;
}

/** Options of `OutlierDetection.successRate()`. */
export interface SuccessRateOptions extends OutlierDetectionOptions {
  /**
   * Hosts whose success rate is below the mean by more than this many
   * standard deviations are ejected.
   * @default 1.9
   */
  readonly stdevFactor?: number;
  /**
   * Fewest hosts (with enough requests) for the statistics to apply.
   * @default 5
   */
  readonly minimumHosts?: number;
  /**
   * Fewest requests a host must have received in the interval to be judged.
   * @default 100
   */
  readonly requestVolume?: number;
}

/** What makes a host an outlier, by detection kind. */
export type EjectionRule =
  | { readonly kind: 'consecutiveErrors'; readonly errors: number }
  | { readonly kind: 'consecutiveGatewayErrors'; readonly errors: number }
  | { readonly kind: 'successRate'; readonly stdevFactor: number; readonly minimumHosts: number; readonly requestVolume: number };

/** What an outlier detection policy asks for, in domain values. */
export interface OutlierDetectionSpec {
  readonly ejectOn: EjectionRule;
  readonly intervalMs: number;
  readonly baseEjectionTimeMs: number;
  readonly maxEjectionPercent: number;
}

/**
 * Passive health checking: a caller's sidecar ejects hosts that fail, so
 * requests go to the healthy ones (and to a backup when none is left).
 */
export class OutlierDetection {
  /** Eject a host after `errors` consecutive 5xx responses or connection failures. */
  public static consecutiveErrors(errors: number, options: OutlierDetectionOptions = {}): OutlierDetection {
    return new OutlierDetection(`${errors} consecutive 5xx`, options, { kind: 'consecutiveErrors', errors },
      [['consecutive errors', errors]]);
  }

  /** Eject a host after `errors` consecutive 502/503/504 responses or connection failures. */
  public static consecutiveGatewayErrors(errors: number, options: OutlierDetectionOptions = {}): OutlierDetection {
    return new OutlierDetection(`${errors} consecutive gateway errors`, options, { kind: 'consecutiveGatewayErrors', errors },
      [['consecutive gateway errors', errors]]);
  }

  /** Eject hosts whose success rate is far below that of the others. */
  public static successRate(options: SuccessRateOptions = {}): OutlierDetection {
    const minimumHosts = options.minimumHosts ?? 5;
    const requestVolume = options.requestVolume ?? 100;
    return new OutlierDetection('success rate', options,
      { kind: 'successRate', stdevFactor: options.stdevFactor ?? 1.9, minimumHosts, requestVolume },
      [['minimumHosts', minimumHosts], ['requestVolume', requestVolume]]);
  }

  private constructor(
    /** Short description, for diagrams. */
    public readonly description: string,
    private readonly options: OutlierDetectionOptions,
    private readonly ejectOn: EjectionRule,
    private readonly counts: Array<[string, number]>,
  ) {}

  /** @internal */
  public _validate(): string[] {
    const errors: string[] = [];
    const percent = this.options.maxEjectionPercent ?? 50;
    if (!Number.isInteger(percent) || percent < 0 || percent > 100) {
      errors.push(`outlier detection maxEjectionPercent ${percent} is invalid: use an integer from 0 to 100`);
    }
    for (const [name, value] of this.counts) {
      if (!isUint32(value, 1)) errors.push(`outlier detection ${name} ${value} is invalid: use an integer from 1 to ${UINT32_MAX}`);
    }
    // Sidecars read the factor in thousandths: one that rounds to 0 thousandths is no factor.
    const stdev = this.ejectOn.kind === 'successRate' ? Math.round(this.ejectOn.stdevFactor * 1000) : undefined;
    if (stdev !== undefined && !isUint32(stdev, 1)) {
      errors.push(`outlier detection stdevFactor ${stdev / 1000} is invalid: use a positive number of standard deviations`);
    }
    for (const [name, value] of [['interval', this.options.interval], ['baseEjectionTime', this.options.baseEjectionTime]] as const) {
      if (value && value.toMilliseconds({ integral: false }) <= 0) errors.push(`outlier detection ${name} must be a positive duration`);
    }
    return errors;
  }

  /** What this policy asks for. @internal */
  public _spec(): OutlierDetectionSpec {
    return {
      ejectOn: this.ejectOn,
      intervalMs: (this.options.interval ?? Duration.seconds(10)).toMilliseconds({ integral: false }),
      baseEjectionTimeMs: (this.options.baseEjectionTime ?? Duration.seconds(30)).toMilliseconds({ integral: false }),
      maxEjectionPercent: this.options.maxEjectionPercent ?? 50,
    };
  }
}
