import { Construct } from 'constructs';
import type { MeshService } from '../mesh-service';
import { JwksSource } from './jwks-source';
import { JwtProviderOverlap } from './jwt-provider-overlap';
import { PathMatch } from '../traffic/route-match';

/** Properties of a `JwtAuthentication`. */
export interface JwtAuthenticationProps {
  /** The service whose requests must carry a valid token. */
  readonly service: MeshService;
  /** The `iss` claim tokens must carry. */
  readonly issuer: string;
  /** The keys that verify token signatures. */
  readonly jwks: JwksSource;
  /**
   * Accepted `aud` claims.
   * @default - any audience
   */
  readonly audiences?: string[];
  /**
   * Paths that require a token.
   * @default - every request
   */
  readonly paths?: PathMatch[];
  /**
   * What a request needs where these paths overlap those of another
   * `JwtAuthentication` of the same service: a token of any of the providers,
   * or of all of them. Required (with the same value on each) when paths
   * overlap; a service with several providers accepts only prefix and exact paths.
   * @default - the paths must not overlap those of another provider
   */
  readonly overlap?: JwtProviderOverlap;
  /**
   * Claims copied into request headers for the application (claim name to header name).
   * The sidecar removes these headers from every incoming request first, so the
   * application can trust them: they come from a verified token or not at all.
   * @default - none
   */
  readonly claimHeaders?: { [claim: string]: string };
  /**
   * Whether the token is passed on to the application.
   * @default true
   */
  readonly forwardToken?: boolean;
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
