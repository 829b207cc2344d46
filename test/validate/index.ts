/**
 * Validators for synthesized Kubernetes manifests: strict schemas (core kinds
 * and custom resources) and the restricted Pod Security Standard.
 */
import { validateManifests } from './kubernetes';
import { checkRestrictedPodSecurity, podSpecsOf } from './pod-security';

export * from './kubernetes';
export * from './pod-security';

/** Schema and API-server errors of all manifests, plus restricted-PSS errors of every pod spec they contain. */
export function validateAll(manifests: any[]): string[] {
  const errors = validateManifests(manifests);
  for (const manifest of manifests) {
    for (const { where, spec, metadata } of podSpecsOf(manifest)) {
      errors.push(...checkRestrictedPodSecurity(spec, where, metadata));
    }
  }
  return errors;
}
