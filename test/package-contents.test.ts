import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/**
 * The npm package is an allowlist (`files` in package.json, from .projenrc.ts):
 * the compiled library, its jsii assembly, the API reference, README and
 * LICENSE, and the bundled re2-wasm. Read from `npm pack --dry-run --json`,
 * which lists what `npm pack` (and jsii-pacmak's js target) would put in the
 * tarball. Needs lib/ compiled, as in `npx projen build`.
 */
const ROOT = path.join(__dirname, '..');

interface PackEntry { readonly path: string }
interface PackResult { readonly files: PackEntry[]; readonly bundled: string[] }

let pack: PackResult;
let files: string[];

beforeAll(() => {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT, encoding: 'utf-8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024,
  });
  pack = JSON.parse(out)[0];
  files = pack.files.map(f => f.path);
});

test('the top-level entries are exactly the allowlist', () => {
  const top = [...new Set(files.map(f => f.split('/')[0]))].sort();
  expect(top).toEqual(['.jsii', 'API.md', 'LICENSE', 'README.md', 'lib', 'node_modules', 'package.json']);
});

test('lib holds only compiled JavaScript and declarations, one pair per source file', () => {
  const lib = files.filter(f => f.startsWith('lib/'));
  expect(lib.filter(f => !f.endsWith('.js') && !f.endsWith('.d.ts'))).toEqual([]);
  const sources = walk(path.join(ROOT, 'src'))
    .filter(f => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map(f => path.relative(path.join(ROOT, 'src'), f).replace(/\\/g, '/').replace(/\.ts$/, ''));
  expect(sources.length).toBeGreaterThan(10);
  const missing = sources.filter(s => !lib.includes(`lib/${s}.js`) || !lib.includes(`lib/${s}.d.ts`));
  expect(missing).toEqual([]);
});

test('the bin and the entry point are included', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8'));
  expect(pkg.bin['cdk8s-mesh']).toBe('lib/cli.js');
  expect(files).toContain('lib/cli.js');
  expect(files).toContain(pkg.main);
  expect(files).toContain(pkg.types);
});

test('the bundled re2-wasm is included, with its WebAssembly module', () => {
  expect(pack.bundled).toEqual(['re2-wasm']);
  const bundled = files.filter(f => f.startsWith('node_modules/'));
  expect(bundled.every(f => f.startsWith('node_modules/re2-wasm/'))).toBe(true);
  expect(bundled).toContain('node_modules/re2-wasm/package.json');
  const re2 = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 're2-wasm', 'package.json'), 'utf-8'));
  expect(bundled).toContain(path.posix.join('node_modules/re2-wasm', re2.main));
  expect(bundled).toContain('node_modules/re2-wasm/build/wasm/re2.wasm');
});

test('the jsii assembly is this package\'s', () => {
  expect(files).toContain('.jsii');
  const assembly = JSON.parse(fs.readFileSync(path.join(ROOT, '.jsii'), 'utf-8'));
  expect(assembly.name).toBe('cdk8s-mesh');
  expect(Object.keys(assembly.types)).toContain('cdk8s-mesh.Mesh');
});

test('nothing of the repository\'s own tooling ships', () => {
  for (const prefix of ['src/', 'test/', '.ci/', 'bench/', 'examples/', 'scripts/', 'docs/', '.projen/', 'tsconfig', '.projenrc', 'rosetta/']) {
    expect(files.filter(f => f.startsWith(prefix))).toEqual([]);
  }
});

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]);
}
