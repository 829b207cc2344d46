/**
 * The plan as text: for each wave, what it does, how to apply it, and what
 * to wait for before the next one.
 */
import * as path from 'path';
import { RolloutPlan } from './plan';
import { intentOf, isSidecarShard, MeshState, same } from './state';

/** How long the plan waits for a changed ConfigMap to reach every sidecar, in seconds (see README, "Rolling out a change"). */
export const PROPAGATION_SECONDS = 90;

/** What the checks cover, as printed. */
export const CHECKED = 'every Envoy file parses; every route\'s cluster is in its sidecar\'s CDS; every RBAC principal names pods that run in that wave, '
  + 'the one before or the one after; while two waves mix, every caller\'s pods (old or new configuration) are admitted by both versions of each '
  + 'upstream they call, and every endpoint they send to has pods in both';

/** The plan's instructions for `out`. */
export function planText(plan: RolloutPlan, old: MeshState, out: string): string {
  const lines: string[] = [];
  const count = plan.waves.length;
  if (plan.fallback) lines.push(`One wave: ${plan.fallback}.`);
  else if (count === 1) lines.push(plan.waves[0].steps.length === 0 ? 'No changes: one wave, equal to NEW.' : 'A single apply is safe: one wave, equal to NEW.');
  else lines.push(`${count} waves (${plan.waves.map(w => w.name).join(', ')}); a single apply would not be safe: ${plan.singleApplyProblems.join('; ') || 'it mixes the steps below in any order'}.`);
  if (plan.fallback && plan.singleApplyProblems.length > 0) lines.push(`Applying at once risks: ${plan.singleApplyProblems.join('; ')}.`);
  plan.notes.forEach(note => lines.push(`Note: ${note}.`));
  lines.push(`Checked in each wave: ${CHECKED}.`, '');
  let prev = old;
  plan.waves.forEach((wave, i) => {
    lines.push(`## Wave ${i + 1}: ${wave.name}`);
    wave.steps.forEach(step => lines.push(`- ${step.kind}: ${step.text}`));
    lines.push('', `    kubectl apply -f ${path.join(out, wave.name)}`);
    for (const [key, doc] of prev) if (!wave.state.has(key)) lines.push(`    kubectl delete ${doc.kind.toLowerCase()} ${doc.metadata.name}${doc.metadata.namespace ? ` -n ${doc.metadata.namespace}` : ''}`);
    const changed = [...wave.state].filter(([key, doc]) => !same(prev.get(key), doc));
    const rollouts = changed.map(([, doc]) => doc).filter(doc => doc.kind === 'Deployment');
    // A new ConfigMap is read by new pods as they start; a changed one must reach running pods.
    const configMaps = changed.filter(([key, doc]) => (intentOf(doc) || isSidecarShard(doc)) && prev.has(key)).map(([, doc]) => doc);
    const before = i < count - 1 ? 'Before the next wave' : 'The change has landed when';
    if (rollouts.length + configMaps.length > 0) lines.push('', `${before}:`);
    for (const d of rollouts) lines.push(`    kubectl rollout status deployment/${d.metadata.name} -n ${d.metadata.namespace ?? 'default'} --timeout=10m`);
    if (configMaps.length > 0) {
      lines.push(`    # sidecars run the new ${configMaps.map(d => `${d.metadata.namespace}/${d.metadata.name}`).join(', ')}: until each sidecar reports its `
        + `configuration version, wait ${PROPAGATION_SECONDS} s after the apply (kubelet sync up to 1.5 x 60 s, then Envoy reloads)`,
      `    sleep ${PROPAGATION_SECONDS}`);
    }
    lines.push('');
    prev = wave.state;
  });
  return lines.join('\n');
}
