import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import * as ts from 'typescript';
import * as mesh from '../src';

/**
 * Every TypeScript sample in the README type-checks against today's API.
 * Identifiers a sample uses without declaring (`chart`, `orders`, ...) are
 * declared with the type the README's prose gives them.
 */
const README = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf-8');
const SAMPLES = [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map(m => m[1]);

const CONTEXT: Record<string, string> = {
  app: 'App',
  chart: 'Chart',
  mesh: 'Mesh',
  orders: 'MeshService',
  users: 'MeshService',
  ordersStandby: 'MeshService',
  reviews: 'MeshService',
  ratings: 'MeshService',
  myKplusDeployment: 'kplus.Deployment',
  myKplusStatefulSet: 'kplus.StatefulSet',
};

function program(sample: string): string {
  const declared = new Set([...sample.matchAll(/\bconst (\w+)/g)].map(m => m[1]));
  const context = Object.entries(CONTEXT).filter(([name]) => !declared.has(name)).map(([name, type]) => `declare const ${name}: ${type};`);
  const body = sample.replace(/^import .*$/gm, '');
  return [
    "import { App, Chart, Duration } from 'cdk8s';",
    "import * as kplus from 'cdk8s-plus-27';",
    "import { Cpu } from 'cdk8s-plus-27';",
    `import { ${Object.keys(mesh).join(', ')} } from '${path.join(__dirname, '..', 'src').replace(/\\/g, '/')}';`,
    ...context,
    'export {};',
    body,
  ].join('\n');
}

test('the README has TypeScript samples', () => {
  expect(SAMPLES.length).toBeGreaterThanOrEqual(5);
});

test('every README sample type-checks', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-'));
  try {
    const files = SAMPLES.map((sample, i) => {
      const file = path.join(dir, `sample-${i}.ts`);
      fs.writeFileSync(file, program(sample));
      return file;
    });
    const options: ts.CompilerOptions = {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2020,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      esModuleInterop: true,
      skipLibCheck: true,
      noUnusedLocals: false,
      baseUrl: path.join(__dirname, '..'),
      typeRoots: [path.join(__dirname, '..', 'node_modules', '@types')],
    };
    const host = ts.createCompilerHost(options);
    const resolveFrom = path.join(__dirname, '..');
    // Samples live in a temporary folder: resolve their packages from the repository.
    host.resolveModuleNames = (names, containing) => names.map(name => {
      const from = files.includes(containing) && !name.startsWith('/') ? path.join(resolveFrom, 'index.ts') : containing;
      return ts.resolveModuleName(name, from, options, host).resolvedModule;
    });
    const diagnostics = ts.getPreEmitDiagnostics(ts.createProgram(files, options, host))
      .filter(d => d.file && files.includes(d.file.fileName))
      .map(d => `${path.basename(d.file!.fileName)}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(diagnostics).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the quick start synthesizes', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-quick-start-'));
  const source = SAMPLES[0].replace(/from 'cdk8s-mesh'/g, `from '${path.join(__dirname, '..', 'src').replace(/\\/g, '/')}'`);
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
  const file = path.join(__dirname, `.quick-start-${process.pid}.js`);
  const previous = process.env.CDK8S_OUTDIR;
  try {
    fs.writeFileSync(file, js);
    process.env.CDK8S_OUTDIR = outdir;
    // The sample is a program: running it is the point (it calls app.synth()).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(file);
    const yaml = fs.readdirSync(outdir).map(f => fs.readFileSync(path.join(outdir, f), 'utf-8')).join('\n');
    expect(yaml).toContain('name: order-service-envoy');
    expect(yaml).toContain('spiffe://cluster.local/ns/shop/sa/order-service');
  } finally {
    if (previous === undefined) delete process.env.CDK8S_OUTDIR;
    else process.env.CDK8S_OUTDIR = previous;
    fs.rmSync(file, { force: true });
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});

/**
 * Every other sample runs too, in a small shop mesh (STRICT mTLS with a mesh
 * CA): the names it uses without declaring are that mesh's services. A sample
 * that declares its own `mesh` gets the services in its mesh, declared right
 * after it. The app is then validated as `cdk8s synth` would.
 */
const FIXTURE: Record<string, string> = {
  mesh: "new Mesh(chart, 'mesh', { certificates: CertificateSource.selfSignedCa() })",
  orders: "new MeshService(chart, 'order-service', { mesh, image: 'example/orders:1.0.0', port: 8080 })",
  users: "new MeshService(chart, 'user-service', { mesh, image: 'example/users:1.0.0', port: 3000 })",
  ordersStandby: "new MeshService(chart, 'order-service-standby', { mesh, image: 'example/orders:1.0.0', port: 8081 })",
  reviews: "new MeshService(chart, 'reviews', { mesh, image: 'example/reviews:1.0.0', port: 9080 })",
  ratings: "new MeshService(chart, 'ratings', { mesh, image: 'example/ratings:1.0.0', port: 9081 })",
  myKplusDeployment: '(() => { const d = new kplus.Deployment(chart, \'legacy-deployment\', { serviceAccount: new kplus.ServiceAccount(chart, \'legacy-sa\') }); '
    + "d.addContainer({ name: 'app', image: 'example/legacy:1.0.0', portNumber: 7000 }); return d; })()",
  myKplusStatefulSet: "(() => { const s = new kplus.StatefulSet(chart, 'queue-set', { serviceAccount: new kplus.ServiceAccount(chart, 'queue-sa'), "
    + "service: new kplus.Service(chart, 'queue-governing', { ports: [{ port: 5672 }] }) }); "
    + "s.addContainer({ name: 'queue', image: 'example/queue:1.0.0', portNumber: 5672 }); return s; })()",
};

function runnable(sample: string): string {
  const body = sample.replace(/^import .*$/gm, '');
  const statements = ts.createSourceFile('sample.ts', body, ts.ScriptTarget.ES2020, true).statements;
  const declares = (s: ts.Statement, name: string) =>
    ts.isVariableStatement(s) && s.declarationList.declarations.some(d => d.name.getText() === name);
  const declared = new Set(Object.keys(FIXTURE).filter(name => statements.some(s => declares(s, name))));
  const mentions = (name: string) => new RegExp(`\\b${name}\\b`).test(body);
  const used = (name: string) => mentions(name) || (name === 'mesh' && Object.keys(FIXTURE).some(n => n !== 'mesh' && mentions(n)));
  // What the samples before a fragment declared: orders' version v2, reviews' v2 and v3, and users calling orders.
  const after: Record<string, string> = {
    orders: /version\('v2'/.test(body) && !/addVersion\('v2'/.test(body) ? "orders.addVersion('v2', { image: 'example/orders:2.0.0' });" : '',
    reviews: "reviews.addVersion('v2', { image: 'example/reviews:2.0.0' }); reviews.addVersion('v3', { image: 'example/reviews:3.0.0' });",
    users: /\bcaller: users\b/.test(body) && !/users\.callTo\(orders/.test(body) ? 'users.callTo(orders);' : '',
  };
  const context = (names: string[]) => names.filter(n => !declared.has(n) && used(n)).map(n => `const ${n} = ${FIXTURE[n]};\n${after[n] ?? ''}`).join('\n');
  const services = Object.keys(FIXTURE).filter(n => n !== 'mesh');
  const meshAt = statements.findIndex(s => declares(s, 'mesh'));
  const text = (from: number, to?: number) => statements.slice(from, to).map(s => s.getFullText()).join('');
  const parts = meshAt < 0 ? [context(['mesh', ...services]), text(0)] : [text(0, meshAt + 1), context(services), text(meshAt + 1)];
  return [
    "import { App, Chart, Duration, Testing } from 'cdk8s';",
    "import * as kplus from 'cdk8s-plus-27';",
    "import { Cpu } from 'cdk8s-plus-27';",
    `import { ${Object.keys(mesh).join(', ')} } from '${path.join(__dirname, '..', 'src').replace(/\\/g, '/')}';`,
    'const app = Testing.app();',
    "const chart = new Chart(app, 'chart', { namespace: 'shop', disableResourceNameHashes: true });",
    ...parts,
    'module.exports = app;',
  ].join('\n');
}

test.each(SAMPLES.slice(1).map((sample, i) => [i + 1, sample]))('README sample %i synthesizes as written', (_i, sample) => {
  const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 };
  const js = ts.transpileModule(runnable(sample as string), { compilerOptions }).outputText;
  // Run in this test's module scope: no file is written, so coverage never looks for one.
  const module_ = { exports: {} as any };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function('require', 'module', 'exports', js)(require, module_, module_.exports);
  const app = module_.exports;
  const errors = app.node.findAll().flatMap((c: any) => c.node.validate().map((e: string) => `[${c.node.path}] ${e}`));
  expect(errors).toEqual([]);
  // Synthesis itself must not throw (a sample of values alone, or a mesh without services, writes no object).
  expect(() => app.charts.forEach((chart: any) => Testing.synth(chart))).not.toThrow();
});
