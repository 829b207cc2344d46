/**
 * Scenario 2: the baseline. The same Deployments and a Service for each, in
 * plain cdk8s-plus-27 (this file does not load cdk8s-mesh).
 */
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { NAMESPACE, nameOf, portOf } from './graph';

/** Scenario 2: the same Deployments (2 per service) and a Service for each, in plain cdk8s-plus-27. */
export function buildBaseline(app: App, n: number): Chart {
  const chart = new Chart(app, 'baseline', { namespace: NAMESPACE });
  for (let i = 0; i < n; i++) {
    const name = nameOf(i);
    for (const [version, tag] of [['v1', '1.0.0'], ['v2', '2.0.0']]) {
      const deployment = new kplus.Deployment(chart, `${name}-${version}`, {
        metadata: { name: `${name}-${version}` },
        replicas: 2,
        containers: [{ name: 'app', image: `registry.example.com/${name}:${tag}`, portNumber: portOf(i) }],
      });
      new kplus.Service(chart, `${name}-${version}-service`, {
        metadata: { name: `${name}-${version}` },
        selector: deployment,
        ports: [{ port: portOf(i) }],
      });
    }
  }
  return chart;
}
