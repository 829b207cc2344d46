/**
 * One benchmark scenario in a process of its own (so that peak RSS is the
 * scenario's). Started by bench/run.ts, compiled to JavaScript and run with
 * plain node:
 *
 *   node scenario.js <mesh|baseline|floor-mesh|floor-baseline> <N> [features-json]
 *
 * Prints one line `BENCH_RESULT <json>` on stdout.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { Session } from 'inspector';
import { ApiObject, App, Chart, Names, Yaml } from 'cdk8s';
import { BenchFeatures, DEFAULT_FEATURES } from './features';
import { nameOf, upstreamsOf } from './graph';

// Loaded on demand, so the baseline process never loads cdk8s-mesh.
const meshWorkload = () => require('./mesh-workload') as typeof import('./mesh-workload');
const baselineWorkload = () => require('./baseline-workload') as typeof import('./baseline-workload');

/**
 * With BENCH_CPU_PROFILE=<file>, the timed work (and only it) is recorded
 * with the V8 sampling profiler (BENCH_CPU_PROFILE_INTERVAL_US, default 250).
 */
class TimedProfile {
  private readonly session?: Session;
  constructor(private readonly file = process.env.BENCH_CPU_PROFILE) {
    if (!file) return;
    this.session = new Session();
    this.session.connect();
    this.post('Profiler.enable');
    this.post('Profiler.setSamplingInterval', { interval: Number(process.env.BENCH_CPU_PROFILE_INTERVAL_US ?? 250) });
  }
  public start(): void {
    if (this.session) this.post('Profiler.start');
  }
  public stop(): void {
    if (!this.session) return;
    const { profile } = this.post('Profiler.stop');
    fs.writeFileSync(this.file!, JSON.stringify(profile));
    this.session.disconnect();
  }
  /** The in-thread inspector session answers synchronously. */
  private post(method: string, params?: object): any {
    let result: any;
    let error: Error | null = null;
    this.session!.post(method, params, (err, res) => { error = err; result = res; });
    if (error) throw error;
    if (result === undefined) throw new Error(`bench: inspector did not answer ${method} synchronously`);
    return result;
  }
}

export type ScenarioKind = 'mesh' | 'baseline' | 'floor-mesh' | 'floor-baseline';

export interface ScenarioResult {
  readonly kind: ScenarioKind;
  readonly n: number;
  /** Timed work: build + synth for mesh/baseline; YAML serialization alone for the floors. */
  readonly wallMs: number;
  /** CPU time (user + system, all threads of the process) of the timed work: less sensitive than wall time to other load on the machine. */
  readonly cpuMs: number;
  /** Construct building (mesh/baseline only). */
  readonly buildMs?: number;
  /** App.synth(): validation, dependency resolution, token resolution, YAML, file writes (mesh/baseline only). */
  readonly synthMs?: number;
  /** process.resourceUsage().maxRSS right after the timed work, in bytes. */
  readonly peakRssBytes: number;
  /** Bytes of YAML written. */
  readonly yamlBytes: number;
  /** SHA-256 of the YAML written: the floor must serialize exactly what synth wrote. */
  readonly yamlSha256: string;
  /** Number of API objects emitted, and per kind. */
  readonly objects: number;
  readonly kinds: Record<string, number>;
  /** Prometheus rules (recording rules and alerts) in all PrometheusRules, and the YAML bytes of those objects. */
  readonly prometheusRules: { readonly rules: number; readonly bytes: number };
  /**
   * Floors only: after the timed save, each kind's objects serialized again
   * on their own (warm: the timed save ran first), to show which objects the
   * YAML time goes to.
   */
  readonly floorByKind?: Record<string, { objects: number; bytes: number; ms: number }>;
  /** Mesh only: the Envoy bootstrap of one service with exactly 3 upstreams, and of all sidecars. */
  readonly sidecar?: {
    readonly service: string;
    readonly upstreams: string[];
    readonly envoyJsonBytes: number;
    readonly listeners: number;
    readonly clusters: number;
    readonly allMinBytes: number;
    readonly allMedianBytes: number;
    readonly allMaxBytes: number;
  };
}

function main(): void {
  const [kind, nText, featuresJson] = process.argv.slice(2) as [ScenarioKind, string, string | undefined];
  const n = Number(nText);
  if (!['mesh', 'baseline', 'floor-mesh', 'floor-baseline'].includes(kind) || !Number.isInteger(n) || n < 10) {
    throw new Error(`usage: scenario.js <mesh|baseline|floor-mesh|floor-baseline> <N >= 10> [features-json]; got ${process.argv.slice(2).join(' ')}`);
  }
  const features: BenchFeatures = { ...DEFAULT_FEATURES, ...(featuresJson ? JSON.parse(featuresJson) : {}) };
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), `cdk8s-mesh-bench-${kind}-${n}-`));
  try {
    const result = kind.startsWith('floor-') ? runFloor(kind, n, features, outdir) : runSynth(kind, n, features, outdir);
    process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Scenarios 1 and 2: build the constructs and App.synth() them into a temporary directory. */
function runSynth(kind: ScenarioKind, n: number, features: BenchFeatures, outdir: string): ScenarioResult {
  const build = kind === 'mesh' ? meshWorkload().buildMesh : undefined;
  const buildBaseline = kind === 'baseline' ? baselineWorkload().buildBaseline : undefined;
  const profile = new TimedProfile();
  profile.start();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const app = new App({ outdir });
  const built = build?.(app, n, features);
  buildBaseline?.(app, n);
  const t1 = performance.now();
  app.synth();
  const t2 = performance.now();
  const cpu = process.cpuUsage(c0);
  profile.stop();
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  // Untimed from here on.
  const output = readOutput(outdir);
  return {
    kind, n, wallMs: t2 - t0, cpuMs: (cpu.user + cpu.system) / 1000, buildMs: t1 - t0, synthMs: t2 - t1, peakRssBytes, ...output,
    ...(built && { sidecar: sidecarSizes(built.chart, n) }),
  };
}

/**
 * Scenario 3, the physical floor: the very objects App.synth() writes
 * (collected untimed with chart.toJson(), which validates and resolves like
 * App.synth()), serialized alone with the YAML code cdk8s uses, to the same
 * kind of file.
 */
function runFloor(kind: ScenarioKind, n: number, features: BenchFeatures, outdir: string): ScenarioResult {
  const app = new App({ outdir });
  if (kind === 'floor-mesh') meshWorkload().buildMesh(app, n, features);
  else baselineWorkload().buildBaseline(app, n);
  const perChart = app.charts.map(chart => ({
    file: path.join(outdir, `${Names.toDnsLabel(chart)}${app.outputFileExtension}`),
    objects: chart.toJson(),
  }));
  const profile = new TimedProfile();
  profile.start();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const { file, objects } of perChart) Yaml.save(file, objects);
  const t1 = performance.now();
  const cpu = process.cpuUsage(c0);
  profile.stop();
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;
  const output = readOutput(outdir);
  const all = perChart.flatMap(c => c.objects);
  const floorByKind: ScenarioResult['floorByKind'] = {};
  for (const k of [...new Set(all.map(o => String(o.kind)))].sort()) {
    const docs = all.filter(o => o.kind === k);
    const start = performance.now();
    const text = Yaml.stringify(...docs);
    floorByKind[k] = { objects: docs.length, bytes: Buffer.byteLength(text, 'utf8'), ms: performance.now() - start };
  }
  return { kind, n, wallMs: t1 - t0, cpuMs: (cpu.user + cpu.system) / 1000, peakRssBytes, ...output, floorByKind };
}

function readOutput(outdir: string): Pick<ScenarioResult, 'yamlBytes' | 'yamlSha256' | 'objects' | 'kinds' | 'prometheusRules'> {
  const hash = createHash('sha256');
  let yamlBytes = 0;
  const kinds: Record<string, number> = {};
  const prometheusRules = { rules: 0, bytes: 0 };
  for (const file of fs.readdirSync(outdir).sort()) {
    const text = fs.readFileSync(path.join(outdir, file));
    yamlBytes += text.length;
    hash.update(text);
    // Top-level `kind:` lines: exactly one per document (nested keys are indented).
    for (const match of text.toString('utf8').matchAll(/^kind: (\S+)$/gm)) kinds[match[1]] = (kinds[match[1]] ?? 0) + 1;
    for (const doc of text.toString('utf8').split(/^---$/m).filter(d => /^kind: PrometheusRule$/m.test(d))) {
      prometheusRules.bytes += Buffer.byteLength(doc, 'utf8');
      // One `record:` or `alert:` key per rule (keys of a rule are sorted: `- alert:` first, or `record:` after `labels`).
      prometheusRules.rules += [...doc.matchAll(/^\s+(- )?(record|alert): /gm)].length;
    }
  }
  const objects = Object.values(kinds).reduce((a, b) => a + b, 0);
  return { yamlBytes, yamlSha256: hash.digest('hex'), objects, kinds, prometheusRules };
}

/** Scenario 4: bytes of every file (bootstrap, LDS, CDS, RDS, SDS) in `<name>-envoy` ConfigMaps. */
function sidecarSizes(chart: Chart, n: number): ScenarioResult['sidecar'] {
  const configMaps = chart.node.findAll()
    .filter((c): c is ApiObject => c instanceof ApiObject && c.kind === 'ConfigMap' && c.name.endsWith('-envoy'));
  const files = new Map(configMaps.map(c => [c.name, c.toJson().data as Record<string, string>]));
  const bytes = (data: Record<string, string>) => Object.values(data).reduce((sum, text) => sum + Buffer.byteLength(text, 'utf8'), 0);
  const service = nameOf(0);
  const data = files.get(`${service}-envoy`);
  if (data === undefined) throw new Error(`no ConfigMap ${service}-envoy`);
  const count = (key: string) => (data[key] ? JSON.parse(data[key]).resources.length : 0);
  const bootstrap = JSON.parse(data['envoy.json']);
  const sizes = [...files.values()].map(bytes).sort((a, b) => a - b);
  return {
    service,
    upstreams: upstreamsOf(0, n).map(nameOf),
    envoyJsonBytes: bytes(data),
    listeners: bootstrap.static_resources.listeners.length + count('lds.json'),
    clusters: bootstrap.static_resources.clusters.length + count('cds.json'),
    allMinBytes: sizes[0],
    allMedianBytes: sizes[Math.floor(sizes.length / 2)],
    allMaxBytes: sizes[sizes.length - 1],
  };
}

main();
