import { invalidDnsLabel } from '../value-checks';
import { ServiceRef } from './types';

/**
 * Throws unless `service` and `upstreams` are valid Kubernetes names and no
 * two upstreams share a name: a caller's listeners and clusters are named
 * after the upstream's name alone, so the metrics could not tell them apart.
 */
export function assertServices(service: ServiceRef, upstreams: readonly ServiceRef[] = []): void {
  const errors: string[] = [];
  for (const ref of [service, ...upstreams]) {
    const name = invalidDnsLabel(ref?.name);
    const namespace = invalidDnsLabel(ref?.namespace);
    if (name) errors.push(`service name: ${name}`);
    if (namespace) errors.push(`namespace of '${ref?.name}': ${namespace}`);
  }
  const seen = new Set<string>();
  for (const upstream of upstreams) {
    if (seen.has(upstream.name)) {
      errors.push(`'${service.name}' has two upstreams named '${upstream.name}': their sidecar metrics would be indistinguishable, so list each upstream name once`);
    }
    seen.add(upstream.name);
  }
  if (errors.length > 0) throw new Error(`invalid monitoring input for '${service?.name}':\n  ${errors.join('\n  ')}`);
}

/** `namespace/name`, for group names and messages. */
export function qualifiedName(ref: ServiceRef): string {
  return `${ref.namespace}/${ref.name}`;
}
