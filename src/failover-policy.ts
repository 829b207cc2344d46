import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { Backup } from './failover/backup';
import { CircuitBreaker, validateCircuitBreaker } from './failover/circuit-breaker';
import { FaultInjection, validateFault } from './failover/fault-injection';
import { HealthCheck } from './failover/health-check';
import { OutlierDetection } from './failover/outlier-detection';
import { Retry } from './failover/retry';
import type { MeshService } from './mesh-service';
import { isHttp } from './protocol';

/** The failover settings of a `FailoverPolicy`. */
export interface FailoverOptions {
  /**
   * Retries of failed requests.
   * @default - no retries
   */
  readonly retry?: Retry;
  /**
   * Time a request may take, all retries included.
   * @default - Envoy's 15 seconds
   */
  readonly timeout?: Duration;
  /**
   * Time a request stream may stay idle.
   * @default - Envoy's default (5 minutes)
   */
  readonly idleTimeout?: Duration;
  /**
   * Ejection of failing hosts.
   * @default - none
   */
  readonly outlierDetection?: OutlierDetection;
  /**
   * Limits on connections, requests and retries.
   * @default - Envoy's defaults (1024 connections, pending and active requests; 3 retries)
   */
  readonly circuitBreaker?: CircuitBreaker;
  /**
   * Active health checks of every host.
   * @default - none
   */
  readonly healthCheck?: HealthCheck;
  /**
   * Where traffic goes when no host of the service is healthy.
   * @default - no backup
   */
  readonly backup?: Backup;
  /**
   * Faults injected for resilience testing.
   * @default - none
   */
  readonly fault?: FaultInjection;
}

/** Properties of a `FailoverPolicy`. */
export interface FailoverPolicyProps extends FailoverOptions {
  /** The destination service whose callers apply the policy. */
  readonly service: MeshService;
  /**
   * Apply the policy to this caller's calls only; its settings win over a
   * policy for all callers.
   * @default - every caller of the service
   */
  readonly caller?: MeshService;
}

/**
 * How callers of a service fail over: retries, timeouts, outlier detection,
 * circuit breaking, health checks and a backup. Applied by each caller's
 * sidecar to its calls to the service.
 */
export class FailoverPolicy extends Construct {
  /** The destination service. */
  public readonly service: MeshService;
  /** The one caller the policy applies to, if any. */
  public readonly caller?: MeshService;
  /** The settings. */
  public readonly options: FailoverOptions;

  /**
   * @param scope the parent construct
   * @param id the construct id, unique among its siblings
   * @param props the settings
   */
  constructor(scope: Construct, id: string, props: FailoverPolicyProps) {
    super(scope, id);
    this.service = props.service;
    this.caller = props.caller;
    const { service: _service, caller: _caller, ...options } = props;
    this.options = options;
    props.service._addFailoverPolicy(this);
    this.node.addValidation({ validate: () => this.validatePolicy() });
  }

  private validatePolicy(): string[] {
    const { retry, timeout, idleTimeout, outlierDetection, circuitBreaker, healthCheck, backup, fault } = this.options;
    const errors = [
      ...(retry?._validate(timeout) ?? []),
      ...(outlierDetection?._validate() ?? []),
      ...(circuitBreaker ? validateCircuitBreaker(circuitBreaker) : []),
      ...(healthCheck?._validate() ?? []),
      ...(backup?._validate() ?? []),
      ...(fault ? validateFault(fault) : []),
    ];
    for (const [name, value] of [['timeout', timeout], ['idleTimeout', idleTimeout]] as const) {
      if (value && value.toMilliseconds({ integral: false }) <= 0) errors.push(`${name} must be a positive duration`);
    }
    const http = isHttp(this.service.protocol);
    if (!http) {
      const httpOnly = { retry, timeout, idleTimeout, fault, healthCheck: healthCheck?._http ? healthCheck : undefined };
      for (const [name, value] of Object.entries(httpOnly)) {
        if (value !== undefined) errors.push(`${name} needs an HTTP or gRPC service, but ${this.service.name} speaks TCP`);
      }
    }
    if (backup?.backupService === this.service) {
      errors.push(`backup is ${this.service.name} itself: name another service or host`);
    }
    if (backup && !outlierDetection && !healthCheck) {
      errors.push('backup is never used without outlierDetection or healthCheck: hosts are only found unhealthy by one of them');
    }
    if (this.caller && !this.caller.upstreams.includes(this.service)) {
      errors.push(`caller ${this.caller.name} does not call ${this.service.name}: declare ${this.caller.name}.callTo(${this.service.name}) first`);
    }
    return errors;
  }
}
