import * as kplus from 'cdk8s-plus-27';
import { Mesh, MeshService } from '../src';
import { containerNamed, newChart, objectNamed, outputProblems, podSpecOf, synth, TEST_MESH } from './helpers';

function shop(nativeSidecars: boolean) {
  const chart = newChart();
  const mesh = new Mesh(chart, 'mesh', { ...TEST_MESH, nativeSidecars });
  const orders = new MeshService(chart, 'order-service', { mesh, image: 'example/orders:1.0.0', port: 8080 });
  const serviceAccount = new kplus.ServiceAccount(chart, 'legacy-sa', { metadata: { name: 'legacy' } });
  const deployment = new kplus.Deployment(chart, 'legacy-deployment', {
    metadata: { name: 'legacy' },
    serviceAccount,
    initContainers: [{ name: 'migrate', image: 'example/migrate:1.0.0', securityContext: { capabilities: { drop: ['ALL' as kplus.Capability] } } }],
    containers: [{ name: 'main', image: 'example/legacy:3.1.0', portNumber: 7000, securityContext: { capabilities: { drop: ['ALL' as kplus.Capability] } } }],
  });
  const legacy = new MeshService(chart, 'legacy', { mesh, deployment, port: 7000 });
  legacy.callTo(orders);
  return synth(chart);
}

describe('native sidecars (Kubernetes 1.29+)', () => {
  const manifests = shop(true);

  test('Envoy is an init container that keeps running, and the application starts once its startup probe sees Envoy ready', () => {
    const pod = podSpecOf(manifests, 'order-service-v1');
    expect(pod.containers.map((c: any) => c.name)).toEqual(['app']);
    const envoy = pod.initContainers.find((c: any) => c.name === 'envoy');
    expect(envoy.restartPolicy).toBe('Always');
    expect(envoy.startupProbe.httpGet).toEqual({ path: '/ready', port: 15090, scheme: 'HTTP' });
    expect(envoy.readinessProbe.httpGet).toEqual(envoy.startupProbe.httpGet);
    // It stops after the application, so no drain delay holds its calls open.
    expect(envoy.lifecycle).toBeUndefined();
  });

  test("an adopted Deployment's own init containers run first; the sidecar keeps its mounts and ports", () => {
    const pod = podSpecOf(manifests, 'legacy');
    expect(pod.initContainers.map((c: any) => c.name)).toEqual(['migrate', 'envoy']);
    expect(pod.initContainers[0].restartPolicy).toBeUndefined();
    const envoy = pod.initContainers[1];
    expect(envoy.restartPolicy).toBe('Always');
    expect(envoy.volumeMounts.map((m: any) => m.mountPath)).toEqual(expect.arrayContaining(['/etc/mesh/envoy', '/etc/mesh/certs']));
    expect(envoy.ports.map((p: any) => p.containerPort)).toEqual([15006, 15090]);
    expect(containerNamed(pod, 'main').env.map((e: any) => e.name)).toContain('ORDER_SERVICE_URL');
  });

  test('every object passes the Kubernetes 1.29 schema, the restricted Pod Security Standard and the Envoy protos', () => {
    expect(outputProblems(manifests)).toEqual([]);
  });
});

test('by default Envoy is an ordinary container that sleeps through the drain before stopping', () => {
  const pod = objectNamed(shop(false), 'Deployment', 'order-service-v1').spec.template.spec;
  expect(pod.initContainers).toBeUndefined();
  expect(containerNamed(pod, 'envoy').lifecycle.preStop.exec.command).toEqual(['sleep', '10']);
});
