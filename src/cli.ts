#!/usr/bin/env node
import * as fs from 'fs';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { changesMarkdown, diffMeshes, snapshotOf } from './review/diff';

const USAGE = 'usage: cdk8s-mesh diff OLD_DIR NEW_DIR [--json] [--fail-on risky]';

/**
 * `cdk8s-mesh diff OLD_DIR NEW_DIR`: what changed between two synthesized
 * outputs (`cdk8s synth` directories), in the mesh's terms, as Markdown (or
 * `--json`). Exits 1 with `--fail-on risky` when a change is risky, 2 on bad
 * usage.
 */
export function main(args: string[], out: (text: string) => void = text => process.stdout.write(text)): number {
  const [command, ...rest] = args;
  const json = rest.includes('--json');
  const failOn = rest.indexOf('--fail-on');
  const failOnRisky = failOn >= 0 && rest[failOn + 1] === 'risky';
  const dirs = rest.filter((arg, i) => !arg.startsWith('--') && !(failOn >= 0 && i === failOn + 1));
  if (command !== 'diff' || dirs.length !== 2 || (failOn >= 0 && !failOnRisky) || !dirs.every(dir => fs.existsSync(dir))) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const [before, after] = dirs.map(dir => snapshotOf(manifestsIn(dir)));
  if ([before, after].every(snapshot => Object.keys(snapshot.services).length === 0)) {
    // Without a sidecar intent, "No changes." would claim what was never compared.
    process.stderr.write('cdk8s-mesh diff compares the intent of static Envoy sidecars (ConfigMaps annotated mesh.cdk8s.io/intent), and found none: '
      + 'a mesh run by Istio or Gateway API is reviewed through its own resources\n');
    return 2;
  }
  const changes = diffMeshes(before, after);
  out(json ? JSON.stringify(changes, undefined, 2) + '\n' : changesMarkdown(changes));
  return failOnRisky && changes.some(change => change.risky) ? 1 : 0;
}

/** Every object of the YAML files of a directory and its subdirectories. */
function manifestsIn(dir: string): any[] {
  return fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)).flatMap(entry => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return manifestsIn(file);
    return /\.ya?ml$/.test(entry.name) ? Yaml.load(file).filter(doc => doc) : [];
  });
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
