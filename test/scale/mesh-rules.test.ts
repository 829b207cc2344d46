/**
 * The size of a mesh's one PrometheusRule (`<mesh>-recording`: recording
 * rules, alerts, SLO rules) must not grow with the mesh: client-side
 * `kubectl apply` stores each object's JSON in an annotation, and an
 * object's annotations may hold 256 KiB (see object-size.test.ts). What a
 * call needs to know of its upstream (its namespace; on Istio, that it is an
 * upstream at all; on Gateway API, which Services are its versions') lives
 * in the caller's own PrometheusRule.
 */
import { Duration } from 'cdk8s';
import { GatewayApiPolicies, Mesh, MeshEngine, MeshService, MonitoredWorkload, MtlsMode, Objective, RouteTarget, WeightedRoute } from '../../src';
import { newChart, objectNamed, synth, TEST_MESH } from '../helpers';

const ANNOTATIONS_LIMIT = 256 * 1024;

/**
 * `n` services in 10 namespaces (`ns<i % 10>`), service i calling services
 * i+1, i+7 and i+31 (mod n), most of them in other namespaces; each
 * monitored with an availability and a latency objective. On Gateway API
 * every service has two versions and a 90/10 WeightedRoute, so its callers'
 * calls go to its version Services (`svc-<i>-v1`, `svc-<i>-v2`).
 */
function meshOf(n: number, engine: Engine) {
  const chart = newChart();
  const mesh = new Mesh(chart, 'mesh', ENGINES[engine]());
  const services = Array.from({ length: n }, (_, i) =>
    new MeshService(chart, `svc-${i}`, { mesh, namespace: `ns${i % 10}`, image: 'example/svc:1.0.0', port: 10000 + i }));
  services.forEach((service, i) => {
    for (const step of [1, 7, 31]) service.callTo(services[(i + step) % n]);
    if (engine === 'gateway-api') {
      service.addVersion('v2');
      new WeightedRoute(chart, `svc-${i}-canary`, { service, targets: [RouteTarget.version('v1', 90), RouteTarget.version('v2', 10)] });
    }
    new MonitoredWorkload(chart, `svc-${i}-monitoring`, {
      service, objectives: [Objective.availability(99.9), Objective.latency({ percentile: 99, threshold: Duration.millis(250) })],
    });
  });
  const manifests = synth(chart);
  return {
    meshRuleBytes: Buffer.byteLength(JSON.stringify(objectNamed(manifests, 'PrometheusRule', 'shop-mesh-recording'))),
    largest: Math.max(...manifests.map(o => Buffer.byteLength(JSON.stringify(o)))),
    callerRule: objectNamed(manifests, 'PrometheusRule', 'svc-0-mesh'),
  };
}

const ENGINES = {
  'static': () => TEST_MESH,
  'istio': () => ({ engine: MeshEngine.istio(), mtls: MtlsMode.DISABLED }),
  'gateway-api': () => ({ engine: MeshEngine.gatewayApi({ policies: GatewayApiPolicies.ISTIO }), mtls: MtlsMode.DISABLED }),
};
type Engine = keyof typeof ENGINES;

describe.each(Object.keys(ENGINES) as Engine[])("the mesh's PrometheusRule on %s has the same size at any mesh size", engine => {
  let small: ReturnType<typeof meshOf>;
  let large: ReturnType<typeof meshOf>;
  beforeAll(() => {
    [small, large] = [meshOf(100, engine), meshOf(400, engine)];
  });

  test('the same bytes for 100 and 400 services in 10 namespaces, 3 calls each, most across namespaces', () => {
    expect(large.meshRuleBytes).toBe(small.meshRuleBytes);
    expect(small.meshRuleBytes).toBeLessThan(ANNOTATIONS_LIMIT);
  });

  test('every object stays under the 256 KiB of client-side apply', () => {
    expect(large.largest).toBeLessThan(ANNOTATIONS_LIMIT);
  });

  test("a caller's own rule lists its upstreams, with their namespaces", () => {
    const info = large.callerRule.spec.groups.flatMap((g: any) => g.rules).find((r: any) => r.record === 'mesh_edge:upstream:info');
    expect(info.labels).toEqual({ mesh: 'shop-mesh', namespace: 'ns0', caller: 'svc-0' });
    for (const [name, namespace] of [['svc-1', 'ns1'], ['svc-7', 'ns7'], ['svc-31', 'ns1']]) {
      expect(info.expr).toContain(`label_replace(label_replace(vector(1), "upstream", "${name}", "", ""), "upstream_namespace", "${namespace}", "", "")`);
    }
    const versions = large.callerRule.spec.groups.flatMap((g: any) => g.rules).find((r: any) => r.record === 'mesh_edge:version_service:info');
    if (engine !== 'gateway-api') return expect(versions).toBeUndefined();
    expect(versions.labels).toEqual({ mesh: 'shop-mesh', namespace: 'ns0', mesh_service: 'svc-0' });
    for (const name of ['svc-1', 'svc-7', 'svc-31']) {
      for (const version of ['v1', 'v2']) {
        expect(versions.expr).toContain(`label_replace(label_replace(vector(1), "upstream", "${name}", "", ""), "destination_service_name", "${name}-${version}", "", "")`);
      }
    }
  });
});
