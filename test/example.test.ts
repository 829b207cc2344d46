import * as fs from 'fs';
import * as path from 'path';
import { Chart, Testing, Yaml } from 'cdk8s';
import { Construct } from 'constructs';
import { envoyConfigOf, containerNamed, objectNamed, objectsOf, outputProblems, podSpecOf, synth } from './helpers';
import { CanaryChart } from '../examples/canary/canary';
import { FailoverChart } from '../examples/failover/failover';
import { ShopChart } from '../examples/shop/shop';

type ChartClass = new (scope: Construct, id: string) => Chart;
const examples: Array<[string, ChartClass]> = [['shop', ShopChart], ['canary', CanaryChart], ['failover', FailoverChart]];

function synthExample(chart: ChartClass): any[] {
  return synth(new chart(Testing.app(), 'example'));
}

describe.each(examples)('examples/%s', (_name, chart) => {
  const manifests = synthExample(chart);

  test('synthesizes byte-identical output twice', () => {
    expect(Yaml.stringify(...synthExample(chart))).toBe(Yaml.stringify(...manifests));
  });

  test('passes the Kubernetes schema, CRD schemas, Pod Security and Envoy checks', () => {
    expect(outputProblems(manifests)).toEqual([]);
  });
});

describe('examples/shop', () => {
  const manifests = synthExample(ShopChart);

  test('the user service, listening on 8080, reaches the order service on port 80 through its sidecar', () => {
    const alias = podSpecOf(manifests, 'user-service-v1').hostAliases[0];
    expect(alias.hostnames[0]).toBe('order-service');
    const users = envoyConfigOf(manifests, 'user-service');
    const listener = users.static_resources.listeners.find((l: any) => l.name === 'outbound_order-service');
    expect(listener.address.socket_address).toEqual({ address: alias.ip, port_value: 80 });
    const app = users.static_resources.clusters.find((c: any) => c.name === '_app');
    expect(app.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value).toBe(8080);
    expect(objectNamed(manifests, 'Service', 'order-service').spec.ports).toEqual([{ name: 'http', port: 80, targetPort: 15006 }]);
  });

  test('credentials reach the order service only through secretKeyRef', () => {
    const env = containerNamed(podSpecOf(manifests, 'order-service-v1'), 'app').env;
    for (const name of ['USERNAME', 'PASSWORD']) {
      const entry = env.find((e: any) => e.name === name);
      expect(entry.value).toBeUndefined();
      expect(entry.valueFrom.secretKeyRef).toEqual({ name: 'order-db-credentials', key: name.toLowerCase() });
    }
    const secretValues = objectsOf(manifests, 'Secret').flatMap(s => Object.values(s.stringData ?? {})) as string[];
    const elsewhere = JSON.stringify(manifests.filter(m => m.kind !== 'Secret'));
    for (const value of secretValues) expect(elsewhere).not.toContain(value);
  });
});

describe('README', () => {
  test("shows the shop example's current diagram", () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf-8');
    const chart = new ShopChart(Testing.app(), 'shop');
    expect(readme).toContain('```mermaid\n' + chart.mesh.toMermaid() + '```');
  });
});
