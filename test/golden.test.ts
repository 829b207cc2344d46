/**
 * Golden output guard: every example and every program of
 * test/golden/programs must synthesize to exactly the YAML recorded in
 * test/golden/output. A refactor that should not change behaviour must keep
 * this test passing unchanged; when an output change is intended, run
 * `npx projen golden:update` and commit the new outputs in a commit of their own.
 */
import * as fs from 'fs';
import * as path from 'path';
import { GOLDEN_CASES, goldenOutput, OUTPUT_DIR, outputFile } from './golden/golden';

const UPDATE_HINT = 'If this change is intended, run `npx projen golden:update` and commit test/golden/output in its own commit.';

test.each(Object.keys(GOLDEN_CASES))('%s synthesizes to its recorded output', name => {
  const file = outputFile(name);
  const shown = path.relative(process.cwd(), file);
  if (!fs.existsSync(file)) throw new Error(`${shown} is missing. ${UPDATE_HINT}`);
  const recorded = fs.readFileSync(file, 'utf-8');
  const actual = goldenOutput(name);
  if (actual !== recorded) throw new Error(`The output of ${name} differs from ${shown}.\n${UPDATE_HINT}\n\n${firstDifference(recorded, actual)}`);
});

test('every recorded output belongs to a case', () => {
  const stale = fs.readdirSync(OUTPUT_DIR).filter(f => !(f.replace(/\.yaml$/, '') in GOLDEN_CASES));
  if (stale.length > 0) throw new Error(`${stale.join(', ')} in ${path.relative(process.cwd(), OUTPUT_DIR)} belong to no case (test/golden/golden.ts). ${UPDATE_HINT}`);
});

/** The first line where the outputs differ, after a little unchanged context. */
function firstDifference(recorded: string, actual: string): string {
  const x = recorded.split('\n');
  const y = actual.split('\n');
  let at = 0;
  while (at < Math.max(x.length, y.length) && x[at] === y[at]) at++;
  const context = x.slice(Math.max(0, at - 3), at).map(l => `    ${l}`);
  const line = (l: string | undefined) => (l === undefined ? '(end of output)' : l);
  return [`first difference at line ${at + 1}:`, ...context, `  - ${line(x[at])}   (recorded)`, `  + ${line(y[at])}   (now)`].join('\n');
}
