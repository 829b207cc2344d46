#!/usr/bin/env node
import { changesMarkdown, diffMeshes } from './review/diff';
import { BadInput, comparable, readSnapshot } from './review/read-output';
import { planCommand } from './rollout/command';

const USAGE = 'usage: cdk8s-mesh diff OLD_DIR NEW_DIR [--json] [--fail-on risky]\n       cdk8s-mesh plan OLD_DIR NEW_DIR --out DIR';

/**
 * `cdk8s-mesh diff OLD_DIR NEW_DIR`: what changed between two synthesized
 * outputs (`cdk8s synth` directories), in the mesh's terms, as Markdown (or
 * `--json`). Exits 1 with `--fail-on risky` when a change is risky, 2 on bad
 * usage or input that cannot be compared.
 */
export function main(args: string[], out: (text: string) => void = text => process.stdout.write(text),
  err: (text: string) => void = text => process.stderr.write(text)): number {
  const [command, ...rest] = args;
  if (command === 'plan') return planCommand(rest, out, err, USAGE);
  const json = rest.includes('--json');
  const failOn = rest.indexOf('--fail-on');
  const failOnRisky = failOn >= 0 && rest[failOn + 1] === 'risky';
  const dirs = rest.filter((arg, i) => !arg.startsWith('--') && !(failOn >= 0 && i === failOn + 1));
  if (command !== 'diff' || dirs.length !== 2 || (failOn >= 0 && !failOnRisky) || rest.some(a => a.startsWith('--') && !['--json', '--fail-on'].includes(a))) {
    err(`${USAGE}\n`);
    return 2;
  }
  try {
    const [before, after] = dirs.map(readSnapshot);
    comparable(dirs, before, after);
    const changes = diffMeshes(before, after);
    out(json ? JSON.stringify(changes, undefined, 2) + '\n' : changesMarkdown(changes));
    return failOnRisky && changes.some(change => change.risky) ? 1 : 0;
  } catch (e) {
    if (!(e instanceof BadInput)) throw e;
    err(`cdk8s-mesh diff: ${e.message}\n`);
    return 2;
  }
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
