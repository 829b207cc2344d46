import type { Mesh } from './mesh';
import type { MeshService } from './mesh-service';

/**
 * A Mermaid flowchart of the mesh: services grouped by namespace with their
 * versions and load balancer, calls with their route weights and failover
 * settings, and backups as dotted arrows. Deterministic.
 */
export function meshDiagram(mesh: Mesh): string {
  const lines = ['flowchart LR'];
  const services = mesh.services;
  const id = (s: MeshService) => `${s.namespace}__${s.name}`.replace(/-/g, '_');
  for (const namespace of [...new Set(services.map(s => s.namespace))]) {
    lines.push(`  subgraph ns_${namespace.replace(/-/g, '_')}["${namespace}"]`);
    for (const service of services.filter(s => s.namespace === namespace)) {
      const details = [service._versions().join(', '), service.loadBalancer.description, service.protocol];
      lines.push(`    ${id(service)}["<b>${service.name}</b><br/>${details.join('<br/>')}"]`);
    }
    lines.push('  end');
  }
  for (const caller of services) {
    for (const upstream of [...new Set(caller.upstreams)]) {
      lines.push(`  ${id(caller)} -->|"${edgeLabel(caller, upstream)}"| ${id(upstream)}`);
    }
  }
  for (const service of services) {
    const backup = service._failoverFor(service).backup;
    if (!backup) continue;
    const target = backup.backupService ? id(backup.backupService) : `ext_${backup.description.replace(/[^a-zA-Z0-9]/g, '_')}`;
    if (!backup.backupService) lines.push(`  ${target}[("${backup.description}")]`);
    lines.push(`  ${id(service)} -.->|backup| ${target}`);
  }
  return lines.join('\n') + '\n';
}

/** Routes (with weights), retries and timeouts of one call. */
function edgeLabel(caller: MeshService, upstream: MeshService): string {
  const parts = upstream._routesFor(caller).map(route => {
    const targets = route.props.targets.map(t => `${t.weight}% ${t.description.replace(/^version /, '')}`).join(' / ');
    return route.props.match ? `match: ${targets}` : targets;
  });
  const { retry, timeout, outlierDetection } = upstream._failoverFor(caller);
  if (retry) parts.push(`${retry.attempts} attempts`);
  if (timeout) parts.push(`timeout ${timeout.toMilliseconds({ integral: false })}ms`);
  if (outlierDetection) parts.push(`ejects on ${outlierDetection.description}`);
  return parts.length > 0 ? parts.join('<br/>') : 'calls';
}
