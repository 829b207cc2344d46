/**
 * Benchmarks of cdk8s-mesh synthesis (not part of the test suite).
 *
 *   npx ts-node --transpile-only bench/run.ts [--reps=5] [--sizes=10,100,1000,5000]
 *       [--features=monitoring,mtls] [--profile | --no-profile] [--no-write] [--ref=<git ref>]
 *
 * This file only orchestrates. It copies src/ (of the working tree, or of
 * `--ref`) and bench/ into a temporary directory, compiles them there with tsc
 * (bench/tsconfig.json) and runs every scenario
 * with plain `node`, one process per scenario and repetition, so the library
 * is measured as compiled JavaScript (as users run it) and peak RSS is the
 * scenario's own. Repetitions are interleaved (rep 1: every scenario, rep 2:
 * every scenario, ...) so machine noise hits all scenarios alike; ratios are
 * computed within a repetition and the median over repetitions is reported.
 *
 * Writes BENCHMARKS.md (unless --no-write), keeping the hand-written part
 * between the ANALYSIS markers. With a missed target (or --profile) the
 * mesh and baseline at the judged size (1000 services when measured) are re-run under V8's sampling CPU profiler
 * (as `node --cpu-prof`, but only around the timed work) and the hotspots are
 * summarized.
 */
import { execSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { compareAreasMarkdown, profileMarkdown, ProfileSummary, summarizeProfile } from './cpuprofile';
import type { ScenarioKind, ScenarioResult } from './scenario';
import { BenchFeatures, DEFAULT_FEATURES, MAX_RETRY_AMPLIFICATION } from './features';
import { callerSize, CLIENT_SIDE_APPLY_LIMIT } from './sidecar-size';

const ROOT = path.resolve(__dirname, '..');
const KINDS: ScenarioKind[] = ['mesh', 'baseline', 'floor-mesh', 'floor-baseline'];
const ANALYSIS_BEGIN = '<!-- ANALYSIS:BEGIN (hand-written; kept by bench/run.ts across runs) -->';
const ANALYSIS_END = '<!-- ANALYSIS:END -->';

interface Options {
  reps: number;
  sizes: number[];
  features: BenchFeatures;
  profile: 'auto' | 'always' | 'never';
  write: boolean;
  /** Benchmark src/ of this git ref instead of the working tree. */
  ref?: string;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { reps: 5, sizes: [10, 100, 1000, 5000], features: { ...DEFAULT_FEATURES }, profile: 'auto', write: true };
  for (const arg of argv) {
    const [flag, value] = arg.split('=');
    if (flag === '--reps') options.reps = Number(value);
    else if (flag === '--sizes') options.sizes = value.split(',').map(Number);
    else if (flag === '--features') {
      for (const f of value.split(',').filter(Boolean)) {
        if (!(f in options.features)) throw new Error(`unknown feature '${f}': one of ${Object.keys(options.features).join(', ')}`);
        (options.features as any)[f] = true;
      }
    } else if (flag === '--profile') options.profile = 'always';
    else if (flag === '--no-profile') options.profile = 'never';
    else if (flag === '--no-write') options.write = false;
    else if (flag === '--ref') options.ref = value;
    else throw new Error(`unknown argument ${arg}`);
  }
  if (!(options.reps >= 1) || options.sizes.some(n => !Number.isInteger(n) || n < 10)) throw new Error('bad --reps or --sizes');
  return options;
}

// --------------------------------------------------------------------------- running

/**
 * Copies src/ (of the working tree, or of a git ref) and bench/ into a
 * temporary directory, a snapshot safe from concurrent edits, and compiles it
 * there. Returns the directory of the emitted JavaScript.
 */
function compile(ref: string | undefined): string {
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-mesh-bench-build-'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(stage, 'node_modules'), 'dir');
  fs.copyFileSync(path.join(ROOT, 'tsconfig.json'), path.join(stage, 'tsconfig.json'));
  fs.cpSync(path.join(ROOT, 'bench'), path.join(stage, 'bench'), { recursive: true, filter: f => !f.endsWith('.md') });
  if (ref) {
    execSync(`git archive --format=tar ${JSON.stringify(ref)} src | tar -x -C ${JSON.stringify(stage)}`, { cwd: ROOT });
  } else {
    fs.cpSync(path.join(ROOT, 'src'), path.join(stage, 'src'), { recursive: true });
  }
  const out = path.join(stage, 'out');
  const tsc = spawnSync(process.execPath, [
    require.resolve('typescript/bin/tsc', { paths: [ROOT] }), '-p', path.join(stage, 'bench', 'tsconfig.json'),
    '--noEmit', 'false', '--outDir', out,
  ], { cwd: stage, encoding: 'utf8' });
  if (tsc.status !== 0) {
    // Other engineers edit src/ concurrently: a type error elsewhere must not stop the bench, but it is reported.
    process.stderr.write(`bench: tsc reported errors (JavaScript emitted anyway):\n${tsc.stdout}${tsc.stderr}\n`);
  }
  if (!fs.existsSync(path.join(out, 'bench', 'scenario.js'))) throw new Error(`bench: compilation produced no bench/scenario.js in ${out}`);
  return out;
}

function runScenario(buildDir: string, kind: ScenarioKind, n: number, features: BenchFeatures, cpuProfile?: string): ScenarioResult {
  const child = spawnSync(process.execPath, [path.join(buildDir, 'bench', 'scenario.js'), kind, String(n), JSON.stringify(features)], {
    cwd: buildDir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, ...(cpuProfile && { BENCH_CPU_PROFILE: cpuProfile }) },
  });
  const line = child.stdout.split('\n').find(l => l.startsWith('BENCH_RESULT '));
  if (child.status !== 0 || !line) {
    throw new Error(`bench: scenario ${kind} N=${n} failed (exit ${child.status}, signal ${child.signal}):\n${child.stderr}`);
  }
  return JSON.parse(line.slice('BENCH_RESULT '.length));
}

// --------------------------------------------------------------------------- statistics

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (x: number, digits = 0) => x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const mib = (bytes: number) => bytes / 1024 / 1024;

type Results = Map<string, ScenarioResult[]>; // `${kind}/${n}` -> one result per repetition
const at = (results: Results, kind: ScenarioKind, n: number) => results.get(`${kind}/${n}`) ?? [];

/** Median over repetitions of a ratio computed within each repetition. */
function medianRatio(reps: number, f: (rep: number) => number): { median: number; min: number; max: number; values: number[] } {
  const values = Array.from({ length: reps }, (_, r) => f(r));
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), values };
}

// --------------------------------------------------------------------------- report

interface Target { name: string; pass: boolean; detail: string }

function machine(): string[] {
  const sh = (cmd: string) => {
    try {
      return execSync(cmd, { encoding: 'utf8' }).replace(/\s+$/, '');
    } catch {
      return '(unavailable)';
    }
  };
  const cpu = /model name\s*:\s*(.+)/.exec(fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '')?.[1] ?? os.cpus()[0]?.model;
  return [
    `- \`nproc\`: ${sh('nproc')}`,
    `- CPU: ${cpu}`,
    `- \`free -g\`:`,
    '',
    '```',
    sh('free -g'),
    '```',
    '',
    `- node ${process.version} (${process.platform} ${process.arch}), kernel ${os.release()}`,
  ];
}

function gitState(ref: string | undefined): string {
  try {
    const git = (args: string) => execSync(`git ${args}`, { cwd: ROOT, encoding: 'utf8' }).trim();
    if (ref) return `src/ of git ref \`${ref}\` (commit ${git(`rev-parse --short ${JSON.stringify(ref)}`)}), bench/ of the working tree`;
    const dirty = git('status --porcelain -- src');
    return `working tree at ${git('rev-parse --short HEAD')}` +
      (dirty ? `, with uncommitted changes in src/ (${dirty.split('\n').length} paths)` : ', src/ clean');
  } catch {
    return '(not a git checkout)';
  }
}

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  const command = ['npx ts-node --transpile-only bench/run.ts', ...process.argv.slice(2)].join(' ');
  const started = new Date();
  const loadBefore = os.loadavg();
  const log = (s: string) => process.stderr.write(`${s}\n`);

  const source = gitState(options.ref);
  log('bench: compiling src/ and bench/ with tsc ...');
  const buildDir = compile(options.ref);
  const results: Results = new Map();
  for (let rep = 1; rep <= options.reps; rep++) {
    for (const n of options.sizes) {
      for (const kind of KINDS) {
        const r = runScenario(buildDir, kind, n, options.features);
        const key = `${kind}/${n}`;
        results.set(key, [...(results.get(key) ?? []), r]);
        log(`bench: rep ${rep}/${options.reps} ${kind.padEnd(14)} N=${String(n).padEnd(5)} ${fmt(r.wallMs, 1).padStart(9)} ms  ` +
          `${fmt(mib(r.peakRssBytes), 1).padStart(7)} MiB  ${r.objects} objects  ${fmt(r.yamlBytes)} bytes`);
      }
    }
  }
  const loadAfter = os.loadavg();

  // Sanity: the floors serialize exactly what synth wrote.
  const identical = options.sizes.flatMap(n => (['mesh', 'baseline'] as const).map(kind => {
    const hashes = new Set([...at(results, kind, n), ...at(results, `floor-${kind}`, n)].map(r => r.yamlSha256));
    return { kind, n, same: hashes.size === 1 };
  }));

  // ---- tables
  const out: string[] = [];
  out.push('### Scenarios (median over repetitions; [min-max] of wall time)', '');
  out.push('| scenario | N | objects emitted | YAML bytes | wall ms (median) | [min-max] | CPU ms (median) | build ms | synth ms | peak RSS MiB |');
  out.push('| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |');
  const label: Record<ScenarioKind, string> = {
    'mesh': '1. mesh (build + App.synth)',
    'baseline': '2. baseline cdk8s-plus-27 (build + App.synth)',
    'floor-mesh': '3. floor: Yaml.save of the mesh output',
    'floor-baseline': '3. floor: Yaml.save of the baseline output',
  };
  for (const kind of KINDS) {
    for (const n of options.sizes) {
      const rs = at(results, kind, n);
      const wall = rs.map(r => r.wallMs);
      const opt = (xs: (number | undefined)[]) => xs[0] === undefined ? '-' : fmt(median(xs as number[]));
      out.push(`| ${label[kind]} | ${n} | ${fmt(rs[0].objects)} | ${fmt(rs[0].yamlBytes)} | ${fmt(median(wall))} | ${fmt(Math.min(...wall))}-${fmt(Math.max(...wall))} | ${fmt(median(rs.map(r => r.cpuMs)))} | ` +
        `${opt(rs.map(r => r.buildMs))} | ${opt(rs.map(r => r.synthMs))} | ${fmt(mib(median(rs.map(r => r.peakRssBytes))), 0)} |`);
    }
  }
  out.push('', 'Objects per kind (mesh): ' + options.sizes.map(n => `N=${n}: ${Object.entries(at(results, 'mesh', n)[0].kinds).map(([k, v]) => `${v} ${k}`).join(', ')}`).join('; ') + '.');
  out.push('Objects per kind (baseline): ' + options.sizes.map(n => `N=${n}: ${Object.entries(at(results, 'baseline', n)[0].kinds).map(([k, v]) => `${v} ${k}`).join(', ')}`).join('; ') + '.');
  out.push('', '#### Bytes emitted per service, by kind (YAML bytes of each kind / N, from the floor of the mesh output)', '');
  const perKind = [...new Set(options.sizes.flatMap(n => Object.keys(at(results, 'floor-mesh', n)[0].floorByKind ?? {})))];
  out.push(`| N | ${perKind.join(' | ')} | all |`, `| ---: | ${perKind.map(() => '---:').join(' | ')} | ---: |`);
  for (const n of options.sizes) {
    const byKind = at(results, 'floor-mesh', n)[0].floorByKind ?? {};
    const all = Object.values(byKind).reduce((a, k) => a + k.bytes, 0);
    out.push(`| ${n} | ${perKind.map(k => fmt((byKind[k]?.bytes ?? 0) / n)).join(' | ')} | ${fmt(all / n)} |`);
  }
  out.push('', '| mesh N | Prometheus rules (recording rules and alerts) | per service | PrometheusRule YAML bytes |', '| ---: | ---: | ---: | ---: |');
  for (const n of options.sizes) {
    const { rules, bytes } = at(results, 'mesh', n)[0].prometheusRules;
    out.push(`| ${n} | ${fmt(rules)} | ${fmt(rules / n, 1)} | ${fmt(bytes)} |`);
  }
  out.push('');
  out.push(`Floor output byte-identical (SHA-256) to what App.synth wrote: ${identical.map(i => `${i.kind} N=${i.n} ${i.same ? 'yes' : 'NO'}`).join(', ')}.`, '');

  out.push('### Ratios (computed within each repetition, median [min-max] over repetitions)', '');
  out.push('| N | mesh / baseline wall | mesh ms per object | baseline ms per object | per-object ratio | mesh / its floor | baseline / its floor | mesh / baseline CPU time |');
  out.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  const ratioCell = (x: { median: number; min: number; max: number }, d = 2) => `${fmt(x.median, d)} [${fmt(x.min, d)}-${fmt(x.max, d)}]`;
  const ratios = new Map<number, Record<string, { median: number; min: number; max: number }>>();
  for (const n of options.sizes) {
    const m = at(results, 'mesh', n);
    const b = at(results, 'baseline', n);
    const fm = at(results, 'floor-mesh', n);
    const fb = at(results, 'floor-baseline', n);
    const row = {
      meshOverBaseline: medianRatio(options.reps, r => m[r].wallMs / b[r].wallMs),
      meshPerObject: medianRatio(options.reps, r => m[r].wallMs / m[r].objects),
      basePerObject: medianRatio(options.reps, r => b[r].wallMs / b[r].objects),
      perObjectRatio: medianRatio(options.reps, r => (m[r].wallMs / m[r].objects) / (b[r].wallMs / b[r].objects)),
      meshOverFloor: medianRatio(options.reps, r => m[r].wallMs / fm[r].wallMs),
      baseOverFloor: medianRatio(options.reps, r => b[r].wallMs / fb[r].wallMs),
      meshOverBaselineCpu: medianRatio(options.reps, r => m[r].cpuMs / b[r].cpuMs),
    };
    ratios.set(n, row);
    out.push(`| ${n} | ${ratioCell(row.meshOverBaseline)} | ${ratioCell(row.meshPerObject, 3)} | ${ratioCell(row.basePerObject, 3)} | ` +
      `${ratioCell(row.perObjectRatio)} | ${ratioCell(row.meshOverFloor)} | ${ratioCell(row.baseOverFloor)} | ${ratioCell(row.meshOverBaselineCpu)} |`);
  }
  out.push('', 'Per-object ratio = (mesh ms / mesh objects) / (baseline ms / baseline objects). Targets are judged on wall time; ' +
    'the CPU-time ratio (user + system of the whole process, GC threads included) is given because it is less sensitive to other load on a shared machine.', '');

  out.push(`### Where the YAML time goes (floors, N=${Math.max(...options.sizes)})`, '');
  out.push('After the timed save, each floor process serializes the objects of each kind again on their own (warm, so the times are lower than cold ones; the shares are what matters). Median over repetitions.', '');
  out.push('| output | kind | objects | YAML bytes per object | share of YAML bytes | ms (warm) | share of YAML time |');
  out.push('| --- | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const kind of ['floor-mesh', 'floor-baseline'] as const) {
    const rs = at(results, kind, Math.max(...options.sizes));
    const kinds = Object.keys(rs[0].floorByKind ?? {});
    const ms = Object.fromEntries(kinds.map(k => [k, median(rs.map(r => r.floorByKind![k].ms))]));
    const totalMs = kinds.reduce((a, k) => a + ms[k], 0);
    const totalBytes = kinds.reduce((a, k) => a + rs[0].floorByKind![k].bytes, 0);
    for (const k of kinds.sort((x, y) => ms[y] - ms[x])) {
      const { objects, bytes } = rs[0].floorByKind![k];
      out.push(`| ${kind === 'floor-mesh' ? 'mesh' : 'baseline'} | ${k} | ${fmt(objects)} | ${fmt(bytes / objects)} | ${(100 * bytes / totalBytes).toFixed(1)}% | ${fmt(ms[k])} | ${(100 * ms[k] / totalMs).toFixed(1)}% |`);
    }
  }
  out.push('');

  out.push('### Sidecar configuration size (scenario 4)', '');
  out.push('| mesh N | service | its 3 upstreams | configuration bytes (all files) | listeners | clusters | all sidecars of the mesh: min / median / max bytes |');
  out.push('| ---: | --- | --- | ---: | ---: | ---: | --- |');
  for (const n of options.sizes) {
    const s = at(results, 'mesh', n)[0].sidecar!;
    out.push(`| ${n} | ${s.service} | ${s.upstreams.join(', ')} | ${fmt(s.envoyJsonBytes)} | ${s.listeners} | ${s.clusters} | ${fmt(s.allMinBytes)} / ${fmt(s.allMedianBytes)} / ${fmt(s.allMaxBytes)} |`);
  }
  out.push('');

  // Scenario 5 runs in this process, on the working tree's src/: not with --ref.
  const sizes = options.ref ? [] : [false, true].flatMap(versions => [10, 40, 200].map(n => callerSize(n, versions)));
  if (sizes.length > 0) out.push('### Sidecar configuration of a service calling many upstreams (scenario 5)', '');
  if (sizes.length > 0) {
    out.push('Each upstream has retries, a timeout and outlier detection (plain); or also a second version and a 90/10 route (versions). '
      + 'mTLS STRICT, monitoring on, every piece of per-object metadata included.', '');
    out.push('| upstreams | kind | bytes (all files) | bytes per upstream | envoy.json | lds.json | cds.json | rds.* | ecds.* | sds-* | Envoys '
      + '| largest ConfigMap, client-side apply (256 KiB) |');
    out.push('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  }
  for (const s of sizes) {
    const f = s.byFile;
    out.push(`| ${s.upstreams} | ${s.versions ? 'versions' : 'plain'} | ${fmt(s.bytes)} | ${fmt(s.bytesPerUpstream)} | ${fmt(f['envoy.json'])} | ${fmt(f['lds.json'])} `
      + `| ${fmt(f['cds.json'])} | ${fmt(f['rds.*'])} | ${fmt(f['ecds.*'] ?? 0)} | ${fmt(f['sds-*'])} `
      + `| ${s.envoys} | ${fmt(s.largestApplyBytes)}: ${s.largestApplyBytes >= CLIENT_SIDE_APPLY_LIMIT ? '**WARNING: over; use kubectl apply --server-side**' : 'fits'} |`);
  }
  if (sizes.length > 0) out.push('');

  // ---- targets: judged on plain upstreams, the case the target names (mTLS, retries and outlier detection on each)
  const targets: Target[] = [];
  for (const forty of sizes.filter(s => s.upstreams === 40 && !s.versions)) {
    targets.push({
      name: 'sidecar configuration <= 4 KiB per HTTP upstream (a service calling 40)',
      pass: forty.bytesPerUpstream <= 4096,
      detail: `${fmt(forty.bytesPerUpstream)} bytes per upstream (${fmt(forty.bytes)} bytes in all)`,
    });
  }
  // Targets are judged at 1,000 services (the issue's shape); larger points (5,000) show the slope.
  const big = options.sizes.includes(1000) ? 1000 : Math.max(...options.sizes);
  const small = options.sizes.includes(100) ? 100 : undefined;
  const r = ratios.get(big)!;
  targets.push({
    name: `${big}-service mesh wall time <= 2.5x the plain baseline (N=${big})`,
    pass: r.meshOverBaseline.median <= 2.5,
    detail: `${fmt(r.meshOverBaseline.median, 2)}x (mesh ${fmt(median(at(results, 'mesh', big).map(x => x.wallMs)))} ms, baseline ${fmt(median(at(results, 'baseline', big).map(x => x.wallMs)))} ms)`,
  });
  targets.push({
    name: `each emitted object costs no more than a plain cdk8s-plus-27 object (N=${big})`,
    pass: r.perObjectRatio.median <= 1,
    detail: `mesh ${fmt(r.meshPerObject.median, 3)} ms/object (${at(results, 'mesh', big)[0].objects} objects) vs baseline ${fmt(r.basePerObject.median, 3)} ms/object (${at(results, 'baseline', big)[0].objects} objects): ${fmt(r.perObjectRatio.median, 2)}x`,
  });
  targets.push({
    name: `mesh synth time <= 1.5x its physical floor (N=${big})`,
    pass: r.meshOverFloor.median <= 1.5,
    detail: `${fmt(r.meshOverFloor.median, 2)}x (floor ${fmt(median(at(results, 'floor-mesh', big).map(x => x.wallMs)))} ms); baseline to its own floor: ${fmt(r.baseOverFloor.median, 2)}x`,
  });
  const peak = Math.max(...at(results, 'mesh', big).map(x => x.peakRssBytes));
  targets.push({
    name: `peak memory < 1 GiB (mesh N=${big}, worst repetition)`,
    pass: peak < 1024 ** 3,
    detail: `${fmt(mib(peak), 0)} MiB (baseline ${fmt(mib(Math.max(...at(results, 'baseline', big).map(x => x.peakRssBytes))), 0)} MiB)`,
  });
  if (small !== undefined && big === 1000) {
    const growth = medianRatio(options.reps, i => at(results, 'mesh', 1000)[i].wallMs / at(results, 'mesh', 100)[i].wallMs);
    targets.push({
      name: 'linear growth: 1000-service time within 11x of 100-service time',
      pass: growth.median <= 11,
      detail: `${fmt(growth.median, 2)}x [${fmt(growth.min, 2)}-${fmt(growth.max, 2)}] (10x the services)`,
    });
  }
  const smallest = Math.min(...options.sizes);
  const s0 = at(results, 'mesh', smallest)[0].sidecar!;
  const s1 = at(results, 'mesh', big)[0].sidecar!;
  const diff = Math.abs(s1.envoyJsonBytes - s0.envoyJsonBytes) / s0.envoyJsonBytes;
  targets.push({
    name: `sidecar config size independent of mesh size (N=${smallest} vs N=${big}, service with 3 upstreams), within 5%`,
    pass: diff <= 0.05,
    detail: `${fmt(s0.envoyJsonBytes)} vs ${fmt(s1.envoyJsonBytes)} bytes: ${(100 * diff).toFixed(2)}% apart`,
  });

  out.push('### Targets', '', '| target | result | measured |', '| --- | --- | --- |');
  for (const t of targets) out.push(`| ${t.name} | **${t.pass ? 'PASS' : 'MISS'}** | ${t.detail} |`);
  out.push('');
  const report = out.join('\n');
  console.log(report);
  for (const t of targets) console.log(`${t.pass ? 'PASS' : 'MISS'}  ${t.name}: ${t.detail}`);

  // ---- profile
  let profileSection = '';
  const missed = targets.some(t => !t.pass);
  if (options.profile === 'always' || (options.profile === 'auto' && missed)) {
    log(`bench: profiling mesh and baseline at N=${big} (V8 sampling CPU profiler around the timed work) ...`);
    const profDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-mesh-bench-prof-'));
    const parts: string[] = [];
    const summaries: ProfileSummary[] = [];
    for (const kind of ['mesh', 'baseline'] as const) {
      const file = path.join(profDir, `${kind}-${big}.cpuprofile`);
      const res = runScenario(buildDir, kind, big, options.features, file);
      const summary = summarizeProfile(file);
      summaries.push(summary);
      parts.push(profileMarkdown(`${kind}, N=${big}: wall ${fmt(res.wallMs)} ms under the profiler (build ${fmt(res.buildMs!)} ms, synth ${fmt(res.synthMs!)} ms)`, summary));
    }
    parts.unshift(`#### Where the mesh spends more than the baseline (N=${big}, self time by area)\n\n${compareAreasMarkdown(['mesh', 'baseline'], summaries[0], summaries[1])}`);
    for (const part of parts) console.log(`\n${part}`);
    log(`bench: profiles kept in ${profDir} (open in Chrome DevTools or summarize with bench/cpuprofile.ts)`);
    profileSection = [
      '## CPU profiles', '',
      `One profiled run each of the mesh and the baseline at N=${big}, same run. The profiler is V8's sampling CPU profiler ` +
      '(the one behind `node --cpu-prof`, same .cpuprofile format, 250 µs interval), started and stopped through `inspector` ' +
      'around the timed work only, so module loading and the untimed bookkeeping are not mixed in. ' +
      'Self time is time in the function itself; total time includes its callees. Lines of src/ are TypeScript lines ' +
      '(mapped through the inline source maps).', '',
      ...parts.flatMap(p => [p, '']),
    ].join('\n');
  }

  fs.rmSync(path.dirname(buildDir), { recursive: true, force: true });
  if (!options.write) return;

  // ---- BENCHMARKS.md
  const file = path.join(ROOT, 'BENCHMARKS.md');
  const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const kept = previous.includes(ANALYSIS_BEGIN) && previous.includes(ANALYSIS_END)
    ? previous.slice(previous.indexOf(ANALYSIS_BEGIN), previous.indexOf(ANALYSIS_END) + ANALYSIS_END.length)
    : `${ANALYSIS_BEGIN}\n## Analysis\n\n(none yet)\n${ANALYSIS_END}`;
  const featureList = Object.entries(options.features).map(([k, v]) => `${k}: ${v ? 'on' : 'off'}`).join(', ');
  const doc = [
    '# Benchmarks',
    '',
    '<!-- Generated by bench/run.ts, except the ANALYSIS section. Re-run to refresh every number. -->',
    '',
    `- Command: \`${command}\` (from the repository root)`,
    `- Date: ${started.toISOString()} (finished ${new Date().toISOString()})`,
    `- Repetitions: ${options.reps} per scenario, interleaved; each scenario run in a fresh \`node\` process on src/ compiled with tsc (bench/tsconfig.json)`,
    `- Source: ${source}`,
    `- Features (bench/mesh-workload.ts hooks): ${featureList}`,
    `- Load average (1/5/15 min): before ${loadBefore.map(x => x.toFixed(2)).join(' / ')}, after ${loadAfter.map(x => x.toFixed(2)).join(' / ')}`,
    '',
    '## Machine',
    '',
    ...machine(),
    '',
    '## What is measured',
    '',
    '- **1. mesh**: N `MeshService`s (`svc-0000`...), each with `addVersion(\'v2\')`, its own port (10000 + i), 3 upstreams ' +
      '(i+1, i+7, i+31 mod N; for N=10, where 31 = 1 mod 10, i+1, i+7, i+3: never itself, never twice), a `FailoverPolicy` ' +
      '(`Retry.onGatewayErrors` 2 attempts, 500 ms per try, 2 s timeout, `OutlierDetection.consecutiveGatewayErrors(5)`) and a ' +
      '90/10 v1/v2 `WeightedRoute`. Retry amplification: with 2 attempts on every hop the worst path (the i -> i+1 chain, up to ' +
      `N-1 hops) amplifies by 2^(N-1), above any finite limit such as 1e9 at N=1000, so the Mesh gets \`maxRetryAmplification: ${MAX_RETRY_AMPLIFICATION}\`: the whole-graph check still runs (and is timed) but never reports.`,
    '- **2. baseline**: the same 2 Deployments per service (one container, same images, ports, replicas) and one `kplus.Service` per Deployment, in plain cdk8s-plus-27.',
    '- Timed (1, 2): from `new App()` through building the constructs and `app.synth()` (validation, dependency resolution, token resolution, YAML, writing the file into a temporary outdir). Not timed: starting node and loading modules.',
    '- **3. floor**: the objects of the same build, collected before timing with `chart.toJson()` (which validates and resolves like `App.synth()`), then only `Yaml.save()` (the cdk8s YAML code `App.synth()` uses) to the same kind of file. The SHA-256 check below confirms the floor writes byte-identical output.',
    '- **4. sidecar size**: bytes of every file (bootstrap, LDS, CDS, RDS, SDS) of ConfigMap `svc-0000-envoy` (a service with exactly 3 upstreams) and of all sidecars.',
    '- **5. a service calling many upstreams**: bytes of every file of the sidecar of one service calling 10, 40 and 200 HTTP upstreams, plain and with versions (bench/sidecar-size.ts), the Envoys its files are split across, and its largest ConfigMap against the 256 KiB a client-side `kubectl apply` can store; the 4 KiB target is judged on plain upstreams; not timed, and not run with `--ref`.',
    '- Peak RSS: `process.resourceUsage().maxRSS` right after the timed work (node itself and the loaded modules included).',
    '- CPU ms: `process.cpuUsage()` (user + system, all threads) over the timed work.',
    '',
    '## Results',
    '',
    report,
    profileSection,
    kept,
    '',
  ].join('\n');
  fs.writeFileSync(file, doc);
  log(`bench: wrote ${file}`);
}

main();
