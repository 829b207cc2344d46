import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import type { MeshService } from '../mesh-service';
import { Backup } from './backup';
import { CircuitBreaker } from './circuit-breaker';
import { FaultInjection } from './fault-injection';
import { HealthCheck } from './health-check';
import { OutlierDetection } from './outlier-detection';
import { Retry } from './retry';

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
    const mesh = props.service.mesh;
    mesh._record('failoverPolicies', { path: this.node.path, service: props.service, caller: props.caller, options });
    this.node.addValidation({ validate: () => mesh._problemsAt(this.node.path) });
  }
}
