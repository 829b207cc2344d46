import { Construct } from 'constructs';
import type { MeshService } from '../mesh-service';
import { FailoverOptions } from './failover-options';

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
    mesh._recordValueProblems(this.node.path, props);
    mesh._record('failoverPolicies', { path: this.node.path, service: props.service, caller: props.caller, options });
    this.node.addValidation({ validate: () => mesh._problemsAt(this.node.path) });
  }
}
