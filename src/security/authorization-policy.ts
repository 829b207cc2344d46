import { Construct } from 'constructs';
import type { MeshService } from '../mesh-service';
import { HttpMethod, PathMatch } from '../traffic/route-match';

/** Properties of an `AuthorizationPolicy`. */
export interface AuthorizationPolicyProps {
  /** The service being called. */
  readonly service: MeshService;
  /** The caller the rule narrows (it must call the service). */
  readonly caller: MeshService;
  /**
   * Paths the caller may request.
   * @default - any path
   */
  readonly paths?: PathMatch[];
  /**
   * Methods the caller may use.
   * @default - any method
   */
  readonly methods?: HttpMethod[];
}

/**
 * Narrows what one declared caller may request from a service. Without any
 * policy a declared caller may request anything, and undeclared callers
 * nothing; with policies, the caller may make only the requests some policy
 * allows.
 */
export class AuthorizationPolicy extends Construct {
  /** The service being called. */
  public readonly service: MeshService;
  /** The caller the rule applies to. */
  public readonly caller: MeshService;
  /** Allowed paths (empty: any). */
  public readonly paths: PathMatch[];
  /** Allowed methods (empty: any). */
  public readonly methods: HttpMethod[];

  /**
   * @param scope the parent construct
   * @param id the construct id, unique among its siblings
   * @param props the settings
   */
  constructor(scope: Construct, id: string, props: AuthorizationPolicyProps) {
    super(scope, id);
    this.service = props.service;
    this.caller = props.caller;
    this.paths = props.paths ?? [];
    this.methods = props.methods ?? [];
    const mesh = props.service.mesh;
    mesh._recordValueProblems(this.node.path, props);
    mesh._record('authorizationPolicies', { path: this.node.path, service: props.service, caller: props.caller, paths: this.paths, methods: this.methods });
    this.node.addValidation({ validate: () => mesh._problemsAt(this.node.path) });
  }
}
