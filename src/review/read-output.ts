import * as fs from 'fs';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { MeshSnapshot, namespacesOf, snapshotOf } from './snapshot';

/** Input the CLI cannot compare or plan: reported with exit status 2. */
export class BadInput extends Error {}

/** One YAML file of a synth output: its path relative to the output directory, and its objects. */
export interface OutputFile {
  readonly path: string;
  readonly docs: any[];
}

/** The snapshot of a synth output directory, or BadInput naming what is wrong with it. */
export function readSnapshot(dir: string): MeshSnapshot {
  return snapshotIn(dir, outputFiles(dir).flatMap(file => file.docs));
}

/** The YAML files of a synth output directory (checked as `readSnapshot` checks them) with its snapshot. */
export function readOutput(dir: string): { files: OutputFile[]; snapshot: MeshSnapshot } {
  const files = outputFiles(dir);
  return { files, snapshot: snapshotIn(dir, files.flatMap(file => file.docs)) };
}

/** Refuses outputs of different meshes: with no namespace in common, every service would read as removed and added. */
export function comparable(dirs: string[], before: MeshSnapshot, after: MeshSnapshot): void {
  const [old, now] = [namespacesOf(before), namespacesOf(after)];
  if (old.length > 0 && now.length > 0 && !old.some(ns => now.includes(ns))) {
    throw new BadInput(`${dirs[0]} and ${dirs[1]} are outputs of different meshes or namespaces (${old.join(', ')} and ${now.join(', ')}): `
      + 'compare two outputs of the same app');
  }
}

function snapshotIn(dir: string, manifests: any[]): MeshSnapshot {
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

function outputFiles(dir: string): OutputFile[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch (e) {
    throw new BadInput(`cannot read ${dir}: ${(e as Error).message}`);
  }
  if (!stat.isDirectory()) throw new BadInput(`${dir} is not a directory: pass the output directory of \`cdk8s synth\` (dist)`);
  return filesIn(dir, '');
}

/** Every YAML file of a directory and its subdirectories; BadInput for a file that cannot be read or parsed. */
function filesIn(root: string, relative: string): OutputFile[] {
  const dir = path.join(root, relative);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw new BadInput(`cannot read ${dir}: ${(e as Error).message}`);
  }
  return entries.sort((a, b) => a.name.localeCompare(b.name)).flatMap(entry => {
    const rel = path.join(relative, entry.name);
    const file = path.join(root, rel);
    if (entry.isDirectory()) return filesIn(root, rel);
    if (!/\.ya?ml$/.test(entry.name)) return [];
    try {
      fs.readFileSync(file); // Yaml.load reads a path it cannot open as a URL: fail here instead
      const docs = Yaml.load(file).filter(doc => doc);
      if (docs.every(doc => typeof doc?.apiVersion === 'string' && typeof doc?.kind === 'string')) return [{ path: rel, docs }];
    } catch (e) {
      throw new BadInput(`cannot read ${file}: ${(e as Error).message.split('\n')[0]}`);
    }
    throw new BadInput(`${file} is not a synth output: it holds a document that is not a Kubernetes object (malformed YAML, or another kind of file)`);
  });
}
