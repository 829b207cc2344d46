import { execFile, spawnSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { stringify } from 'yaml';
import { PromRuleGroup } from '../../src/monitoring/types';

let probed: string | undefined;

/** `promtool` from $PROMTOOL or the PATH; throws (so the test fails, never skips) when it is missing. */
export function promtoolBinary(): string {
  const binary = process.env.PROMTOOL ?? 'promtool';
  if (probed === binary) return binary;
  const probe = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new Error(`promtool is required by the monitoring tests but '${binary}' does not run (${probe.error?.message ?? probe.stderr}): `
      + 'install it (Debian: apt-get install prometheus) or set PROMTOOL to its path');
  }
  probed = binary;
  return binary;
}

export interface PromtoolResult {
  readonly code: number;
  /** The command, stdout and stderr, for failure messages. */
  readonly output: string;
}

/** Runs promtool asynchronously, so that many runs can go in parallel. */
export function promtool(args: string[], cwd: string): Promise<PromtoolResult> {
  const binary = promtoolBinary();
  return new Promise(resolve => {
    execFile(binary, args, { cwd, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `$ promtool ${args.join(' ')} (in ${cwd})\n${stdout}${stderr}` });
    });
  });
}

/** A temporary directory for rule and test files, removed by `cleanup`. */
export class Workdir {
  public readonly path = mkdtempSync(join(tmpdir(), 'mesh-monitoring-'));

  /** Writes `content` as YAML (without anchors, as Prometheus reads plain YAML) and returns the file name. */
  public yaml(name: string, content: unknown): string {
    writeFileSync(join(this.path, name), stringify(content, { aliasDuplicateObjects: false, lineWidth: 0 }));
    return name;
  }

  /** Removes the directory, unless $KEEP_PROMTOOL_FILES is set (to debug the files). */
  public cleanup(): void {
    if (process.env.KEEP_PROMTOOL_FILES) return;
    rmSync(this.path, { recursive: true, force: true });
  }
}

/** `promtool check rules` on one file holding `groups`. */
export function checkRules(dir: Workdir, name: string, groups: PromRuleGroup[]): Promise<PromtoolResult> {
  return promtool(['check', 'rules', dir.yaml(name, { groups })], dir.path);
}

/** One `tests:` entry of a promtool unit test file. */
export interface UnitTest {
  readonly interval?: string;
  readonly input_series: Array<{ series: string; values: string }>;
  readonly alert_rule_test?: Array<{ eval_time: string; alertname: string; exp_alerts: ExpectedAlert[] }>;
  readonly promql_expr_test?: Array<{ expr: string; eval_time: string; exp_samples: Array<{ labels: string; value: number }> }>;
}

export interface ExpectedAlert {
  readonly exp_labels: Record<string, string>;
  readonly exp_annotations: Record<string, string>;
}

/** `promtool test rules` on `tests` against `groups`, written as `<name>.rules.yml` and `<name>.test.yml`. */
export function testRules(dir: Workdir, name: string, groups: PromRuleGroup[], tests: UnitTest[]): Promise<PromtoolResult> {
  const rules = dir.yaml(`${name}.rules.yml`, { groups });
  const file = dir.yaml(`${name}.test.yml`, { rule_files: [rules], evaluation_interval: '1m', tests });
  return promtool(['test', 'rules', file], dir.path);
}

/**
 * Scenarios of `promtool test rules` against one set of groups, run in a
 * single promtool process (one process per scenario costs seconds), those
 * with the same input series in a single test group. When
 * that run fails, `verify` reruns its scenario alone, so that exactly the
 * failing scenarios fail, each with its own promtool output.
 */
export class RuleTestBatch {
  private readonly scenarios = new Map<string, UnitTest>();
  private run?: Promise<PromtoolResult>;

  constructor(private readonly dir: Workdir, private readonly name: string, private readonly groups: PromRuleGroup[]) {}

  /** Registers a scenario; register all of them before the first `verify`. */
  public add(scenario: string, test: UnitTest): void {
    if (this.run) throw new Error(`scenario ${scenario} was added after the batch ran`);
    if (this.scenarios.has(scenario)) throw new Error(`two scenarios are named ${scenario}`);
    this.scenarios.set(scenario, test);
  }

  /** Fails with promtool's output unless `scenario` passes. */
  public async verify(scenario: string): Promise<void> {
    const test = this.scenarios.get(scenario);
    if (!test) throw new Error(`no scenario ${scenario}`);
    this.run ??= testRules(this.dir, this.name, this.groups, mergeByInput([...this.scenarios.values()]));
    if ((await this.run).code === 0) return;
    expectSuccess(await testRules(this.dir, `${this.name}-${scenario}`, this.groups, [test]));
  }
}

/** Scenarios with the same input series as one test group: promtool loads each group's series into a fresh TSDB. */
function mergeByInput(tests: UnitTest[]): UnitTest[] {
  const merged = new Map<string, UnitTest>();
  for (const test of tests) {
    const key = JSON.stringify([test.interval, test.input_series]);
    const into = merged.get(key);
    merged.set(key, into ? {
      ...into,
      alert_rule_test: [...into.alert_rule_test ?? [], ...test.alert_rule_test ?? []],
      promql_expr_test: [...into.promql_expr_test ?? [], ...test.promql_expr_test ?? []],
    } : test);
  }
  return [...merged.values()];
}

/** Fails with promtool's output unless it succeeded. */
export function expectSuccess(result: PromtoolResult): void {
  if (result.code !== 0) throw new Error(`promtool failed with exit code ${result.code}:\n${result.output}`);
}
