/**
 * Property 2, determinism: the same description always gives the same
 * output, and declaring its services and calls in another order gives the
 * same objects.
 *
 * - Synthesizing one app twice, and a second app built from the same
 *   description, give byte-identical YAML.
 * - Building the services and the calls in a shuffled order gives the same
 *   set of objects, compared per apiVersion/kind/namespace/name, after
 *   sorting the two lists whose order follows declaration order by design:
 *   a pod's hostAliases and its containers' env (as the determinism test of
 *   test/mesh-service.test.ts does).
 * - A description that validation refuses is refused the same way: the same
 *   message when rebuilt in the same order, errors on the same construct
 *   paths when shuffled.
 *
 * Seed and run count: see property-config.ts.
 */
import { Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import { SKIP_KNOWN_BUGS, knownBugsOf } from './known-bugs';
import { anyMesh } from './mesh-arbitraries';
import { DeclarationOrder, MeshPlan, resolvePlan } from './mesh-builder';
import { attempt, describeFailure, errorDetail, Outcome } from './outcome';
import { assertProperty, runs, Tally } from './property-config';
import { synth } from '../helpers';

const NUM_RUNS = runs(300);
/** Most services and calls a description has (see mesh-arbitraries.ts). */
const MAX_SERVICES = 6;
const MAX_EDGES = 7;
/** Sort keys giving the shuffled declaration order. */
const orderKeys = fc.array(fc.nat({ max: 1000 }), { minLength: MAX_SERVICES + MAX_EDGES, maxLength: MAX_SERVICES + MAX_EDGES });
const tally = new Tally('determinism', NUM_RUNS);

afterAll(() => console.log(tally.report()));

test('the same description gives the same output, whatever the declaration order of services and calls', () => {
  assertProperty(fc.property(anyMesh(3, 1), orderKeys, (desc, keys) => {
    const plan = resolvePlan(desc);
    if (SKIP_KNOWN_BUGS) fc.pre(knownBugsOf(plan).length === 0);
    const first = attempt(plan, { checkOutput: false });
    tally.add([first.outcome.kind]);
    const fail = (what: string, detail: string): never => {
      throw new Error(describeFailure(what, detail, first.program, knownBugsOf(plan)));
    };

    // The same app synthesized twice, and the same description built again.
    const again = attempt(plan, { checkOutput: false });
    if (summary(first.outcome, false) !== summary(again.outcome, false)) {
      fail('building the same description twice gives another outcome', `${summary(first.outcome)}\n${summary(again.outcome)}`);
    }
    if (first.outcome.kind === 'valid') {
      const yaml = Yaml.stringify(...first.outcome.manifests);
      const resynth = Yaml.stringify(...synth(first.outcome.app.charts[0]));
      if (resynth !== yaml) fail('synthesizing the same app twice gives different output', firstDifference(yaml, resynth));
      const rebuilt = Yaml.stringify(...(again.outcome as typeof first.outcome).manifests);
      if (rebuilt !== yaml) fail('building the same description twice gives different output', firstDifference(yaml, rebuilt));
    }

    // A random declaration order, and the reverse one, which swaps every pair of services and of calls.
    for (const order of [shuffledOrder(plan, keys), reversedOrder(plan)]) {
      const shuffled = attempt(plan, { order, checkOutput: false });
      const different = sameObjects(first.outcome, shuffled.outcome);
      if (different) fail(different, `${summary(first.outcome)}\n\nshuffled program:\n${shuffled.program.join('\n')}`);
    }
  }), NUM_RUNS);
}, 900_000);

/**
 * Why an outcome in another declaration order differs from `first`, or
 * undefined when it does not: valid output must hold the same objects, a
 * refusal must name the same constructs, a failure must be the same failure.
 */
function sameObjects(first: Outcome, shuffled: Outcome): string | undefined {
  if (first.kind !== shuffled.kind) return `in another declaration order, the outcome changes to ${summary(shuffled)}`;
  if (first.kind === 'valid' && shuffled.kind === 'valid') {
    const byKey = objectsByKey(first.manifests);
    const shuffledByKey = objectsByKey(shuffled.manifests);
    const objectKeys = [...byKey.keys()].sort();
    const shuffledKeys = [...shuffledByKey.keys()].sort();
    if (JSON.stringify(objectKeys) !== JSON.stringify(shuffledKeys)) {
      return 'another declaration order gives other objects:\n'
        + `  only in declaration order: ${objectKeys.filter(k => !shuffledByKey.has(k)).join(', ')}\n`
        + `  only in the other order: ${shuffledKeys.filter(k => !byKey.has(k)).join(', ')}`;
    }
    const changed = objectKeys.find(k => byKey.get(k) !== shuffledByKey.get(k));
    return changed && `another declaration order changes ${changed}:\n${firstDifference(byKey.get(changed)!, shuffledByKey.get(changed)!)}`;
  }
  if (first.kind === 'rejected' && shuffled.kind === 'rejected') {
    const paths = (o: typeof first) => [...new Set(o.errors.map(e => e.path))].sort().join(', ');
    return paths(first) === paths(shuffled) ? undefined
      : `another declaration order is refused on other constructs:\n${shuffled.message}`;
  }
  // Crashes and invalid output are property 1's to report; here they need only be the same.
  return summary(first, false) === summary(shuffled, false) ? undefined : `another declaration order fails differently: ${summary(shuffled)}`;
}

function reversedOrder(plan: MeshPlan): DeclarationOrder {
  return {
    services: plan.services.map(s => s.index).reverse(),
    edges: plan.edges.map((_, k) => k).reverse(),
  };
}

/**
 * A declaration order of the plan's services and calls: indices sorted by
 * generated keys (services take the first keys, calls the rest).
 */
function shuffledOrder(plan: MeshPlan, keys: number[]): DeclarationOrder {
  const order = (n: number, offset: number) => Array.from({ length: n }, (_, i) => i)
    .sort((i, j) => (keys[offset + i] ?? 0) - (keys[offset + j] ?? 0) || i - j);
  return { services: order(plan.services.length, 0), edges: order(plan.edges.length, MAX_SERVICES) };
}

/**
 * Objects by apiVersion/kind/namespace/name (a repeated key gets a counter),
 * with the lists whose order follows declaration order sorted.
 */
function objectsByKey(manifests: any[]): Map<string, string> {
  const byKey = new Map<string, string>();
  for (const manifest of manifests) {
    const obj = JSON.parse(JSON.stringify(manifest));
    const spec = obj.spec?.template?.spec;
    if (spec) {
      spec.hostAliases?.sort((x: any, y: any) => x.ip.localeCompare(y.ip));
      for (const c of spec.containers ?? []) c.env?.sort((x: any, y: any) => x.name.localeCompare(y.name));
    }
    const base = `${obj.apiVersion}/${obj.kind}/${obj.metadata?.namespace ?? ''}/${obj.metadata?.name}`;
    let k = base;
    for (let i = 2; byKey.has(k); i++) k = `${base}#${i}`;
    byKey.set(k, JSON.stringify(obj, undefined, 1));
  }
  return byKey;
}

/** A one-line summary of an outcome; without `detailed`, only what must not change between builds. */
function summary(outcome: Outcome, detailed = true): string {
  switch (outcome.kind) {
    case 'valid': return detailed ? `valid (${outcome.manifests.length} objects)` : 'valid';
    case 'rejected': return `rejected: ${outcome.message}`;
    case 'crash': return `crash while ${outcome.phase === 'declare' ? 'declaring' : 'synthesizing'}: ${errorDetail(outcome.error).split('\n')[0]}`;
    case 'malformed rejection': return `malformed rejection: ${outcome.problem}`;
    case 'invalid output': return detailed ? `invalid output: ${outcome.problems[0]}` : 'invalid output';
  }
}

/** The first line where two texts differ, with a little context. */
function firstDifference(a: string, b: string): string {
  const x = a.split('\n');
  const y = b.split('\n');
  const i = x.findIndex((line, k) => line !== y[k]);
  const at = i === -1 ? Math.min(x.length, y.length) : i;
  return `first difference at line ${at + 1}:\n${x.slice(Math.max(0, at - 3), at + 3).map(l => `  - ${l}`).join('\n')}\n`
    + `${y.slice(Math.max(0, at - 3), at + 3).map(l => `  + ${l}`).join('\n')}`;
}

