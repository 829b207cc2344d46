/** How sidecars authenticate each other. */
export enum MtlsMode {
  /** Every call between sidecars uses mutual TLS; plaintext is refused. */
  STRICT = 'STRICT',
  /**
   * Sidecars call each other with mutual TLS but also accept plaintext
   * (unauthenticated, so not authorized by identity): for migrating clients
   * onto the mesh.
   */
  PERMISSIVE = 'PERMISSIVE',
  /** No TLS between sidecars, and so no authorization by identity. */
  DISABLED = 'DISABLED',
}

/** Oldest TLS version the sidecars accept. */
export enum TlsVersion {
  /** TLS 1.2. */
  TLS_1_2 = 'TLSv1_2',
  /** TLS 1.3. */
  TLS_1_3 = 'TLSv1_3',
}

/** Whether unauthorized callers are refused or only logged. */
export enum AuthorizationMode {
  /** Callers that are not declared get 403 (or a closed connection for TCP). */
  ENFORCE = 'ENFORCE',
  /** Every caller is let through; denials are only counted (`rbac.shadow_denied`) and logged, for migration. */
  DRY_RUN = 'DRY_RUN',
}

/** The SPIFFE identity of a service account. */
export function spiffeId(trustDomain: string, namespace: string, serviceAccount: string): string {
  return `spiffe://${trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
}
