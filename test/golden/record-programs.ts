/**
 * One-off generator of test/golden/programs/: samples mesh descriptions with
 * fixed seeds (the property-test generators of test/property), keeps those
 * that pass validation and the output validators, picks a varied set of them
 * and saves each recorded program (the API calls, not the seed) as a module.
 * A few programs also get monitoring (MonitoredWorkload, MeshDashboard),
 * which the generators do not declare.
 *
 * The saved programs, not this script, are the golden inputs: once the
 * generators change, rerunning it gives other programs (and needs
 * `npx projen golden:update` afterwards).
 *
 *   npx ts-node --transpile-only test/golden/record-programs.ts
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import * as fc from 'fast-check';
import { outputProblems } from '../helpers';
import { cleanMesh, MeshDescription, noisyMesh } from '../property/mesh-arbitraries';
import { MeshPlan, resolvePlan } from '../property/mesh-builder';
import { attempt } from '../property/outcome';

const PROGRAMS_DIR = path.join(__dirname, 'programs');
/** How many programs to keep, and the largest synthesized YAML one may have. */
const COUNT = 12;
const MAX_YAML_CHARS = 160_000;
/** Where the candidates come from: clean and noisy descriptions, a fixed seed each. */
const SOURCES = [
  { label: 'clean', arbitrary: cleanMesh(), seed: 1, numRuns: 250 },
  { label: 'clean', arbitrary: cleanMesh(), seed: 2, numRuns: 250 },
  { label: 'noisy', arbitrary: noisyMesh(), seed: 3, numRuns: 250 },
];
/** Every how-many-th program gets monitoring. */
const MONITORING_EVERY = 3;

interface Candidate {
  readonly origin: string;
  readonly plan: MeshPlan;
  readonly program: string[];
  readonly yaml: string;
  readonly features: Set<string>;
}

function main(): void {
  const candidates: Candidate[] = [];
  for (const source of SOURCES) {
    fc.sample(source.arbitrary, { seed: source.seed, numRuns: source.numRuns }).forEach((desc, k) => {
      const plan = resolvePlan(desc);
      if (severalJwtProvidersOnOneService(plan)) return;
      const { outcome, program } = attempt(plan);
      if (outcome.kind !== 'valid') return;
      const yaml = outcome.app.synthYaml();
      if (yaml.length > MAX_YAML_CHARS) return;
      candidates.push({ origin: `${source.label} seed ${source.seed} sample ${k}`, plan, program, yaml, features: featuresOf(desc, plan) });
    });
  }
  console.log(`${candidates.length} valid candidates`);

  fs.rmSync(PROGRAMS_DIR, { recursive: true, force: true });
  fs.mkdirSync(PROGRAMS_DIR, { recursive: true });
  const covered = new Set<string>();
  const names: string[] = [];
  while (names.length < COUNT && candidates.length > 0) {
    const best = candidates.reduce((a, b) => (score(b, covered) > score(a, covered) ? b : a));
    candidates.splice(candidates.indexOf(best), 1);
    const name = `mesh${String(names.length + 1).padStart(2, '0')}`;
    const monitored = (names.length + 1) % MONITORING_EVERY === 0;
    // A program with monitoring is kept only if it passes the validators too; otherwise it is saved without.
    if (!(monitored && save(name, best, true)) && !save(name, best, false)) continue;
    best.features.forEach(f => covered.add(f));
    names.push(name);
  }
  fs.writeFileSync(path.join(PROGRAMS_DIR, 'index.ts'), indexModule(names));
  console.log(`${names.length} programs written to ${path.relative(process.cwd(), PROGRAMS_DIR)}, covering ${covered.size} features`);
}

/**
 * Whether a service has more than one JWT provider. Such meshes are left out:
 * where the paths of several providers overlap, validation wants them to say
 * how they combine (`overlap`), which the property-test builder does not set.
 */
function severalJwtProvidersOnOneService(plan: MeshPlan): boolean {
  const services = plan.jwts.map(j => j.service);
  return new Set(services).size < services.length;
}

/** New features count most; size breaks ties. */
function score(c: Candidate, covered: Set<string>): number {
  const fresh = [...c.features].filter(f => !covered.has(f)).length;
  const p = c.plan;
  const size = p.services.length + p.edges.length + p.routes.length + p.failovers.length + p.authorizations.length + p.jwts.length;
  return fresh * 10 + size;
}

/** Writes the program's module and checks it: valid output, and (without monitoring) the same YAML as the recorded build. */
function save(name: string, c: Candidate, monitored: boolean): boolean {
  const file = path.join(PROGRAMS_DIR, `${name}.ts`);
  const body = programBody(c, monitored);
  if (!body) return false;
  fs.writeFileSync(file, moduleText(c.origin, body, monitored));
  delete require.cache[require.resolve(file)];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const app: App = require(file).build();
  let yaml: string;
  try {
    yaml = app.synthYaml();
  } catch (error) {
    console.log(`${name} (${c.origin}${monitored ? ', with monitoring' : ''}): ${error}`);
    return false;
  }
  const problems = outputProblems(app.charts.flatMap(chart => Testing.synth(chart)));
  if (problems.length > 0 || (!monitored && yaml !== c.yaml)) {
    if (!monitored) throw new Error(`${name} (${c.origin}) does not reproduce its recorded build: ${problems.slice(0, 3).join('; ') || 'other YAML'}`);
    console.log(`${name} (${c.origin}, with monitoring): ${problems.slice(0, 3).join('; ')}`);
    return false;
  }
  console.log(`${name}: ${c.origin}${monitored ? ', with monitoring' : ''}, ${c.plan.services.length} services, ${yaml.length} chars of YAML`);
  return true;
}

/** The recorded calls as the body of `build()`, free of the test helpers. */
function programBody(c: Candidate, monitored: boolean): string[] | undefined {
  const [first, ...rest] = c.program;
  const chartMatch = /^const chart = newChart\((.*)\);$/.exec(first);
  if (!chartMatch || rest[rest.length - 1] !== 'synth(chart);') throw new Error(`unexpected program shape:\n${c.program.join('\n')}`);
  const lines = [
    'const app = new App();',
    `const chart = new Chart(app, 'test', { namespace: ${chartMatch[1]}, disableResourceNameHashes: true });`,
    ...rest.slice(0, -1).map(l => l
      .replace(/App\.of\(chart\)/g, 'app')
      .replace(/\bTEST_MESH\b/g, '{ certificates: CertificateSource.selfSignedCa() }')),
  ];
  if (monitored) {
    const inFirstChart = c.plan.services.filter(s => s.chart === 0);
    const http = inFirstChart.find(s => s.desc.protocol !== 'TCP');
    const tcp = inFirstChart.find(s => s.desc.protocol === 'TCP');
    if (!http && !tcp) return undefined;
    if (http) {
      lines.push(`new MonitoredWorkload(chart, 'monitoring-${http.index}', { service: s${http.index}, monitorLabels: { release: 'kube-prometheus-stack' }, `
        + 'objectives: [Objective.availability(99.5), Objective.latency({ percentile: 95, threshold: Duration.millis(250) })] });');
    }
    if (tcp) lines.push(`new MonitoredWorkload(chart, 'monitoring-${tcp.index}', { service: s${tcp.index}, monitorLabels: { release: 'kube-prometheus-stack' }, alerts: { expectTraffic: false } });`);
    lines.push("new MeshDashboard(chart, 'dashboard', { mesh });");
  }
  lines.push('return app;');
  // A constant never read again is a plain statement (noUnusedLocals).
  const code = lines.map(l => l.replace(/'(?:[^'\\]|\\.)*'/g, "''"));
  return lines.map((l, k) => {
    const declared = /^const (\w+) = (new .*)$/.exec(l);
    return declared && !code.some((o, j) => j !== k && new RegExp(`\\b${declared[1]}\\b`).test(o)) ? declared[2] : l;
  });
}

const SRC_NAMES = [
  'AddressFormat', 'AuthorizationMode', 'AuthorizationPolicy', 'Backup', 'CertificateSource', 'EdgePeer', 'FailoverPolicy', 'HashKey',
  'HeaderMatch', 'HealthCheck', 'HttpMethod', 'JwksSource', 'JwtAuthentication', 'JwtAuthenticationProps', 'LoadBalancer', 'MaglevOptions',
  'Mesh', 'MeshDashboard', 'MeshService', 'MonitoredWorkload', 'MtlsMode', 'Objective', 'OutlierDetection', 'PathMatch', 'Protocol',
  'QueryParameterMatch', 'Retry', 'RetryCondition', 'RingHashOptions', 'RouteTarget', 'TlsVersion', 'WeightedRoute',
];

function moduleText(origin: string, body: string[], monitored: boolean): string {
  const text = body.join('\n');
  const used = (n: string) => new RegExp(`\\b${n}\\b`).test(text);
  const cdk8s = ['App', 'Chart', 'Duration'].filter(used);
  const src = SRC_NAMES.filter(used);
  return [
    `// Golden-output program (see test/golden.test.ts), recorded by test/golden/record-programs.ts from ${origin}`,
    `// of the property-test generators${monitored ? ', with monitoring added' : ''}. Keep it unchanged: test/golden/output holds its output.`,
    ...(body.some(l => l.length > 146) ? ['/* eslint-disable @stylistic/max-len */'] : []),
    `import { ${cdk8s.join(', ')} } from 'cdk8s';`,
    ...(used('kplus') ? ["import * as kplus from 'cdk8s-plus-27';"] : []),
    ...importLines(src),
    '',
    'export function build(): App {',
    ...body.map(l => `  ${l}`),
    '}',
    '',
  ].join('\n');
}

function importLines(names: string[]): string[] {
  const single = `import { ${names.join(', ')} } from '../../../src';`;
  if (single.length <= 150) return [single];
  const rows: string[] = [];
  for (const n of names) {
    if (rows.length === 0 || `${rows[rows.length - 1]} ${n},`.length > 140) rows.push(`  ${n},`);
    else rows[rows.length - 1] += ` ${n},`;
  }
  return ['import {', ...rows, "} from '../../../src';"];
}

function indexModule(names: string[]): string {
  return [
    '// The golden-output programs (see test/golden.test.ts), written by test/golden/record-programs.ts.',
    "import { App } from 'cdk8s';",
    ...names.map(n => `import { build as ${n} } from './${n}';`),
    '',
    '/** Each program by name: it builds a fresh App with its mesh declared. */',
    `export const PROGRAMS: Record<string, () => App> = { ${names.join(', ')} };`,
    '',
  ].join('\n');
}

/** What a mesh exercises, as short labels: the selection prefers meshes with labels not yet covered. */
function featuresOf(desc: MeshDescription, plan: MeshPlan): Set<string> {
  const f = new Set<string>();
  const add = (label: string, present: unknown = true) => { if (present !== undefined && present !== false) f.add(label); };
  const m = desc.mesh;
  add(`mtls:${m.mtls}`);
  add(`certificates:${m.certificates.kind}`);
  add(`authorization:${m.authorization}`, m.authorization);
  add(`networkPolicies:${m.networkPolicies}`, m.networkPolicies !== undefined);
  for (const k of ['namespace', 'tlsMinimumVersion', 'trustDomain', 'clusterDomain', 'envoyImage', 'ports', 'drainDuration',
    'maxRetryAmplification', 'certificateDuration', 'certificateRenewBefore', 'monitoringNamespace'] as const) add(`mesh.${k}`, m[k]);
  add('secondChart', desc.secondChart);
  add(`secondMesh:${plan.secondMesh?.ownChart ? 'ownChart' : 'sameChart'}`, plan.secondMesh);
  add(`services>=${Math.min(plan.services.length, 5)}`);
  for (const s of plan.services) {
    const d = s.desc;
    add(`protocol:${d.protocol}`);
    add(`adopted:${d.adopted?.serviceAccount ? 'withServiceAccount' : 'plain'}`, d.adopted);
    add(`env:${d.env}`, d.env);
    add(`loadBalancer:${d.loadBalancer?.kind}`, d.loadBalancer);
    add('service.namespace', s.namespace);
    add('service.explicitName', s.explicitName);
    add('service.versions', s.versions.length > 0);
    add('service.pools', s.pools.length > 0);
    for (const e of s.exposures) add(`exposure:${e.peer.kind}${e.tls ? '+tls' : ''}`);
  }
  for (const e of plan.edges) {
    add(`edge.addressFormat:${e.desc.addressFormat}`, e.desc.addressFormat);
    add('edge.localPort', e.localPort);
    add('edge.addressVariable', e.desc.addressVariable);
    add(`edge.loadBalancer:${e.desc.loadBalancer?.kind}`, e.desc.loadBalancer);
    add('edge.toOtherMesh', e.to === 'other');
  }
  for (const r of plan.routes) {
    const d = r.desc;
    add('route');
    add('route.caller', r.caller !== undefined);
    add('route.priority', d.priority);
    add(`route.path:${d.match?.path?.kind}`, d.match?.path);
    add('route.headers', d.match?.headers);
    add('route.queryParameters', d.match?.queryParameters);
    add('route.methods', d.match?.methods);
    add('route.serviceTarget', r.targets.some(t => t.target.kind === 'service'));
    add('route.split', r.targets.length > 1);
    add('route.mirror', r.mirror);
    add('route.timeout', d.timeout);
    add('route.requestHeaders', d.requestHeaders);
  }
  for (const p of plan.failovers) {
    const d = p.desc;
    add('failover');
    add('failover.caller', p.caller !== undefined);
    add(`retry:${d.retry?.kind}`, d.retry);
    add(`outlier:${d.outlierDetection?.kind}`, d.outlierDetection);
    add(`healthCheck:${d.healthCheck?.kind}`, d.healthCheck);
    add(`backup:${p.backup?.kind}`, p.backup);
    add('failover.circuitBreaker', d.circuitBreaker);
    add('failover.faultInjection', d.faultInjection);
    add('failover.timeouts', d.timeout ?? d.idleTimeout);
  }
  for (const a of plan.authorizations) add(`authorizationPolicy${a.paths || a.methods ? '+rules' : ''}`);
  for (const j of plan.jwts) {
    add(`jwt:${j.desc.jwks?.kind}`, j.desc.jwks);
    add('jwt.audiences', j.desc.audiences);
    add('jwt.paths', j.desc.paths);
    add('jwt.claimHeaders', j.desc.claimHeaders);
    add('jwt.forwardToken', j.desc.forwardToken !== undefined);
  }
  return f;
}

main();
