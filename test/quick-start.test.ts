import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';

/**
 * The README's quick start, run as a new user would: its commands and files,
 * taken from the README's code blocks (so this fails when the README drifts),
 * in an empty temporary folder, on the packed library. Its npm installs reach
 * the npm registry.
 *
 * The one block not run is the first, which clones this repository and builds
 * the package with `npx projen package:js` (`jsii-pacmak --target js`); here
 * jsii-pacmak's js target packs this checkout into the path that block writes,
 * `cdk8s-mesh/dist/js/<name>@<version>.jsii.tgz` beside the user's folder.
 * Needs lib/ and .jsii compiled, as in `npx projen build`.
 */
const ROOT = path.join(__dirname, '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf-8'));

interface Block { readonly lang: string; readonly code: string; readonly before: string }

function quickStartBlocks(): Block[] {
  const start = README.indexOf('\n## Quick start\n');
  expect(start).toBeGreaterThanOrEqual(0);
  const end = README.indexOf('\n## ', start + 1);
  const section = README.slice(start, end);
  const blocks: Block[] = [];
  const fence = /```(\w*)\n([\s\S]*?)```/g;
  let last = 0;
  for (const m of section.matchAll(fence)) {
    // The first line of the paragraph just above the block.
    const paragraphs = section.slice(last, m.index).trim().split(/\n\s*\n/);
    blocks.push({ lang: m[1], code: m[2], before: paragraphs[paragraphs.length - 1].split('\n')[0] });
    last = m.index! + m[0].length;
  }
  return blocks;
}

/** A file block is introduced by a paragraph that starts with its name in backticks. */
function fileName(block: Block): string | undefined {
  return /^`([\w.-]+\.(?:ya?ml|json|ts))`/.exec(block.before)?.[1];
}

const BLOCKS = quickStartBlocks();
const TARBALL = `${PKG.name}@${PKG.version}.jsii.tgz`;

test('the quick start\'s blocks: build the package, install it, three files, synthesize', () => {
  expect(BLOCKS.map(b => fileName(b) ?? b.lang)).toEqual(['sh', 'sh', 'cdk8s.yaml', 'tsconfig.json', 'main.ts', 'sh']);
  // The build block: a clone, then projen's js packaging, jsii-pacmak's js target, which writes
  // dist/js/<name>@<version>.jsii.tgz (jsii's outdir is dist); the install block takes that file
  // from beside the user's folder.
  expect(BLOCKS[0].code).toMatch(/^git clone \S+\/cdk8s-mesh\.git\n/);
  expect(BLOCKS[0].code).toContain('cd cdk8s-mesh && npm ci && npx projen compile && npx projen package:js && cd ..');
  expect(PKG.jsii.outdir).toBe('dist');
  const tasks = JSON.parse(fs.readFileSync(path.join(ROOT, '.projen', 'tasks.json'), 'utf-8')).tasks;
  expect(tasks['package:js'].steps.map((s: any) => s.exec)).toEqual(['jsii-pacmak -v --target js --no-npmignore']);
  expect(BLOCKS[1].code).toContain(` ../cdk8s-mesh/dist/js/${TARBALL}`);
  // TypeScript pinned below 7, where ts-node fails.
  expect(BLOCKS[1].code).toMatch(/typescript@~5\.\d+/);
});

test('the line to type once published is the install line with the package name', () => {
  const install = BLOCKS[1].code.split('\n').find(l => l.includes(TARBALL))!;
  const published = install.replace(`../cdk8s-mesh/dist/js/${TARBALL}`, PKG.name);
  expect(README).toContain(`\`${published}\``);
});

test('the README\'s commands synthesize the mesh from an empty folder', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quick-start-'));
  try {
    // package:js's command, writing to the clone's dist/ beside the user's folder.
    execFileSync('npx', ['jsii-pacmak', '--target', 'js', '--outdir', path.join(dir, 'cdk8s-mesh', 'dist')], {
      cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(fs.readdirSync(path.join(dir, 'cdk8s-mesh', 'dist', 'js'))).toEqual([TARBALL]);

    // Every block after the build block, in order, as one shell script: sh blocks verbatim,
    // file blocks written by name (in the folder the earlier commands moved to).
    const script = ['set -euo pipefail', ...BLOCKS.slice(1).map(b => {
      const name = fileName(b);
      if (name) return `cat > ${name} <<'README_EOF'\n${b.code}README_EOF`;
      expect(b.lang).toBe('sh');
      return b.code;
    })].join('\n');
    const run = spawnSync('bash', ['-c', script], {
      cwd: dir,
      encoding: 'utf-8',
      timeout: 540_000,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, CI: 'true', npm_config_fund: 'false', npm_config_audit: 'false' },
    });
    if (run.status !== 0) throw new Error(`quick start failed (${run.status ?? run.signal}):\n${run.stdout.slice(-3000)}\n${run.stderr.slice(-3000)}`);

    const app = path.join(dir, 'my-mesh');
    // The library came from the packed file, TypeScript stayed on 5.x.
    const lock = JSON.parse(fs.readFileSync(path.join(app, 'package-lock.json'), 'utf-8'));
    expect(lock.packages['node_modules/cdk8s-mesh'].resolved).toBe(`file:../cdk8s-mesh/dist/js/${TARBALL}`);
    expect(lock.packages['node_modules/typescript'].version).toMatch(/^5\./);

    const objects = YAML.parseAllDocuments(fs.readFileSync(path.join(app, 'dist', 'shop.k8s.yaml'), 'utf-8')).map(d => d.toJSON());
    const names = objects.map(o => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    for (const service of ['order-service', 'user-service']) {
      expect(names).toEqual(expect.arrayContaining([
        `ServiceAccount shop/${service}`,
        `Deployment shop/${service}-v1`,
        `Service shop/${service}`,
        `Service shop/${service}-v1`,
        `ConfigMap shop/${service}-envoy`,
        `NetworkPolicy shop/${service}-mesh`,
        `Certificate shop/${service}-mesh`,
      ]));
    }
    const find = (kind: string, name: string) => objects.find(o => o.kind === kind && o.metadata.name === name);
    const orders = find('Deployment', 'order-service-v1');
    expect(orders.spec.replicas).toBe(2);
    expect(orders.spec.template.spec.containers.map((c: any) => c.name)).toEqual(expect.arrayContaining(['app', 'envoy']));
    // The caller's pod sends order-service to its own sidecar, which listens there on 8080.
    const users = find('Deployment', 'user-service-v1');
    const alias = users.spec.template.spec.hostAliases.find((a: any) => a.hostnames.includes('order-service'));
    expect(alias.ip).toMatch(/^127\./);
    const lds = JSON.parse(find('ConfigMap', 'user-service-envoy').data['lds.json']);
    const addresses = lds.resources.map((l: any) => l.address?.socket_address).filter(Boolean);
    expect(addresses).toEqual(expect.arrayContaining([expect.objectContaining({ address: alias.ip, port_value: 8080 })]));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 600_000);
