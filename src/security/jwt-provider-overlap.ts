/** What a request must carry where the paths of several JWT providers of one service overlap. */
export enum JwtProviderOverlap {
  /** A valid token of any one of the providers (Envoy's `requires_any`). */
  ANY_PROVIDER = 'ANY_PROVIDER',
  /**
   * A valid token of every one of the providers (Envoy's `requires_all`). A
   * request carries one bearer token, so the providers must share their issuer
   * (and differ, for example, in audiences).
   */
  ALL_PROVIDERS = 'ALL_PROVIDERS',
}
