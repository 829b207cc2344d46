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
  const all = objectsOf(manifests, 'PrometheusRule').flatMap((o: any) => o.spec.groups.flatMap((g: any) => g.rules));
  return {
    mesh: rules('shop-mesh-recording'),
    service: rules('svc-0-mesh'),
    objects: objectsOf(manifests, 'PrometheusRule').length,
    total: { rules: all.length, alerts: all.filter((r: any) => r.alert).length },
  };
}

/** The rules with the expected configuration version (a hash and its version_info) left out. */
function withoutConfigVersion(rules: any[]): any[] {
  return rules.map(r => ({ ...r, expr: r.expr.replace(/vector\([0-9]+\), "setting", "config_version"/, 'vector(VERSION), "setting", "config_version"').replace(/"config_version", "[0-9a-f]{16}"/, '"config_version", "VERSION"') }));
}

describe('Prometheus rules at any mesh size', () => {
  const [small, medium, large] = [rulesOf(10), rulesOf(100), rulesOf(300)];

  test("the mesh's recording, alert and SLO rules are the same for 10 and 300 services", () => {
    expect(large.mesh).toEqual(small.mesh);
    expect(large.mesh.filter((r: any) => r.record?.startsWith('slo:sli_error:ratio_rate'))).toHaveLength(8);
    expect(small.mesh.filter((r: any) => r.alert === 'MeshHighErrorRatio')).toHaveLength(1);
  });

  test('a service adds one constant rule of alert settings, one per objective and one of its upstreams, the same at every size', () => {
    // svc-0's caller differs (svc-9, svc-299), so its sidecar's configuration, and the version MeshConfigOutdated expects, differ.
    const version = ({ service }: { service: any[] }) => /vector\(([0-9]+)\), "setting", "config_version"/.exec(service[0].expr)?.[1];
    expect(version(small)).toBeDefined();
    expect(version(small)).not.toEqual(version(large));
    expect(withoutConfigVersion(large.service)).toEqual(withoutConfigVersion(small.service));
    expect(small.service.map((r: any) => [r.record, r.alert])).toEqual([
      ['mesh_service:alert_setting:value', undefined], ['slo:objective:ratio', undefined], ['slo:objective:ratio', undefined],
      ['mesh_edge:upstream:info', undefined],
    ]);
    expect([small.objects, large.objects]).toEqual([11, 301]);
  });

  test('the rules of a mesh grow by the per-service constant only: 4 rules a service, alerts none', () => {
    const [ten, hundred] = [small, medium].map(({ total }) => total);
    expect(hundred.rules - ten.rules).toBe(90 * 4);
    expect(hundred.alerts).toBe(ten.alerts);
    expect(ten.rules - 10 * 4).toBe(small.mesh.length);
  });
});
