import { ApiObject, JsonPatch } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-27';

/**
 * Drops every Linux capability. cdk8s-plus-27's `Capability` enum has no
 * `ALL`, which the "restricted" Pod Security Standard requires.
 */
export const DROP_ALL_CAPABILITIES = { drop: ['ALL' as kplus.Capability] };

/**
 * Pod-level settings of the "restricted" Pod Security Standard that
 * cdk8s-plus-27 does not model: the RuntimeDefault seccomp profile.
 */
export function restrictPodSecurity(deployment: kplus.Workload): void {
  ApiObject.of(deployment).addJsonPatch(
    JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }),
  );
}
