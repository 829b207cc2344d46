import { Duration } from 'cdk8s';
import { durationProblem, isUint32, pathFormProblem, UINT32_MAX } from '../value-checks';

/** Options shared by active health checks. */
export interface HealthCheckOptions {
  /**
   * Time between checks of one host.
   * @default Duration.seconds(5)
   */
  readonly interval?: Duration;
  /**
   * Time to wait for a check's answer.
   * @default Duration.seconds(1)
   */
  readonly timeout?: Duration;
  /**
   * Failed checks before a host is marked unhealthy.
   * @default 3
   */
  readonly unhealthyThreshold?: number;
  /**
   * Passed checks before an unhealthy host is healthy again.
   * @default 2
   */
  readonly healthyThreshold?: number;
}

/** Options of `HealthCheck.http()`. */
export interface HttpHealthCheckOptions extends HealthCheckOptions {
  /** Path that answers 200 when the application is healthy (for example `/healthz`). */
  readonly path: string;
}

/** How one host is probed. */
export type HealthProbe = { readonly kind: 'http'; readonly path: string } | { readonly kind: 'tcp' };

/** What an active health check asks for, in domain values. */
export interface HealthCheckSpec {
  readonly probe: HealthProbe;
  readonly timeoutMs: number;
  readonly intervalMs: number;
  readonly unhealthyThreshold: number;
  readonly healthyThreshold: number;
}

/** Active health checking of an upstream's hosts by each caller's sidecar. */
export class HealthCheck {
  /** An HTTP GET on `path`; any answer but 200 counts as a failure. */
  public static http(options: HttpHealthCheckOptions): HealthCheck {
    return new HealthCheck(options, { kind: 'http', path: options.path });
  }

  /** A TCP connection that must open. */
  public static tcp(options: HealthCheckOptions = {}): HealthCheck {
    return new HealthCheck(options, { kind: 'tcp' });
  }

  private constructor(
    private readonly options: HealthCheckOptions,
    private readonly probe: HealthProbe,
  ) {}

  /** Whether the check needs HTTP (and so an HTTP upstream). @internal */
  public get _http(): boolean {
    return this.probe.kind === 'http';
  }

  /** @internal */
  public _validate(): string[] {
    const errors: string[] = [];
    if (this.probe.kind === 'http' && !this.probe.path?.startsWith('/')) {
      errors.push(`health check path '${this.probe.path}' must start with '/'`);
    } else if (this.probe.kind === 'http' && !/^\/[\x21-\x7e]*$/.test(this.probe.path)) {
      errors.push(`health check path ${JSON.stringify(this.probe.path)} is invalid: use printable characters without spaces`);
    } else if (this.probe.kind === 'http' && pathFormProblem(this.probe.path)) {
      // Authorization allows callers' health checks by exact path: a query or a path Envoy rewrites would be denied.
      errors.push(`health check ${pathFormProblem(this.probe.path)}`);
    }
    for (const [name, value] of [['unhealthyThreshold', this.options.unhealthyThreshold], ['healthyThreshold', this.options.healthyThreshold]] as const) {
      if (value !== undefined && !isUint32(value, 1)) {
        errors.push(`health check ${name} ${value} is invalid: use an integer from 1 to ${UINT32_MAX}`);
      }
    }
    const interval = (this.options.interval ?? Duration.seconds(5)).toMilliseconds({ integral: false });
    const timeout = (this.options.timeout ?? Duration.seconds(1)).toMilliseconds({ integral: false });
    if (interval <= 0 || timeout <= 0) {
      errors.push('health check interval and timeout must be positive durations');
    } else {
      for (const [name, duration] of [['interval', this.options.interval], ['timeout', this.options.timeout]] as const) {
        const problem = duration && durationProblem(duration);
        if (problem) errors.push(`health check ${name}: ${problem}`);
      }
    }
    return errors;
  }

  /** What this check asks for. @internal */
  public _spec(): HealthCheckSpec {
    return {
      probe: this.probe,
      timeoutMs: (this.options.timeout ?? Duration.seconds(1)).toMilliseconds({ integral: false }),
      intervalMs: (this.options.interval ?? Duration.seconds(5)).toMilliseconds({ integral: false }),
      unhealthyThreshold: this.options.unhealthyThreshold ?? 3,
      healthyThreshold: this.options.healthyThreshold ?? 2,
    };
  }
}
