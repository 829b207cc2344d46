import * as fs from 'fs';
import * as path from 'path';
import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { reviewShop } from './review-shop';
import { runCli, synthTo, tempDir } from './synth-pair';

/** Input `cdk8s-mesh diff` cannot compare: a message on standard error, nothing on standard output, exit status 2. */
function refused(before: string, after: string): string {
  const result = runCli(['diff', before, after, '--fail-on', 'risky']);
  expect(result).toMatchObject({ code: 2, output: '' });
  return result.errors;
}

/** A copy of a synth output with one file added. */
function withFile(dir: string, name: string, write: (file: string) => void): string {
  const copy = tempDir();
  fs.cpSync(dir, copy, { recursive: true });
  write(path.join(copy, name));
  return copy;
}

const shop = synthTo(reviewShop());

test('outputs of meshes in different namespaces', () => {
  const store = synthTo(reviewShop({ namespace: 'store' }));
  expect(refused(shop, store)).toBe(`cdk8s-mesh diff: ${shop} and ${store} are outputs of different meshes or namespaces (shop and store): `
    + 'compare two outputs of the same app\n');
});

test('folders that are not synth outputs: empty, other YAML, a file, a missing path', () => {
  const empty = tempDir();
  expect(refused(shop, empty)).toBe(`cdk8s-mesh diff: ${empty} is not a synth output: it holds no YAML file with Kubernetes objects\n`);
  const ci = withFile(tempDir(), 'ci.yaml', file => fs.writeFileSync(file, 'jobs:\n  build:\n    runs-on: ubuntu-latest\n'));
  expect(refused(ci, shop)).toBe(`cdk8s-mesh diff: ${path.join(ci, 'ci.yaml')} is not a synth output: it holds a document that is not a Kubernetes object `
    + '(malformed YAML, or another kind of file)\n');
  const file = path.join(shop, fs.readdirSync(shop)[0]);
  expect(refused(shop, file)).toMatch(/is not a directory: pass the output directory of `cdk8s synth`/);
  expect(refused(shop, path.join(shop, 'missing'))).toMatch(/^cdk8s-mesh diff: cannot read .*missing: ENOENT/);
});

test('a synth output without a mesh', () => {
  const plain = synthTo(app => new kplus.Deployment(new Chart(app, 'web'), 'web', { containers: [{ image: 'nginx' }] }));
  expect(refused(plain, shop)).toMatch(/holds no mesh: no sidecar intent/);
});

test('unreadable files: a dangling link, malformed YAML', () => {
  const dangling = withFile(shop, 'extra.yaml', file => fs.symlinkSync(path.join(tempDir(), 'gone.yaml'), file));
  expect(refused(shop, dangling)).toMatch(/^cdk8s-mesh diff: cannot read .*extra\.yaml: ENOENT/);
  const malformed = withFile(shop, 'extra.yaml', file => fs.writeFileSync(file, 'kind: [unclosed\n'));
  expect(refused(malformed, shop)).toMatch(/^cdk8s-mesh diff: .*extra\.yaml is not a synth output: .*malformed YAML/);
});

test('bad usage', () => {
  expect(runCli(['diff', shop])).toMatchObject({ code: 2, errors: expect.stringContaining('usage: cdk8s-mesh diff') });
  expect(runCli(['diff', shop, shop, '--fail-on', 'everything'])).toMatchObject({ code: 2 });
});
