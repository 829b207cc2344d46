import { Duration } from 'cdk8s';
import { Mesh, MeshService, MonitoredWorkload, Objective } from '../../src';
import { newChart, objectNamed, objectsOf, synth, TEST_MESH } from '../helpers';

/** The PrometheusRules of a mesh of `n` services, each calling the next, with an availability and a latency objective each. */
function rulesOf(n: number) {
  const chart = newChart();
  const mesh = new Mesh(chart, 'mesh', TEST_MESH);
  const services = Array.from({ length: n }, (_, i) => new MeshService(chart, `svc-${i}`, { mesh, image: 'example/svc:1.0.0', port: 10000 + i }));
  services.forEach((service, i) => {
    service.callTo(services[(i + 1) % n]);
    new MonitoredWorkload(chart, `svc-${i}-monitoring`, {
      service, objectives: [Objective.availability(99.9), Objective.latency({ percentile: 99, threshold: Duration.millis(250) })],
    });
  });
  const manifests = synth(chart);
  const rules = (name: string) => objectNamed(manifests, 'PrometheusRule', name).spec.groups.flatMap((g: any) => g.rules);
  return { mesh: rules('shop-mesh-recording'), service: rules('svc-0-mesh'), objects: objectsOf(manifests, 'PrometheusRule').length };
}

/** The configuration version MeshConfigOutdated compares the sidecar's files with. */
function configVersionOf(rules: any[]): string {
  return rules.find(r => r.alert === 'MeshConfigOutdated').expr.match(/!= ([0-9]+)\)$/)[1];
}

/** The rules with the configuration version left out. */
function withoutConfigVersion(rules: any[]): any[] {
  return rules.map(r => (r.alert !== 'MeshConfigOutdated' ? r : {
    ...r,
    expr: r.expr.replace(/!= [0-9]+\)$/, '!= VERSION)'),
    annotations: { ...r.annotations, description: r.annotations.description.replace(/version [0-9a-f]{16}/, 'version VERSION') },
  }));
}

describe('Prometheus rules at any mesh size', () => {
  const [small, large] = [rulesOf(10), rulesOf(300)];

  test("the mesh's recording and SLO rules are the same for 10 and 300 services", () => {
    expect(large.mesh).toEqual(small.mesh);
    expect(large.mesh.filter((r: any) => r.record?.startsWith('slo:sli_error:ratio_rate'))).toHaveLength(8);
  });

  test('a service adds one constant rule per objective, and its own alerts, the same at both sizes', () => {
    // svc-0's caller differs (svc-9, svc-299), so its sidecar's configuration, and the version MeshConfigOutdated expects, differ.
    const [smallVersion, largeVersion] = [small, large].map(({ service }) => configVersionOf(service));
    expect(smallVersion).not.toEqual(largeVersion);
    expect(withoutConfigVersion(large.service)).toEqual(withoutConfigVersion(small.service));
    const objectives = small.service.filter((r: any) => r.record);
    expect(objectives.map((r: any) => [r.record, r.expr])).toEqual([['slo:objective:ratio', 'vector(0.999)'], ['slo:objective:ratio', 'vector(0.99)']]);
    expect(small.service.filter((r: any) => r.alert?.includes('SLO'))).toEqual([]);
    expect([small.objects, large.objects]).toEqual([11, 301]);
  });
});
