import { Duration } from 'cdk8s';
import { envoyDuration } from '../envoy/duration';
import { isUint32, UINT32_MAX } from '../names';

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

/**
 * Passive health checking: a caller's sidecar ejects hosts that fail, so
 * requests go to the healthy ones (and to a backup when none is left).
 */
export class OutlierDetection {
  /** Eject a host after `errors` consecutive 5xx responses or connection failures. */
  public static consecutiveErrors(errors: number, options: OutlierDetectionOptions = {}): OutlierDetection {
    return new OutlierDetection(`${errors} consecutive 5xx`, options, { consecutive_5xx: errors },
      [['consecutive errors', errors]]);
  }

  /** Eject a host after `errors` consecutive 502/503/504 responses or connection failures. */
  public static consecutiveGatewayErrors(errors: number, options: OutlierDetectionOptions = {}): OutlierDetection {
    return new OutlierDetection(`${errors} consecutive gateway errors`, options, {
      consecutive_gateway_failure: errors,
      enforcing_consecutive_gateway_failure: 100,
      enforcing_consecutive_5xx: 0,
    }, [['consecutive gateway errors', errors]]);
  }

  /** Eject hosts whose success rate is far below that of the others. */
  public static successRate(options: SuccessRateOptions = {}): OutlierDetection {
    const stdev = options.stdevFactor ?? 1.9;
    return new OutlierDetection('success rate', options, {
      enforcing_consecutive_5xx: 0,
      enforcing_success_rate: 100,
      success_rate_stdev_factor: Math.round(stdev * 1000),
      success_rate_minimum_hosts: options.minimumHosts ?? 5,
      success_rate_request_volume: options.requestVolume ?? 100,
    }, [['minimumHosts', options.minimumHosts ?? 5], ['requestVolume', options.requestVolume ?? 100]]);
  }

  private rendered?: Record<string, unknown>;

  private constructor(
    /** Short description, for diagrams. */
    public readonly description: string,
    private readonly options: OutlierDetectionOptions,
    private readonly detection: Record<string, number>,
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
    const stdev = this.detection.success_rate_stdev_factor;
    if (stdev !== undefined && !isUint32(stdev, 1)) {
      errors.push(`outlier detection stdevFactor ${stdev / 1000} is invalid: use a positive number of standard deviations`);
    }
    for (const [name, value] of [['interval', this.options.interval], ['baseEjectionTime', this.options.baseEjectionTime]] as const) {
      if (value && value.toMilliseconds({ integral: false }) <= 0) errors.push(`outlier detection ${name} must be a positive duration`);
    }
    return errors;
  }

  /** The cluster's `outlier_detection`, rendered once: the policy is immutable. @internal */
  public _render(): Record<string, unknown> {
    this.rendered ??= {
      ...this.detection,
      interval: envoyDuration(this.options.interval ?? Duration.seconds(10)),
      base_ejection_time: envoyDuration(this.options.baseEjectionTime ?? Duration.seconds(30)),
      max_ejection_percent: this.options.maxEjectionPercent ?? 50,
    };
    return this.rendered;
  }
}
