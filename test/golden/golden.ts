/**
 * The golden outputs: the complete synthesized YAML of every example and of
 * every program in test/golden/programs on static sidecars, and of the
 * examples (and a routes-only mesh) on the Istio and Gateway API engines
 * (test/golden/engine-cases.ts). test/golden.test.ts compares them
 * with the recorded files in test/golden/output, which test/golden/update.ts
 * (`npx projen golden:update`) rewrites.
 */
import * as path from 'path';
import { App } from 'cdk8s';
import { ENGINE_CASES } from './engine-cases';
import { PROGRAMS } from './programs';
import { CanaryChart } from '../../examples/canary/canary';
import { FailoverChart } from '../../examples/failover/failover';
import { ShopChart } from '../../examples/shop/shop';

/** Where the recorded outputs live: `<name>.yaml`. */
export const OUTPUT_DIR = path.join(__dirname, 'output');

/** Each static-sidecar case by name: it builds a fresh App (examples as their main.ts does, with the same chart id). */
export const STATIC_CASES: Record<string, () => App> = {
  'example-shop': () => withChart((app, id) => new ShopChart(app, id), 'shop'),
  'example-canary': () => withChart((app, id) => new CanaryChart(app, id), 'canary'),
  'example-failover': () => withChart((app, id) => new FailoverChart(app, id), 'failover'),
  ...PROGRAMS,
};

/** Every golden case: the static sidecars', then the other engines' (`<case>.<engine>`). */
export const GOLDEN_CASES: Record<string, () => App> = { ...STATIC_CASES, ...ENGINE_CASES };

function withChart(chart: (app: App, id: string) => unknown, id: string): App {
  const app = new App();
  chart(app, id);
  return app;
}

/** The YAML of every chart of the case's app, as `cdk8s synth` would resolve and validate it (one stream, charts in order). */
export function goldenOutput(name: string): string {
  return GOLDEN_CASES[name]().synthYaml();
}

export function outputFile(name: string): string {
  return path.join(OUTPUT_DIR, `${name}.yaml`);
}
