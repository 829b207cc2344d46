import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
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
