import { planRollout } from './plan';
import { planText } from './report';
import { stateOf } from './state';
import { checkOut, writeWaves } from './write';
import { BadInput, comparable, readOutput } from '../review/read-output';

/**
 * `cdk8s-mesh plan OLD_DIR NEW_DIR --out DIR`: writes the change as waves
 * `DIR/01-<what>/`, ... and prints how to apply them. Exits 2 on bad usage or
 * input (nothing written), 1 when the plan is one wave that its checks find
 * unsafe, 0 otherwise.
 */
export function planCommand(args: string[], out: (text: string) => void, err: (text: string) => void, usage: string): number {
  const at = args.indexOf('--out');
  const dirs = args.filter((_arg, i) => i !== at && i !== at + 1);
  if (at < 0 || !args[at + 1] || args[at + 1].startsWith('--') || dirs.length !== 2 || dirs.some(d => d.startsWith('--'))) {
    err(`${usage}\n`);
    return 2;
  }
  const target = args[at + 1];
  try {
    const [before, after] = dirs.map(readOutput);
    comparable(dirs, before.snapshot, after.snapshot);
    checkOut(target, dirs);
    const [old, now] = [before, after].map(o => stateOf(o.files.flatMap(f => f.docs)));
    const plan = planRollout(old, now, before.snapshot.engine, after.snapshot.engine);
    writeWaves(target, plan.waves, dirs[0], dirs[1], before.files, after.files);
    out(planText(plan, old, target));
    return plan.fallback && plan.problems.length > 0 ? 1 : 0;
  } catch (e) {
    if (!(e instanceof BadInput)) throw e;
    err(`cdk8s-mesh plan: ${e.message}\n`);
    return 2;
  }
}
