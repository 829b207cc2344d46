#!/usr/bin/env node
import * as fs from 'fs';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { changesMarkdown, diffMeshes, MeshSnapshot, snapshotOf } from './review/diff';
import { namespacesOf } from './review/snapshot';

const USAGE = 'usage: cdk8s-mesh diff OLD_DIR NEW_DIR [--json] [--fail-on risky]';

/** Input the diff cannot compare: reported with exit status 2. */
class BadInput extends Error {}

/**
 * `cdk8s-mesh diff OLD_DIR NEW_DIR`: what changed between two synthesized
 * outputs (`cdk8s synth` directories), in the mesh's terms, as Markdown (or
 * `--json`). Exits 1 with `--fail-on risky` when a change is risky, 2 on bad
 * usage or input that cannot be compared.
 */
export function main(args: string[], out: (text: string) => void = text => process.stdout.write(text),
  err: (text: string) => void = text => process.stderr.write(text)): number {
  const [command, ...rest] = args;
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

/** The snapshot of a synth output directory, or BadInput naming what is wrong with it. */
function readSnapshot(dir: string): MeshSnapshot {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch (e) {
    throw new BadInput(`cannot read ${dir}: ${(e as Error).message}`);
  }
  if (!stat.isDirectory()) throw new BadInput(`${dir} is not a directory: pass the output directory of \`cdk8s synth\` (dist)`);
  const manifests = manifestsIn(dir);
  if (manifests.length === 0) throw new BadInput(`${dir} is not a synth output: it holds no YAML file with Kubernetes objects`);
  let snapshot: MeshSnapshot;
  try {
    snapshot = snapshotOf(manifests);
  } catch (e) {
    throw new BadInput(`cannot read the mesh of ${dir}: ${(e as Error).message}`);
  }
  if (!snapshot.engine) {
    throw new BadInput(`${dir} holds no mesh: no sidecar intent (ConfigMaps annotated mesh.cdk8s.io/intent), Istio resources or HTTPRoutes`);
  }
  return snapshot;
}

/** Refuses outputs of different meshes: with no namespace in common, every service would read as removed and added. */
function comparable(dirs: string[], before: MeshSnapshot, after: MeshSnapshot): void {
  const [old, now] = [namespacesOf(before), namespacesOf(after)];
  if (old.length > 0 && now.length > 0 && !old.some(ns => now.includes(ns))) {
    throw new BadInput(`${dirs[0]} and ${dirs[1]} are outputs of different meshes or namespaces (${old.join(', ')} and ${now.join(', ')}): `
      + 'compare two outputs of the same app');
  }
}

/** Every object of the YAML files of a directory and its subdirectories; BadInput for a file that cannot be read or parsed. */
function manifestsIn(dir: string): any[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw new BadInput(`cannot read ${dir}: ${(e as Error).message}`);
  }
  return entries.sort((a, b) => a.name.localeCompare(b.name)).flatMap(entry => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return manifestsIn(file);
    if (!/\.ya?ml$/.test(entry.name)) return [];
    try {
      fs.readFileSync(file); // Yaml.load reads a path it cannot open as a URL: fail here instead
      const docs = Yaml.load(file).filter(doc => doc);
      if (docs.every(doc => typeof doc?.apiVersion === 'string' && typeof doc?.kind === 'string')) return docs;
    } catch (e) {
      throw new BadInput(`cannot read ${file}: ${(e as Error).message.split('\n')[0]}`);
    }
    throw new BadInput(`${file} is not a synth output: it holds a document that is not a Kubernetes object (malformed YAML, or another kind of file)`);
  });
}

if (require.main === module) process.exit(main(process.argv.slice(2)));
