/**
 * Property 1, "never crash, never invalid": a mesh made of random constructs
 * is either refused by validation, with every error line naming an existing
 * construct path, or synthesized to output every validator of the suite
 * accepts (Kubernetes 1.29 and CRD schemas, restricted Pod Security, Envoy's
 * protos for each bootstrap and SDS file, RE2 for every regex), and whose
 * authorization, evaluated by gRPC's RBAC engine, matches the model. Any other exception — a TypeError,
 * an error from cdk8s, constructs or cdk8s-plus — fails the property.
 *
 * Seed and run count: see property-config.ts.
 */
import * as fc from 'fast-check';
import { knownBugsOf, SKIP_KNOWN_BUGS } from './known-bugs';
import { anyMesh } from './mesh-arbitraries';
import { resolvePlan } from './mesh-builder';
import { attempt, describeFailure, errorDetail, messageKind } from './outcome';
import { assertProperty, runs, Tally } from './property-config';
import { authorizationMismatches } from '../security/authorization-oracle';

const NUM_RUNS = runs(1000);
const tally = new Tally('never crash, never invalid', NUM_RUNS);

afterAll(() => console.log(tally.report()));

test('random meshes are rejected with errors naming construct paths, or synthesize to valid output', () => {
  assertProperty(fc.property(anyMesh(), desc => {
    const plan = resolvePlan(desc);
    const knownBugs = knownBugsOf(plan);
    if (SKIP_KNOWN_BUGS) fc.pre(knownBugs.length === 0);
    const { outcome, program } = attempt(plan);
    const flavour = desc.noisy ? 'noisy' : 'clean';
    tally.add([outcome.kind, `${flavour}: ${outcome.kind}`, `${desc.services.length} service(s)`]);
    switch (outcome.kind) {
      case 'valid': {
        // Authorization as gRPC's RBAC engine evaluates it matches the model, for every identity and sidecar.
        const { mismatches } = authorizationMismatches(outcome.app, outcome.manifests);
        if (mismatches.length > 0) throw new Error(describeFailure('authorization differs from the model', mismatches.slice(0, 10).join('\n'), program, knownBugs));
        return;
      }
      case 'rejected':
        for (const { message } of outcome.errors) tally.addExample(messageKind(message));
        return;
      case 'crash':
        throw new Error(describeFailure(`crash while ${outcome.phase === 'declare' ? 'declaring the mesh' : 'synthesizing'}`,
          errorDetail(outcome.error), program, knownBugs));
      case 'malformed rejection':
        throw new Error(describeFailure(`malformed validation error: ${outcome.problem}`, outcome.message, program, knownBugs));
      case 'invalid output':
        throw new Error(describeFailure('invalid output', outcome.problems.slice(0, 10).join('\n'), program, knownBugs));
    }
  }), NUM_RUNS);
}, 900_000);
