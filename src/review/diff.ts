import { INTENT_ANNOTATION, ServiceIntent } from './intent';

/** One change between two synthesized meshes, in the library's terms. */
export interface MeshChange {
  /** The service it concerns, `<namespace>/<name>`. */
  readonly service: string;
  readonly text: string;
  /** Needs a closer review: an identity gains access, authorization loosens, retries rise, or pods restart. */
  readonly risky: boolean;
}

/** What the diff reads of a synthesized output: the intent of each sidecar, and the alerts of the PrometheusRules. */
export interface MeshSnapshot {
  readonly services: Record<string, ServiceIntent>;
  readonly alerts: Record<string, string[]>;
}

/** The snapshot of a list of manifests (as `cdk8s synth` writes them). Pure. */
export function snapshotOf(manifests: any[]): MeshSnapshot {
  const services: Record<string, ServiceIntent> = {};
  const alerts: Record<string, string[]> = {};
  for (const m of manifests) {
    const intent = m?.kind === 'ConfigMap' ? m.metadata?.annotations?.[INTENT_ANNOTATION] : undefined;
    if (intent) {
      const parsed: ServiceIntent = JSON.parse(intent);
      services[`${parsed.namespace}/${parsed.service}`] = parsed;
    }
    if (m?.kind === 'PrometheusRule') {
      const names = (m.spec?.groups ?? []).flatMap((g: any) => (g.rules ?? []).flatMap((r: any) => (r.alert ? [r.alert] : [])));
      const key = `${m.metadata?.namespace ?? 'default'}/${m.metadata?.name}`;
      if (names.length > 0) alerts[key] = [...new Set<string>(names)].sort();
    }
  }
  return { services, alerts };
}

/** The changes from `before` to `after`, service by service, in a stable order. Pure. */
export function diffMeshes(before: MeshSnapshot, after: MeshSnapshot): MeshChange[] {
  const changes: MeshChange[] = [];
  for (const key of union(before.services, after.services)) {
    const [old, now] = [before.services[key], after.services[key]];
    const add = (text: string, risky = false) => changes.push({ service: key, text, risky });
    if (!old) {
      add(`new service ${key}`, true);
      continue;
    }
    if (!now) {
      add(`service ${key} removed`, true);
      continue;
    }
    if (old.mtls !== now.mtls) add(`mTLS ${old.mtls} → ${now.mtls}`, rank(now.mtls) < rank(old.mtls));
    if (old.sidecarImage !== now.sidecarImage) add(`sidecar image ${old.sidecarImage} → ${now.sidecarImage}: every pod restarts`, true);
    diffCallers(old, now, add);
    for (const upstream of union(old.calls, now.calls)) diffCall(now.service, upstream, old.calls[upstream], now.calls[upstream], add);
  }
  for (const key of union(before.alerts, after.alerts)) {
    const [old, now] = [new Set(before.alerts[key] ?? []), new Set(after.alerts[key] ?? [])];
    for (const alert of now) if (!old.has(alert)) changes.push({ service: key, text: `new alert ${alert}`, risky: false });
    for (const alert of old) if (!now.has(alert)) changes.push({ service: key, text: `alert ${alert} removed`, risky: true });
  }
  return changes;
}

type Add = (text: string, risky?: boolean) => void;

function diffCallers(old: ServiceIntent, now: ServiceIntent, add: Add): void {
  if (!old.callers || !now.callers) return;
  for (const caller of union(old.callers, now.callers)) {
    const [was, is] = [old.callers[caller], now.callers[caller]];
    if (!was) {add(`${caller} may now call ${now.service} (${is.join(', ')})`, true);} else if (!is) {add(`${caller} may no longer call ${now.service}`);} else if (was.join() !== is.join()) {
      const gained = is.filter(rule => !was.includes(rule));
      add(`${caller} → ${now.service}: may request ${is.join(', ')} (was ${was.join(', ')})`, gained.length > 0);
    }
  }
}

function diffCall(service: string, upstream: string, old: ServiceIntent['calls'][string] | undefined, now: ServiceIntent['calls'][string] | undefined, add: Add): void {
  if (!old || !now) {
    add(old ? `${service} no longer calls ${upstream}: its pods restart` : `${service} now calls ${upstream}: its pods restart`, true);
    return;
  }
  const weights = (call: typeof old) => call.routes.map(r => `${r.match === '*' ? '' : `${r.match}: `}${shares(upstream, r.weights)}`).join('; ');
  if (weights(old) !== weights(now)) add(`${upstream}: ${weights(old)} → ${weights(now)} (from ${service})`);
  const retries = (call: typeof old) => Math.max(0, (call.attempts ?? 1) - 1);
  if (retries(old) !== retries(now)) add(`${service} → ${upstream}: retries ${retries(old)} → ${retries(now)}`, retries(now) > retries(old));
  for (const [what, key] of [['per-try timeout', 'perTryTimeoutMs'], ['timeout', 'timeoutMs']] as const) {
    if (old[key] !== now[key]) add(`${service} → ${upstream}: ${what} ${ms(old[key])} → ${ms(now[key])}`);
  }
}

function shares(upstream: string, weights: Record<string, number>): string {
  return Object.entries(weights).map(([cluster, weight]) => `${cluster.replace(`${upstream}_`, '')} ${weight}%`).join(' / ');
}

function ms(value: number | undefined): string {
  return value === undefined ? 'none' : `${value} ms`;
}

/** STRICT is the strongest, DISABLED the weakest. */
function rank(mtls: string): number {
  return ['DISABLED', 'PERMISSIVE', 'STRICT'].indexOf(mtls);
}

function union(a: object, b: object): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}

/** The changes as Markdown, ready for a pull-request comment. */
export function changesMarkdown(changes: MeshChange[]): string {
  if (changes.length === 0) return 'No changes.\n';
  const risky = changes.filter(c => c.risky).length;
  const lines = [`## Mesh changes (${changes.length}${risky > 0 ? `, ${risky} risky` : ''})`, ''];
  for (const change of changes) lines.push(`- ${change.risky ? '**risky** ' : ''}${change.service}: ${change.text}`);
  return lines.join('\n') + '\n';
}
