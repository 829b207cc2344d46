import { JwksSource } from './jwks-source';
import { JwtProviderOverlap } from './jwt-provider-overlap';
import { PathMatch } from '../traffic/route-match';

/** What a `JwtAuthentication` requires of tokens, whichever service it applies to. */
export interface JwtAuthenticationOptions {
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
   * Names with '_' and headers Envoy sets itself (x-envoy-*, x-forwarded-*,
   * x-request-id, tracing headers) are refused.
   * @default - none
   */
  readonly claimHeaders?: { [claim: string]: string };
  /**
   * Whether the token is passed on to the application.
   * @default true
   */
  readonly forwardToken?: boolean;
}
