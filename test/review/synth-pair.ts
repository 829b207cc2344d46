import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { main } from '../../src/cli';
import { MeshChange } from '../../src/review/diff';

const dirs: string[] = [];
afterAll(() => dirs.forEach(dir => fs.rmSync(dir, { recursive: true, force: true })));

/** A fresh temporary directory, removed after the test file. */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-mesh-review-'));
  dirs.push(dir);
  return dir;
}

/** Synthesizes an app (validations included) into a fresh directory, as `cdk8s synth` does. */
export function synthTo(build: (app: App) => void): string {
  const outdir = tempDir();
  const app = new App({ outdir });
  build(app);
  app.synth();
  return outdir;
}

/** Runs the bin: its exit code, standard output and standard error. */
export function runCli(args: string[]): { code: number; output: string; errors: string } {
  let output = '';
  let errors = '';
  const code = main(args, text => { output += text; }, text => { errors += text; });
  return { code, output, errors };
}

/** The result of `cdk8s-mesh diff OLD NEW --json --fail-on risky` on two synthesized apps. */
export function diffApps(before: (app: App) => void, after: (app: App) => void): { code: number; changes: MeshChange[]; lines: string[] } {
  const { code, output, errors } = runCli(['diff', synthTo(before), synthTo(after), '--json', '--fail-on', 'risky']);
  if (code === 2) throw new Error(errors);
  const changes: MeshChange[] = JSON.parse(output);
  return { code, changes, lines: changes.map(c => `${c.risky ? 'RISKY ' : ''}${c.service}: ${c.text}`) };
}
