import { cdk8s, javascript } from 'projen';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-mesh',
  description: 'A service mesh as typed code: cdk8s constructs that synthesize Envoy sidecars, mTLS, authorization and Prometheus monitoring without a control plane.',
  author: 'cdk8s-mesh authors',
  authorAddress: 'cdk8s-mesh@users.noreply.github.com',
  repositoryUrl: 'https://github.com/cdk8s-mesh/cdk8s-mesh.git',
  defaultReleaseBranch: 'main',
  license: 'Apache-2.0',
  keywords: ['cdk8s', 'kubernetes', 'service-mesh', 'envoy', 'mtls', 'prometheus'],
  projenrcTs: true,

  cdk8sVersion: '2.70.0',
  constructsVersion: '10.4.2',
  jsiiVersion: '~5.9.0',
  typescriptVersion: '~5.9.3',
  peerDeps: ['cdk8s-plus-27@^2.9.5'],
  // Google's RE2 compiled to WebAssembly: regexes are checked at synth with the engine Envoy uses.
  bundledDeps: ['re2-wasm@^1.0.2'],

  // jsii targets cdk8s users expect; only the js artifact is built here.
  publishToPypi: { distName: 'cdk8s-mesh', module: 'cdk8s_mesh' },
  publishToMaven: {
    javaPackage: 'io.github.cdk8s_mesh',
    mavenGroupId: 'io.github.cdk8s-mesh',
    mavenArtifactId: 'cdk8s-mesh',
  },
  publishToNuget: { dotNetNamespace: 'Cdk8sMesh', packageId: 'Cdk8sMesh' },
  publishToGo: { moduleName: 'github.com/cdk8s-mesh/cdk8s-mesh-go' },

  github: false,
  release: false,
  depsUpgrade: false,
  buildWorkflow: false,
  package: true,
  // The package's contents are an allowlist (`files` below), not a list of exclusions.
  npmignoreEnabled: false,
  packageManager: javascript.NodePackageManager.NPM,
  // `npx cdk8s-mesh diff dist.old dist`: what changed between two synthesized outputs, in the mesh's terms.
  bin: { 'cdk8s-mesh': 'lib/cli.js' },

  devDeps: [
    '@types/node@^20',
    'cdk8s-plus-27@^2.9.5',
    'cdk8s-cli@^2.207.0',
    '@grpc/grpc-js-xds@^1.14.1',
    'protobufjs@^7.5.0',
    'ajv@^8.17.1',
    'yaml@^2.8.0',
    'fast-check@^4.0.0',
    'kubernetes-types@1.29.0',
    'ts-json-schema-generator@^2.10.0',
    'madge@^8.0.0',
  ],

  jestOptions: {
    jestConfig: {
      testTimeout: 120_000,
      testPathIgnorePatterns: ['/node_modules/', '/examples/'],
      // test/readme.test.ts runs the README's quick start from a temporary file it removes.
      coveragePathIgnorePatterns: ['/node_modules/', '/test/\\.quick-start-'],
    },
  },
  tsconfigDev: {
    compilerOptions: {},
    // Relative to test/tsconfig.json, the file projen writes from these options.
    include: ['../examples/**/*.ts', '../bench/**/*.ts'],
  },
  gitignore: ['examples/*/dist/', '/.jsii-pacmak-check/'],
});

project.eslint?.addIgnorePattern('src/imports/');
// The examples are code users copy: linted as src is (examples/tsconfig.json lets eslint's project service find them).
project.eslint?.addLintPattern('examples');

// What the npm package holds, and nothing else (test/package-contents.test.ts checks it with
// `npm pack --dry-run`): the compiled library, its jsii assembly and API reference. npm adds
// package.json, README.md and LICENSE itself, and the bundled dependencies (re2-wasm) under
// node_modules/.
project.package.addField('files', ['lib/**/*.js', 'lib/**/*.d.ts', '.jsii', 'API.md', 'README.md', 'LICENSE']);
// jsii-pacmak writes a .npmignore of its own unless told not to; `files` decides instead.
for (const target of ['js', 'python', 'java', 'dotnet', 'go']) {
  const task = project.tasks.tryFind(`package:${target}`)!;
  task.reset(`jsii-pacmak -v --target ${target} --no-npmignore`);
}
// Written and removed by test/readme.test.ts (added after projen's own `!/test/`).
project.gitignore.addPatterns('/test/.quick-start-*.js');

// Typed constructs for the CRDs in test/crds (generated, never hand-edited).
project.addTask('import:crds', {
  description: 'Regenerate src/imports from the CRDs in test/crds',
  exec: 'bash scripts/import-crds.sh',
});

// Synthesis benchmarks (not part of the test suite); they rewrite BENCHMARKS.md.
project.addTask('bench', {
  description: 'Synthesis benchmarks (not part of the test suite); writes BENCHMARKS.md',
  exec: 'ts-node --transpile-only bench/run.ts',
  receiveArgs: true,
});

// The test code is type-checked before the tests run: ts-jest transpiles each file on its own
// (isolatedModules) and reports no type errors. `--isolatedModules false` because src/index.ts
// re-exports interfaces with `export { ... }` (TS1205 under isolatedModules); isolated transpilation
// only leaves undefined bindings for them, so that is no error in the tests.
const testTypes = project.addTask('test:types', {
  description: 'Type-check the test code (test/tsconfig.json) as tsc would, which ts-jest does not',
  exec: 'tsc --noEmit -p test/tsconfig.json --isolatedModules false',
});
project.testTask.prependSpawn(testTypes);

// Golden outputs (test/golden.test.ts): rewrite test/golden/output when an output change is intended.
project.addTask('golden:update', {
  description: 'Rewrite the golden outputs in test/golden/output (commit them in a commit of their own)',
  exec: 'ts-node --transpile-only test/golden/update.ts',
});

// The example mesh: the main job of a fresh clone.
project.addTask('synth:example', {
  description: 'Synthesize the example meshes into examples/*/dist',
  steps: ['shop', 'canary', 'failover'].map(example => ({ exec: 'npx cdk8s synth --check-upgrade false', cwd: `examples/${example}` })),
});

// Every TypeScript sample of the README, compiled (strict: a sample that does not compile fails the
// build; fragments are completed by rosetta/default.ts-fixture) and translated to Python, Java, C#
// and Go by jsii-rosetta into the tablet .jsii.tabl.json, which jsii-pacmak and docs:languages read.
const rosettaExtract = project.addTask('rosetta:extract', {
  description: 'Compile the README\'s samples and translate them to every jsii language (.jsii.tabl.json)',
  exec: 'jsii-rosetta extract --strict .jsii',
});
project.postCompileTask.spawn(rosettaExtract);
project.gitignore.addPatterns('/.jsii.tabl.json');

// docs/LANGUAGES.md: the README's samples as rosetta translated them (test/languages.test.ts keeps it current).
project.addTask('docs:languages', {
  description: 'Rewrite docs/LANGUAGES.md from rosetta\'s translations of the README\'s samples',
  exec: 'ts-node --transpile-only scripts/languages.ts',
});

// The Python package, built here with jsii-pacmak's generated code and Debian's build tools, since
// `jsii-pacmak --target python` installs its build tools from PyPI (see scripts/python-wheel.sh).
const pythonWheel = project.addTask('package:python-wheel', {
  description: 'Build and check the Python wheel and sdist in dist/python (jsii-pacmak --code-only, Debian\'s python3-build)',
  exec: 'bash scripts/python-wheel.sh',
});
// What these machines can package: the npm package and the Python one. `package-all` (every
// language through jsii-pacmak) needs PyPI, Maven Central, a .NET SDK and the Go toolchain.
project.packageTask.reset();
project.packageTask.spawn(project.tasks.tryFind('package:js')!);
project.packageTask.spawn(pythonWheel);

project.synth();
