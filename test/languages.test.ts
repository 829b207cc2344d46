import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { languages, render, samples } from '../scripts/languages';

/**
 * Every jsii language: the README's samples as jsii-rosetta compiled and translated them
 * (.jsii.tabl.json, written by `npx projen rosetta:extract` in post-compile), the generated
 * docs/LANGUAGES.md, the README's Python quick start and its package coordinates.
 */
const ROOT = path.join(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8'));
const TABLET_FILE = path.join(ROOT, '.jsii.tabl.json');

function tablet() {
  if (!fs.existsSync(TABLET_FILE)) throw new Error('no .jsii.tabl.json: run `npx projen compile` (post-compile runs rosetta:extract)');
  return JSON.parse(fs.readFileSync(TABLET_FILE, 'utf-8'));
}

test('the jsii targets have the package names users install', () => {
  const t = PKG.jsii.targets;
  expect(t.python.distName).toBe('cdk8s-mesh');
  expect(`${t.java.maven.groupId}:${t.java.maven.artifactId}`).toBe('io.github.cdk8s-mesh:cdk8s-mesh');
  expect(t.dotnet.packageId).toBe('Cdk8sMesh');
  expect(languages(PKG).find(l => l.key === 'go')!.install).toBe('go get github.com/cdk8s-mesh/cdk8s-mesh-go/cdk8smesh');
});

test('every README sample was compiled by rosetta and translated to the four languages', () => {
  const all = samples(README, tablet());
  expect(all.length).toBe([...README.matchAll(/^```ts$/gm)].length);
  expect(all.filter(s => !s.didCompile).map(s => s.heading)).toEqual([]);
  for (const s of all) {
    for (const lang of ['python', 'java', 'csharp', 'go'] as const) expect(s.translations[lang].trim()).not.toBe('');
  }
  // The translations are in their language, not the TypeScript copied through.
  const quickStart = all[0].translations;
  expect(quickStart.python).toContain('from cdk8s_mesh import CertificateSource, LoadBalancer, Mesh, MeshService');
  expect(quickStart.python).toContain('certificates=CertificateSource.self_signed_ca()');
  expect(quickStart.java).toContain('import io.github.cdk8s_mesh.Mesh;');
  expect(quickStart.java).toContain('MeshService.Builder.create(chart, "order-service")');
  expect(quickStart.csharp).toContain('using Cdk8sMesh;');
  expect(quickStart.csharp).toContain('new MeshServiceProps {');
  expect(quickStart.go).toContain('import "github.com/cdk8s-mesh/cdk8s-mesh-go/cdk8smesh"');
});

test('docs/LANGUAGES.md is rosetta\'s current translation of the README (npx projen docs:languages)', () => {
  const committed = fs.readFileSync(path.join(ROOT, 'docs', 'LANGUAGES.md'), 'utf-8');
  expect(committed).toBe(render(PKG, samples(README, tablet())));
});

test('the README\'s Python quick start is rosetta\'s', () => {
  const python = /```python\n([\s\S]*?)```/.exec(README.slice(README.indexOf('\n## Other languages\n')));
  expect(python).not.toBeNull();
  expect(python![1].trimEnd()).toBe(samples(README, tablet())[0].translations.python.trimEnd());
});

test('the README gives each language\'s coordinates and install line', () => {
  const section = README.slice(README.indexOf('\n## Other languages\n'), README.indexOf('\n## Two commands\n'));
  for (const lang of languages(PKG)) {
    expect(section).toContain(`| ${lang.title} | ${lang.coordinates} |`);
    if (lang.key !== 'java') expect(section).toContain(`\`${lang.install}\``);
  }
  expect(section).toContain(`a \`<dependency>\` on \`${PKG.jsii.targets.java.maven.groupId}:${PKG.jsii.targets.java.maven.artifactId}\``);
});

test('every Python sample is valid Python', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'python-samples-'));
  try {
    const files = samples(README, tablet()).map((s, i) => {
      const file = path.join(dir, `sample_${i}.py`);
      fs.writeFileSync(file, s.translations.python);
      return file;
    });
    const check = 'import ast, sys\nfor f in sys.argv[1:]:\n    ast.parse(open(f).read(), f)\n';
    const run = spawnSync('python3', ['-c', check, ...files], { encoding: 'utf-8' });
    expect(run.error).toBeUndefined();
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
