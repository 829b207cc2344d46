import { Construct } from 'constructs';
import type { MeshService } from '../mesh-service';
import { isHttp } from '../protocol';
import { MtlsMode } from './mtls';
import { HttpMethod, PathMatch, validateMatch } from '../traffic/route-match';

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
    props.service._addAuthorizationPolicy(this);
    this.node.addValidation({ validate: () => this.validatePolicy() });
  }

  private validatePolicy(): string[] {
    const errors: string[] = [];
    if (!this.caller.upstreams.includes(this.service)) {
      errors.push(`caller ${this.caller.name} does not call ${this.service.name}: declare ${this.caller.name}.callTo(${this.service.name}), or remove the policy`);
    }
    if (!isHttp(this.service.protocol) && (this.paths.length > 0 || this.methods.length > 0)) {
      errors.push(`${this.service.name} speaks TCP: paths and methods cannot be authorized; remove them`);
    }
    errors.push(...this.paths.flatMap(path => validateMatch({ path })));
    if (this.service.mesh.mtls === MtlsMode.DISABLED) {
      errors.push('authorization by caller identity needs mutual TLS, but the mesh has mtls: MtlsMode.DISABLED');
    }
    return errors;
  }
}
