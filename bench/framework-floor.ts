/**
 * What cdk8s itself costs to write the mesh's output, whatever builds it:
 * the objects the mesh synthesizes (collected untimed, as the YAML floor of
 * bench/scenario.ts collects them) are written again as plain `ApiObject`s
 * of a new app, whose construction and `App.synth()` are timed (cdk8s's
 * resolution, sanitizing, dependency graph, YAML and files), against the
 * YAML floor of the same objects (`Yaml.save` alone). Each measurement runs
 * in a process of its own (plain node on JavaScript compiled with tsc, as
 * bench/run.ts runs its scenarios), with the mesh built and held in both, in
 * alternation:
 *
 *   npx ts-node --transpile-only bench/framework-floor.ts [N=1000] [reps=5]
 *
 * The ratio is the least any cdk8s library writing this output can take
 * against the floor.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { ApiObject, App, Chart, Names, Yaml } from 'cdk8s';
import { DEFAULT_FEATURES } from './features';

type Kind = 'floor' | 'literal';

function measure(kind: Kind, n: number): number {
  const { buildMesh } = require('./mesh-workload') as typeof import('./mesh-workload');
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-mesh-framework-floor-'));
  try {
    const app = new App({ outdir });
    buildMesh(app, n, DEFAULT_FEATURES);
    const charts = app.charts.map(chart => ({ chart, objects: chart.toJson() }));
    const t0 = performance.now();
    if (kind === 'floor') {
      for (const { chart, objects } of charts) Yaml.save(path.join(outdir, `${Names.toDnsLabel(chart)}${app.outputFileExtension}`), objects);
    } else {
      const literal = new App({ outdir: path.join(outdir, 'literal') });
      charts.forEach(({ chart, objects }) => {
        const copy = new Chart(literal, chart.node.id);
        objects.forEach((object, i) => new ApiObject(copy, `o${i}`, object));
      });
      literal.synth();
    }
    return performance.now() - t0;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function main(): void {
  const [kind, n] = process.argv.slice(2);
  if (kind === 'floor' || kind === 'literal') {
    process.stdout.write(`MS ${measure(kind, Number(n))}\n`);
    return;
  }
  const size = Number(process.argv[2] ?? 1000);
  const reps = Number(process.argv[3] ?? 5);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-mesh-framework-floor-build-'));
  const root = path.resolve(__dirname, '..');
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'bench', 'tsconfig.json'), '--noEmit', 'false', '--outDir', out],
    { cwd: root, encoding: 'utf8' });
  if (tsc.status !== 0) throw new Error(`tsc failed: ${tsc.stdout}${tsc.stderr}`);
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(out, 'node_modules'), 'dir');
  const run = (k: Kind) => {
    const child = spawnSync(process.execPath, [path.join(out, 'bench', 'framework-floor.js'), k, String(size)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const line = child.stdout.split('\n').find(l => l.startsWith('MS '));
    if (!line) throw new Error(`${k} failed: ${child.stderr}`);
    return Number(line.slice(3));
  };
  const ratios: number[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const [floor, literal] = [run('floor'), run('literal')];
    ratios.push(literal / floor);
    console.log(`rep ${rep + 1}: floor ${floor.toFixed(0)} ms, literal ApiObjects ${literal.toFixed(0)} ms, ratio ${(literal / floor).toFixed(2)}`);
  }
  const sorted = [...ratios].sort((a, b) => a - b);
  console.log(`N=${size}: median ratio ${sorted[Math.floor(reps / 2)].toFixed(2)} [${sorted[0].toFixed(2)}-${sorted[reps - 1].toFixed(2)}]`);
}

main();
