/**
 * Writing a plan's waves under `--out`, and nowhere else: one folder per
 * wave, each laid out as the synth outputs are (the last a byte copy of NEW).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { Wave } from './plan';
import { keyOf, same } from './state';
import { BadInput, OutputFile } from '../review/read-output';

/** A wave folder's name: `01-expand`, `02-switch-contract`, `01-apply`. */
export const WAVE_FOLDER = /^\d{2}-[a-z]+(-[a-z]+)*$/;

/** Refuses an `--out` inside (or holding) an input, or one that holds anything but a previous plan's wave folders. */
export function checkOut(out: string, inputs: string[]): void {
  const real = (p: string) => {
    let missing = '';
    let at = path.resolve(p);
    while (!fs.existsSync(at)) {
      missing = path.join(path.basename(at), missing);
      at = path.dirname(at);
    }
    return path.join(fs.realpathSync(at), missing);
  };
  const target = real(out);
  for (const input of inputs) {
    const source = real(input);
    const inside = (a: string, b: string) => a === b || a.startsWith(b + path.sep);
    if (inside(target, source)) throw new BadInput(`--out ${out} is inside ${input}: waves are never written into an input`);
    if (inside(source, target)) throw new BadInput(`--out ${out} holds ${input}: pick a folder apart from the inputs`);
  }
  if (!fs.existsSync(out)) return;
  if (!fs.statSync(out).isDirectory()) throw new BadInput(`--out ${out} is not a directory`);
  const others = fs.readdirSync(out, { withFileTypes: true }).filter(e => !(e.isDirectory() && WAVE_FOLDER.test(e.name)));
  if (others.length > 0) {
    throw new BadInput(`--out ${out} is not empty (${others.map(e => e.name).slice(0, 3).join(', ')}): `
      + 'pass an empty or new folder, or one that holds only the wave folders of a previous plan');
  }
}

/** Replaces the wave folders of `out` with the plan's. */
export function writeWaves(out: string, waves: Wave[], oldDir: string, newDir: string, oldFiles: OutputFile[], newFiles: OutputFile[]): void {
  fs.mkdirSync(out, { recursive: true });
  for (const entry of fs.readdirSync(out)) if (WAVE_FOLDER.test(entry)) fs.rmSync(path.join(out, entry), { recursive: true });
  waves.forEach((wave, i) => {
    const dir = path.join(out, wave.name);
    if (i === waves.length - 1) {
      for (const file of newFiles) copy(path.join(newDir, file.path), path.join(dir, file.path));
      return;
    }
    for (const [file, docs] of layout(wave, oldFiles, newFiles)) {
      const target = path.join(dir, file);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const fromNew = newFiles.find(f => f.path === file);
      const fromOld = oldFiles.find(f => f.path === file);
      if (fromNew && same(fromNew.docs, docs)) copy(path.join(newDir, file), target);
      else if (fromOld && same(fromOld.docs, docs)) copy(path.join(oldDir, file), target);
      else fs.writeFileSync(target, Yaml.stringify(...docs));
    }
  });
}

function copy(from: string, to: string): void {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}

/** The files of a wave: NEW's files with each object as the wave has it, and the objects only OLD has in OLD's files. */
function layout(wave: Wave, oldFiles: OutputFile[], newFiles: OutputFile[]): Map<string, any[]> {
  const files = new Map<string, any[]>();
  const placed = new Set<string>();
  for (const file of [...newFiles, ...oldFiles]) {
    for (const doc of file.docs) {
      const key = keyOf(doc);
      if (placed.has(key) || !wave.state.has(key)) continue;
      placed.add(key);
      files.set(file.path, [...(files.get(file.path) ?? []), wave.state.get(key)]);
    }
  }
  return files;
}
