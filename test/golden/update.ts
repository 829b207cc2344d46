/**
 * Rewrites test/golden/output from the current code: run it (as
 * `npx projen golden:update`) only when an output change is intended, and
 * commit the new outputs in a commit of their own.
 */
import * as fs from 'fs';
import * as path from 'path';
import { GOLDEN_CASES, goldenOutput, OUTPUT_DIR, outputFile } from './golden';

fs.mkdirSync(OUTPUT_DIR, { recursive: true });
const names = Object.keys(GOLDEN_CASES);
for (const file of fs.readdirSync(OUTPUT_DIR)) {
  if (file.endsWith('.yaml') && !names.includes(file.slice(0, -'.yaml'.length))) {
    fs.rmSync(path.join(OUTPUT_DIR, file));
    console.log(`removed ${file} (no such case)`);
  }
}
let total = 0;
for (const name of names) {
  const yaml = goldenOutput(name);
  const file = outputFile(name);
  const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf-8') : undefined;
  if (before !== yaml) fs.writeFileSync(file, yaml);
  total += Buffer.byteLength(yaml);
  console.log(`${before === undefined ? 'new      ' : before === yaml ? 'unchanged' : 'changed  '} ${path.relative(process.cwd(), file)}`);
}
console.log(`${names.length} golden outputs, ${(total / 1024).toFixed(0)} KiB in all`);
