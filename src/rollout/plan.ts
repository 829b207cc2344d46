/**
 * `cdk8s-mesh plan`: a change as waves, each a complete state built object
 * by object from OLD or NEW (a sidecar's authorization may hold the callers of
 * both, and a service's alerts expect its sidecar's version of the wave), checked, the last equal to NEW; one wave when that is safe, or when
 * no safe order could be built (with the reason).
 */
import { checkStates } from './checks';
import { withExpectedVersions } from './expected-versions';
import { edgesOf, wavesOf } from './order';
import { MeshState, same } from './state';
import { Step, StepKind, stepsOf } from './steps';
import { EngineName } from '../review/snapshot';

/** One wave: its folder name, its objects, and the steps it applies. */
export interface Wave {
  readonly name: string;
  readonly state: MeshState;
  readonly steps: Step[];
}

/** A rollout plan. */
export interface RolloutPlan {
  readonly waves: Wave[];
  /** Why the change is applied at once although it has steps (absent when the waves are staged, or one apply is safe). */
  readonly fallback?: string;
  /** Problems of the plan's own transitions (a fallback's single apply may have some). */
  readonly problems: string[];
  /** Problems a single apply of NEW would have, for comparison. */
  readonly singleApplyProblems: string[];
  readonly notes: string[];
}

const ORDER: StepKind[] = ['expand', 'switch', 'contract'];

/** The plan from `old` (made by engine `was`) to `now` (by `engine`). Pure. */
export function planRollout(old: MeshState, now: MeshState, was: EngineName | undefined, engine: EngineName | undefined): RolloutPlan {
  const singleApplyProblems = engine === 'static Envoy' && was === engine ? checkStates([old, now]) : [];
  const single = (fallback: string | undefined, steps: Step[], notes: string[] = []): RolloutPlan => ({
    waves: [{ name: '01-apply', state: now, steps }], fallback, problems: singleApplyProblems, singleApplyProblems, notes,
  });
  if (was !== engine) {
    return single(`the engine changes (${was} → ${engine}): every pod restarts with another proxy and every policy is re-expressed, `
      + 'so no order of these objects keeps old and new pods talking (plan such a move by hand, service by service)', []);
  }
  if (engine !== 'static Envoy') {
    return single(`only static sidecars are planned in waves: ${engine} proxies take their configuration from their control plane, `
      + 'which pushes it within seconds (apply at once)', []);
  }
  const steps = stepsOf(old, now);
  if (steps.steps.length === 0) return single(undefined, []);
  const order = wavesOf(steps, edgesOf(old, now, steps));
  if ('cycle' in order) {
    return single(`no order of whole objects is safe: these steps wait on each other (${order.cycle.join(', ')})`, steps.steps, steps.notes);
  }
  const count = Math.max(...order.wave.values()) + 1;
  const waves: Wave[] = [];
  try {
    for (let w = 0; w < count; w++) {
      const applied = new Set([...order.wave].filter(([, at]) => at <= w).map(([id]) => id));
      const inWave = steps.steps.filter(s => order.wave.get(s.id) === w).sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
      const kinds = ORDER.filter(kind => inWave.some(s => s.kind === kind));
      waves.push({ name: `${String(w + 1).padStart(2, '0')}-${count === 1 ? 'apply' : kinds.join('-')}`, state: withExpectedVersions(steps.resolve(applied)), steps: inWave });
    }
  } catch (e) {
    return single(`an intermediate sidecar configuration could not be built: ${(e as Error).message}`, steps.steps, steps.notes);
  }
  const last = waves[waves.length - 1].state;
  if (last.size !== now.size || [...now].some(([key, doc]) => !same(last.get(key), doc))) {
    return single('internal error: the last wave differs from NEW', steps.steps, steps.notes);
  }
  const problems = count > 1 ? checkStates([old, ...waves.map(w => w.state)]) : singleApplyProblems;
  if (count > 1 && problems.length > 0) {
    return single(`the waves fail their own checks (${problems.join('; ')})`, steps.steps, steps.notes);
  }
  return { waves, problems, singleApplyProblems, notes: steps.notes };
}
