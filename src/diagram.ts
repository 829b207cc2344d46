import type { FailoverOptions } from './failover/failover-options';
import { CallModel, failoverFor, MeshModel, ServiceModel, sortServices } from './model/mesh-model';

/**
 * A Mermaid flowchart of the mesh: services grouped by namespace with their
 * versions and load balancer, calls with their route weights and failover
 * settings, and backups as dotted arrows. Deterministic.
 */
export function meshDiagram(model: MeshModel): string {
  const lines = ['flowchart LR'];
  const services = sortServices(model.services);
  const id = ({ service: s }: ServiceModel) => `${s.namespace}__${s.name}`.replace(/-/g, '_');
  for (const namespace of [...new Set(services.map(s => s.service.namespace))]) {
    lines.push(`  subgraph ns_${namespace.replace(/-/g, '_')}["${namespace}"]`);
    for (const service of services.filter(s => s.service.namespace === namespace)) {
      const { name, loadBalancer, protocol } = service.service;
      lines.push(`    ${id(service)}["<b>${name}</b><br/>${[service.versions.join(', '), loadBalancer.description, protocol].join('<br/>')}"]`);
    }
    lines.push('  end');
  }
  const externalId = (name: string, namespace: string) => `external__${namespace}__${name}`.replace(/-/g, '_');
  for (const external of model.externals) {
    const { host, port } = external._endpoint;
    lines.push(`  ${externalId(external.name, external.namespace)}[("<b>${external.name}</b><br/>outside the mesh<br/>${host}:${port}")]`);
  }
  for (const caller of services) {
    for (const call of caller.calls) lines.push(`  ${id(caller)} -->|"${edgeLabel(call)}"| ${id(call.upstream)}`);
    for (const { external } of caller.externalCalls) {
      lines.push(`  ${id(caller)} -->|"${failoverLabel(external.failover)}"| ${externalId(external.name, external.namespace)}`);
    }
  }
  for (const service of services) {
    const backup = failoverFor(service, service.service).backup;
    if (!backup) continue;
    const target = backup.backupService ? id(model.of(backup.backupService)) : `ext_${backup.description.replace(/[^a-zA-Z0-9]/g, '_')}`;
    if (!backup.backupService) lines.push(`  ${target}[("${backup.description}")]`);
    lines.push(`  ${id(service)} -.->|backup| ${target}`);
  }
  return lines.join('\n') + '\n';
}

/** Routes (with weights), retries and timeouts of one call. */
function edgeLabel(call: CallModel): string {
  const parts = call.routes.map(route => {
    const targets = route.targets.map(t => `${t.weight}% ${t.description.replace(/^version /, '')}`).join(' / ');
    return route.match ? `match: ${targets}` : targets;
  });
  return [...parts, failoverLabel(call.failover)].filter(part => part !== 'calls').join('<br/>') || 'calls';
}

/** Retries, timeout and outlier detection of a call. */
function failoverLabel({ retry, timeout, outlierDetection }: FailoverOptions): string {
  const parts: string[] = [];
  if (retry) parts.push(`${retry.attempts} attempts`);
  if (timeout) parts.push(`timeout ${timeout.toMilliseconds({ integral: false })}ms`);
  if (outlierDetection) parts.push(`ejects on ${outlierDetection.description}`);
  return parts.length > 0 ? parts.join('<br/>') : 'calls';
}
