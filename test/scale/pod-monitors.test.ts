/**
 * The sidecars' PodMonitor lists the monitored services of its namespace, so
 * it grows with the mesh: past `SERVICES_PER_POD_MONITOR` services the list
 * is split across more PodMonitors, each under the 256 KiB a client-side
 * `kubectl apply` stores in the object's annotations, all giving the
 * targets the same `job` label.
 */
import { Mesh, MeshService, MonitoredWorkload } from '../../src';
import { podMonitorShards, SERVICES_PER_POD_MONITOR } from '../../src/monitoring/sidecar-pod-monitors';
import { newChart, objectsOf, synth, TEST_MESH } from '../helpers';

const ANNOTATIONS_LIMIT = 256 * 1024;

describe('PodMonitors of a namespace with many monitored services', () => {
  test('the longest service names: every shard of the list fits client-side apply, and each service is in exactly one', () => {
    const names = Array.from({ length: 2 * SERVICES_PER_POD_MONITOR + 1 }, (_, i) => `s${String(i).padStart(5, '0')}`.padEnd(63, 'x'));
    const shards = podMonitorShards([...names].reverse());
    expect(shards.map(s => s.length)).toEqual([SERVICES_PER_POD_MONITOR, SERVICES_PER_POD_MONITOR, 1]);
    expect(shards.flat()).toEqual(names);
    for (const shard of shards) {
      const object = { apiVersion: 'monitoring.coreos.com/v1', kind: 'PodMonitor', spec: { selector: { matchExpressions: [{ key: 'mesh.cdk8s.io/service', operator: 'In', values: shard }] } } };
      expect(Buffer.byteLength(JSON.stringify(object))).toBeLessThan(ANNOTATIONS_LIMIT - 4096);
    }
  });

  test(`${SERVICES_PER_POD_MONITOR + 1} monitored services: two PodMonitors split the list, and both keep the first one's job`, () => {
    const chart = newChart();
    const mesh = new Mesh(chart, 'mesh', { ...TEST_MESH, networkPolicies: false });
    for (let i = 0; i <= SERVICES_PER_POD_MONITOR; i++) {
      const service = new MeshService(chart, `s${i}`, { mesh, image: 'example/s:1', port: 8080 });
      new MonitoredWorkload(chart, `m${i}`, { service });
    }
    const monitors = objectsOf(synth(chart), 'PodMonitor');
    expect(monitors.map(m => m.metadata.name)).toEqual(['shop-mesh-sidecars', 'shop-mesh-sidecars-1']);
    const listed = monitors.map(m => m.spec.selector.matchExpressions[0].values);
    expect(listed.map(l => l.length)).toEqual([SERVICES_PER_POD_MONITOR, 1]);
    expect(new Set(listed.flat()).size).toBe(SERVICES_PER_POD_MONITOR + 1);
    for (const monitor of monitors) {
      expect(monitor.spec.podMetricsEndpoints[0].relabelings).toContainEqual({ targetLabel: 'job', replacement: 'shop/shop-mesh-sidecars' });
      expect(Buffer.byteLength(JSON.stringify(monitor))).toBeLessThan(ANNOTATIONS_LIMIT);
    }
  });
});
