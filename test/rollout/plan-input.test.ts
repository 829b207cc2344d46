import * as fs from 'fs';
import * as path from 'path';
import { rolloutShop } from './rollout-shop';
import { runCli, synthTo, tempDir } from '../review/synth-pair';

const plan = (...args: string[]) => runCli(['plan', ...args]);

describe('cdk8s-mesh plan refuses bad input and writes only under --out', () => {
  const old = synthTo(rolloutShop());
  const now = synthTo(rolloutShop({ ordersCallers: ['users', 'billing'] }));

  test('outputs of different namespaces, folders that are not synth outputs, unreadable files: exit 2, nothing written', () => {
    const out = path.join(tempDir(), 'plan');
    const elsewhere = synthTo(rolloutShop({ namespace: 'store' }));
    expect(plan(old, elsewhere, '--out', out)).toMatchObject({ code: 2, errors: expect.stringContaining('different meshes or namespaces') });
    const empty = tempDir();
    expect(plan(old, empty, '--out', out)).toMatchObject({ code: 2, errors: expect.stringContaining('is not a synth output') });
    const broken = tempDir();
    fs.writeFileSync(path.join(broken, 'a.yaml'), 'kind: [unclosed');
    expect(plan(broken, now, '--out', out)).toMatchObject({ code: 2, errors: expect.stringContaining('a.yaml is not a synth output') });
    const dangling = tempDir();
    fs.cpSync(now, dangling, { recursive: true });
    fs.symlinkSync(path.join(dangling, 'nowhere.yaml'), path.join(dangling, 'b.yaml'));
    expect(plan(old, dangling, '--out', out)).toMatchObject({ code: 2, errors: expect.stringContaining('cannot read') });
    expect(plan(old, path.join(empty, 'missing'), '--out', out)).toMatchObject({ code: 2, errors: expect.stringContaining('cannot read') });
    expect(plan(old, now)).toMatchObject({ code: 2, errors: expect.stringContaining('usage') });
    expect(fs.existsSync(out)).toBe(false);
  });

  test('an --out inside OLD or NEW, or holding them, is refused; the inputs stay as they were', () => {
    const before = fs.readdirSync(now);
    expect(plan(old, now, '--out', path.join(now, 'plan'))).toMatchObject({ code: 2, errors: expect.stringContaining('inside') });
    expect(plan(old, now, '--out', old)).toMatchObject({ code: 2, errors: expect.stringContaining('inside') });
    expect(plan(old, now, '--out', path.dirname(now))).toMatchObject({ code: 2, errors: expect.stringContaining('holds') });
    expect(fs.readdirSync(now)).toEqual(before);
    expect(fs.existsSync(path.join(now, 'plan'))).toBe(false);
  });

  test('a non-empty --out is refused unless it only holds a previous plan\'s waves, which are replaced', () => {
    const out = tempDir();
    fs.writeFileSync(path.join(out, 'notes.txt'), 'mine');
    expect(plan(old, now, '--out', out)).toMatchObject({ code: 2, errors: expect.stringContaining('not empty') });
    expect(fs.readdirSync(out)).toEqual(['notes.txt']);
    const again = path.join(tempDir(), 'plan');
    expect(plan(old, now, '--out', again).code).toBe(0);
    expect(fs.readdirSync(again)).toEqual(['01-expand', '02-switch']);
    // A second plan (here: a single wave) replaces the first one's waves.
    expect(plan(now, now, '--out', again)).toMatchObject({ code: 0, output: expect.stringContaining('No changes') });
    expect(fs.readdirSync(again)).toEqual(['01-apply']);
    fs.mkdirSync(path.join(again, 'keep'));
    expect(plan(old, now, '--out', again).code).toBe(2);
    expect(fs.readdirSync(again).sort()).toEqual(['01-apply', 'keep']);
  });
});
