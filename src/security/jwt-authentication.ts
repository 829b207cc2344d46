import { Construct } from 'constructs';
import type { MeshService } from '../mesh-service';
import { JwtAuthenticationOptions } from './jwt-options';

/** Properties of a `JwtAuthentication`. */
export interface JwtAuthenticationProps extends JwtAuthenticationOptions {
  /** The service whose requests must carry a valid token. */
  readonly service: MeshService;
}

/**
 * End-user authentication: the service's sidecar rejects requests (401) on
 * the chosen paths unless they carry a JWT from the issuer, signed by its
 * keys. Applies to mesh callers and to edge listeners alike.
 */
export class JwtAuthentication extends Construct {
  /** The protected service. */
  public readonly service: MeshService;
  /** Name of the provider in the sidecar's configuration. */
  public readonly providerName: string;
  /** The settings. */
  public readonly props: JwtAuthenticationProps;

  /**
   * @param scope the parent construct
   * @param id the construct id, unique among its siblings
   * @param props the settings
   */
  constructor(scope: Construct, id: string, props: JwtAuthenticationProps) {
    super(scope, id);
    this.service = props.service;
    this.props = props;
    this.providerName = id.toLowerCase().replace(/[^a-z0-9-]/g, '-');
    const mesh = props.service.mesh;
    mesh._recordValueProblems(this.node.path, props);
    mesh._record('jwtProviders', { ...props, path: this.node.path, id, providerName: this.providerName });
    mesh.engine._translator.addJwtResources(props.service, () => mesh._model());
    this.node.addValidation({ validate: () => mesh._problemsAt(this.node.path) });
  }
}
