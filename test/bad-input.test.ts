import * as fs from 'fs';
import * as path from 'path';
import { BadInput } from './bad-input/bad-input';
import { ENGINE_CASES } from './bad-input/engines';
import { FOUNDATION_CASES } from './bad-input/foundation';
import { MONITORING_CASES } from './bad-input/monitoring';
import { SECURITY_CASES } from './bad-input/security';
import { TRAFFIC_CASES } from './bad-input/traffic';
import { synthError } from './helpers';

/**
 * Every validation the library performs, each with a case that must fail
 * synth with the expected message. The same cases write the catalogue in
 * docs/VALIDATIONS.md; the test fails when the catalogue is out of date
 * (regenerate it with `UPDATE_VALIDATIONS=1 npx jest test/bad-input.test.ts`).
 */
const AREAS: Array<[string, BadInput[]]> = [
  ['Meshes, services, calls and load balancing', FOUNDATION_CASES],
  ['Routes, failover and whole-graph checks', TRAFFIC_CASES],
  ['Security', SECURITY_CASES],
  ['Monitoring', MONITORING_CASES],
  ['Mesh engines (Istio, Gateway API)', ENGINE_CASES],
];
const CATALOGUE = path.join(__dirname, '..', 'docs', 'VALIDATIONS.md');

const rows = new Map<string, string[]>();

describe.each(AREAS)('%s', (area, cases) => {
  test.each(cases)('%s fails at synth', (name, build, expected) => {
    const message = synthError(build());
    for (const pattern of expected) expect(message).toMatch(pattern);
    const lines = message.split('\n').slice(1).map(l => l.trim()).filter(l => expected.some(p => p.test(l)));
    rows.set(`${area}\u0000${name}`, lines);
  });
});

afterAll(() => {
  if (rows.size !== AREAS.reduce((n, [, cases]) => n + cases.length, 0)) return; // a case failed or was filtered out
  const text = catalogue();
  if (process.env.UPDATE_VALIDATIONS) fs.writeFileSync(CATALOGUE, text);
  const current = fs.existsSync(CATALOGUE) ? fs.readFileSync(CATALOGUE, 'utf-8') : '';
  if (current !== text) {
    throw new Error(`${CATALOGUE} is out of date: run UPDATE_VALIDATIONS=1 npx jest test/bad-input.test.ts`);
  }
});

function catalogue(): string {
  const out = [
    '# Validations',
    '',
    'Every check cdk8s-mesh makes at synth, with the message a user sees. Nothing is written',
    'to the output folder when one fails; all problems are reported at once, each prefixed',
    'with the path of the construct it concerns. Each row is produced by a test',
    '(`test/bad-input.test.ts`, cases in `test/bad-input/`), so the messages are the real ones.',
    '',
  ];
  for (const [area, cases] of AREAS) {
    out.push(`## ${area}`, '', '| invalid input | message |', '| --- | --- |');
    for (const [name] of cases) {
      const message = rows.get(`${area}\u0000${name}`)!.join('<br>').replace(/\|/g, '\\|');
      out.push(`| ${name} | ${message} |`);
    }
    out.push('');
  }
  return out.join('\n');
}
