import { Add, MeshChange, union } from './change';
import { diffNetworks, diffSecurity, diffWorkloads } from './diff-protection';
import { CallIntent, ServiceIntent } from './intent';
import { MeshSnapshot } from './snapshot';

export { snapshotOf } from './snapshot';
export type { MeshSnapshot } from './snapshot';
export type { MeshChange } from './change';

/** The changes from `before` to `after`, service by service, in a stable order. Pure. */
export function diffMeshes(before: MeshSnapshot, after: MeshSnapshot): MeshChange[] {
  const changes: MeshChange[] = [];
  const on = (service: string): Add => (text, risky = false) => changes.push({ service, text, risky });
  if (before.engine !== after.engine) {
    // Every object is replaced: one change, not each service "removed" and "new".
    const scope = [...new Set([...Object.keys(before.services), ...Object.keys(after.services)].map(k => k.split('/')[0]))].sort().join(', ');
    on(scope)(`engine switched ${before.engine ?? 'none'} → ${after.engine ?? 'none'}: every pod restarts with another proxy, and every policy and route `
      + 'is re-expressed in other resources (review them whole; they are not compared across engines)', true);
  } else {
    for (const key of union(before.services, after.services)) diffService(key, before.services[key], after.services[key], on(key));
    for (const key of union(before.networks, after.networks)) diffNetworks(before.networks[key], after.networks[key], on(key));
    diffWorkloads(before.workloads, after.workloads, on);
  }
  for (const key of union(before.alerts, after.alerts)) {
    const [old, now] = [new Set(before.alerts[key] ?? []), new Set(after.alerts[key] ?? [])];
    for (const alert of now) if (!old.has(alert)) on(key)(`new alert ${alert}`);
    for (const alert of old) if (!now.has(alert)) on(key)(`alert ${alert} removed`, true);
  }
  return changes;
}

function diffService(key: string, old: ServiceIntent | undefined, now: ServiceIntent | undefined, add: Add): void {
  if (!old || !now) {
    add(old ? `service ${key} removed` : `new service ${key}`, true);
    return;
  }
  diffSecurity(old, now, add);
  for (const upstream of union(old.calls, now.calls)) diffCall(now.service, upstream, old.calls[upstream], now.calls[upstream], add);
  for (const caller of union(old.routedFrom ?? {}, now.routedFrom ?? {})) {
    diffCall(caller === '*' ? 'every caller' : caller, now.service, old.routedFrom?.[caller], now.routedFrom?.[caller], add);
  }
}

function diffCall(service: string, upstream: string, old: CallIntent | undefined, now: CallIntent | undefined, add: Add): void {
  if (!old || !now) {
    add(old ? `${service} no longer calls ${upstream}` : `${service} now calls ${upstream}`, !old);
    if (old) return;
  }
  const was = old ?? { routes: [] };
  const weights = (call: CallIntent) => call.routes.map(r => `${r.match === '*' ? '' : `${r.match}: `}${shares(upstream, r.weights)}`).join('; ');
  if (old && weights(was) !== weights(now!)) add(`${upstream}: ${weights(was)} → ${weights(now!)} (from ${service})`);
  const retries = (call: CallIntent) => Math.max(0, (call.attempts ?? 1) - 1);
  if (old && retries(was) !== retries(now!)) add(`${service} → ${upstream}: retries ${retries(was)} → ${retries(now!)}`, retries(now!) > retries(was));
  for (const [what, field] of [['per-try timeout', 'perTryTimeoutMs'], ['timeout', 'timeoutMs']] as const) {
    if (old && was[field] !== now![field]) add(`${service} → ${upstream}: ${what} ${ms(was[field])} → ${ms(now![field])}`);
  }
  diffExternal(service, upstream, was.external ?? [], now!.external ?? [], add);
}

/** Hosts outside the mesh: a host reached in plaintext where it was reached over TLS is risky, as is a new host. */
function diffExternal(service: string, upstream: string, old: string[], now: string[], add: Add): void {
  const split = (entry: string) => entry.split(' ') as [string, string];
  const was = new Map(old.map(split));
  for (const [target, tls] of now.map(split)) {
    const before = was.get(target);
    if (before === undefined) add(`${service} → ${upstream}: reaches ${target} (${tls})`, true);
    else if (before !== tls) add(`${service} → ${upstream}: ${target} ${before} → ${tls}${tls === 'plaintext' ? ': requests leave the cluster unencrypted' : ''}`, tls === 'plaintext');
  }
  const is = new Set(now.map(e => split(e)[0]));
  for (const [target] of old.map(split)) if (!is.has(target)) add(`${service} → ${upstream}: no longer reaches ${target}`);
}

function shares(upstream: string, weights: Record<string, number>): string {
  return Object.entries(weights).map(([cluster, weight]) => `${cluster.replace(`${upstream}_`, '')} ${weight}%`).join(' / ');
}

function ms(value: number | undefined): string {
  return value === undefined ? 'none' : `${value} ms`;
}

/** The changes as Markdown, ready for a pull-request comment. */
export function changesMarkdown(changes: MeshChange[]): string {
  if (changes.length === 0) return 'No changes.\n';
  const risky = changes.filter(c => c.risky).length;
  const lines = [`## Mesh changes (${changes.length}${risky > 0 ? `, ${risky} risky` : ''})`, ''];
  for (const change of changes) lines.push(`- ${change.risky ? '**risky** ' : ''}${change.service}: ${change.text}`);
  return lines.join('\n') + '\n';
}
