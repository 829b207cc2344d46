/**
 * What happens when a described mesh is built and synthesized, classified
 * the way the properties need it.
 */
import { App } from 'cdk8s';
import { KnownBug } from './known-bugs';
import { DeclarationOrder, buildMesh, MeshPlan, PROGRAM_PRELUDE } from './mesh-builder';
import { outputProblems, synth } from '../helpers';

export const VALIDATION_HEADER = 'Validation failed with the following errors:';

export type Outcome =
  /** Synthesized, and every validator accepts the output. */
  | { readonly kind: 'valid'; readonly manifests: any[]; readonly app: App }
  /** Refused by validation, with well-formed errors naming construct paths. */
  | { readonly kind: 'rejected'; readonly errors: Array<{ readonly path: string; readonly message: string }>; readonly message: string }
  /** An exception other than the validation error, while declaring or synthesizing. */
  | { readonly kind: 'crash'; readonly phase: 'declare' | 'synth'; readonly error: unknown }
  /** A validation error whose lines do not each name an existing construct path. */
  | { readonly kind: 'malformed rejection'; readonly problem: string; readonly message: string }
  /** Synthesized, but the validators find problems in the output. */
  | { readonly kind: 'invalid output'; readonly problems: string[]; readonly manifests: any[] };

export interface Attempt {
  readonly outcome: Outcome;
  /** The API calls made, as TypeScript. */
  readonly program: string[];
}

/**
 * Declares the plan's mesh and synthesizes it with the test helpers' `synth`
 * (validations first). `checkOutput` also runs the output validators.
 */
export function attempt(plan: MeshPlan, options: { order?: DeclarationOrder; checkOutput?: boolean } = {}): Attempt {
  const program: string[] = [];
  let app: App;
  try {
    app = buildMesh(plan, options.order, program).app;
  } catch (error) {
    return { outcome: { kind: 'crash', phase: 'declare', error }, program };
  }
  program.push('synth(chart);');
  let manifests: any[];
  try {
    manifests = synth(app.charts[0]);
  } catch (error) {
    return { outcome: classifyError(error, app), program };
  }
  if (options.checkOutput ?? true) {
    const problems = outputProblems(manifests);
    if (problems.length > 0) return { outcome: { kind: 'invalid output', problems, manifests }, program };
  }
  return { outcome: { kind: 'valid', manifests, app }, program };
}

function classifyError(error: unknown, app: App): Outcome {
  const message = error instanceof Error ? error.message : undefined;
  if (error?.constructor !== Error || message === undefined || !message.startsWith(VALIDATION_HEADER)) {
    return { kind: 'crash', phase: 'synth', error };
  }
  const paths = new Set(app.node.findAll().map(c => c.node.path));
  const lines = message.split('\n');
  if (lines[0] !== VALIDATION_HEADER) return { kind: 'malformed rejection', problem: 'the header is not a line of its own', message };
  if (lines.length < 2) return { kind: 'malformed rejection', problem: 'no error is listed', message };
  const errors: Array<{ path: string; message: string }> = [];
  for (const line of lines.slice(1)) {
    const match = /^ {2}\[([^\]]+)\] (\S.*)$/.exec(line);
    if (!match) return { kind: 'malformed rejection', problem: `the line ${JSON.stringify(line)} is not "  [<construct path>] <message>"`, message };
    if (!paths.has(match[1])) return { kind: 'malformed rejection', problem: `[${match[1]}] is not the path of a construct of the app`, message };
    errors.push({ path: match[1], message: match[2] });
  }
  return { kind: 'rejected', errors, message };
}

/** A short kind for a validation message: its words with quoted values, numbers and paths blanked. */
export function messageKind(message: string): string {
  return message
    .replace(/'[^']*'/g, "'…'")
    .replace(/\([^)]*\)/g, '(…)')
    .replace(/-?\d+(\.\d+)?(ms|m|s)?\b/g, 'N')
    .replace(/\b[\w.-]+\/[\w./-]+/g, '<path>')
    .split(/[:;]/)[0]
    .slice(0, 90);
}

/** A failure report: what went wrong and the program that reproduces it. */
export function describeFailure(what: string, detail: string, program: string[], knownBugs: KnownBug[] = []): string {
  return [
    what,
    detail,
    '',
    ...(knownBugs.length > 0 ? ['This mesh exercises known bug(s) (test/property/known-bugs.ts):', ...knownBugs.map(b => `  ${b.id}: ${b.title}`), ''] : []),
    'Reproduction (paste into a test file in test/):',
    ...PROGRAM_PRELUDE.map(l => `  ${l}`),
    '',
    ...program.map(l => `  ${l}`),
  ].join('\n');
}

/** The error's message and the first frames of its stack. */
export function errorDetail(error: unknown): string {
  if (!(error instanceof Error)) return `thrown: ${String(error)}`;
  const frames = (error.stack ?? '').split('\n').filter(l => l.trim().startsWith('at ')).slice(0, 6);
  return `${error.constructor.name}: ${error.message}\n${frames.join('\n')}`;
}
