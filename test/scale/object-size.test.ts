/**
 * Object sizes for a hub: one service calling many upstreams, each with two
 * versions and a 90/10 route, retries, a timeout, outlier detection and
 * STRICT mTLS (the shape of bench/sidecar-size.ts).
 *
 * Client-side `kubectl apply` stores the whole object (as JSON) in the
 * `kubectl.kubernetes.io/last-applied-configuration` annotation, and all of
 * an object's annotations together may hold 256 KiB (apimachinery
 * `ValidateAnnotationsSize`, `TotalAnnotationSizeLimitB`).
 */
import { Chart } from 'cdk8s';
import { clientSideApplyBytes, declareHub } from '../../bench/sidecar-size';
import { EdgePeer, Mesh, MeshEngine, MeshProps, MeshService, MonitoredWorkload } from '../../src';
import { fileLayout } from '../../src/engines/envoy/shards';
import { assembleSidecar, envoyConfigOf, listenerNamed, newChart, objectNamed, objectsOf, outputProblems, routesOf, synth, synthError, TEST_MESH } from '../helpers';

const ANNOTATIONS_LIMIT = 256 * 1024;

function hub(upstreams: number, engine?: MeshEngine) {
  const chart = newChart();
  declareHub(chart, 'hub', upstreams, true, engine);
  return chart;
}

/** The Envoy a ConfigMap of the hub's sidecar is for: `hub-envoy` is 0, `hub-envoy-<k>` is k. */
function configMapIndex(name: string): number {
  return name === 'hub-envoy' ? 0 : Number(name.split('-').pop());
}

/** A service `hub` calling 120 plain upstreams (more than one ConfigMap holds in a client-side apply), in a mesh with `props`. */
function plainHub(chart: Chart, props: MeshProps = {}): MeshService {
  const mesh = new Mesh(chart, 'mesh', { ...TEST_MESH, ...props });
  const caller = new MeshService(chart, 'hub', { mesh, image: 'registry.example.com/hub:1.0.0', port: 8000 });
  for (let i = 0; i < 120; i++) caller.callTo(new MeshService(chart, `u${i}`, { mesh, image: 'registry.example.com/u:1.0.0', port: 9000 + i }));
  return caller;
}

describe('object sizes of a hub with versioned upstreams', () => {
  // The largest versioned hub client-side apply takes is 38 upstreams (about 6,300 bytes of ConfigMap JSON each).
  test('36 versioned upstreams: every object fits client-side apply, validates, and routes 90/10 with retries', () => {
    const manifests = synth(hub(36));
    const over = manifests.filter(o => clientSideApplyBytes(o) >= ANNOTATIONS_LIMIT).map(o => `${o.kind}/${o.metadata.name}`);
    expect(over).toEqual([]);
    expect(outputProblems(manifests)).toEqual([]);
    const config = envoyConfigOf(manifests, 'hub');
    for (const i of [0, 35]) {
      const name = `upstream-${String(i).padStart(3, '0')}`;
      const [route] = routesOf(listenerNamed(config, `outbound_${name}`));
      expect(route.route.weighted_clusters.clusters).toEqual([{ name: `${name}_v1`, weight: 90 }, { name: `${name}_v2`, weight: 10 }]);
      expect(route.route.retry_policy).toMatchObject({ retry_on: 'gateway-error', num_retries: 1, per_try_timeout: '0.5s' });
      const clusters = config.static_resources.clusters.map((c: any) => c.name);
      expect(clusters).toEqual(expect.arrayContaining([`${name}_v1`, `${name}_v2`]));
    }
  });

  // 400 clusters cannot fit one ConfigMap (Envoy reads every cluster from the one CDS file its bootstrap names):
  // the sidecar runs several Envoys in the pods, each with its own ConfigMap and a share of the upstreams.
  test('200 versioned upstreams: the sidecar runs several Envoys, each ConfigMap fits client-side apply and validates, each upstream has one Envoy', () => {
    const manifests = synth(hub(200));
    const over = manifests.filter(o => clientSideApplyBytes(o) >= ANNOTATIONS_LIMIT).map(o => `${o.kind}/${o.metadata.name}`);
    expect(over).toEqual([]);
    // Each ConfigMap's bootstrap, and its files assembled, against Envoy's protos; the manifests against their schemas.
    expect(outputProblems(manifests)).toEqual([]);
    const configMaps = manifests.filter(o => o.kind === 'ConfigMap' && /^hub-envoy(-\d+)?$/.test(o.metadata.name));
    const count = configMaps.length;
    expect(count).toBeGreaterThan(1);
    expect(configMaps.map(c => c.metadata.name)).toEqual(Array.from({ length: count }, (_, k) => (k === 0 ? 'hub-envoy' : `hub-envoy-${k}`)));
    // Each Envoy's discovery files are named for the layout, so running Envoys keep their own when the count changes.
    configMaps.forEach((c, k) => expect(Object.keys(c.data)).toContain(`lds.${k}-of-${count}.json`));
    const configs = configMaps.map(c => assembleSidecar(c.data));

    // Every upstream's listener is bound by exactly one Envoy, at the address the pods' host aliases give its names.
    const pods = objectNamed(manifests, 'Deployment', 'hub-v1').spec.template.spec;
    const aliased = new Map<string, string>(pods.hostAliases.flatMap((a: any) => a.hostnames.map((h: string) => [h, a.ip])));
    const outbound = configs.flatMap((config, shard) => config.static_resources.listeners.filter((l: any) => l.name.startsWith('outbound_')).map((l: any) => ({ shard, l })));
    expect(outbound.map(o => o.l.name).sort()).toEqual(Array.from({ length: 200 }, (_, i) => `outbound_upstream-${String(i).padStart(3, '0')}`));
    for (const { l } of outbound) expect(l.address.socket_address.address).toBe(aliased.get(l.name.replace('outbound_', '')));
    // Only the first holds the service's own listener; each shard's routes send to clusters of its own CDS.
    expect(configs.map(c => c.static_resources.listeners.some((l: any) => l.name === 'inbound'))).toEqual(configs.map((_, k) => k === 0));
    for (const config of configs) {
      const clusters = new Set(config.static_resources.clusters.map((c: any) => c.name));
      for (const listener of config.static_resources.listeners.filter((l: any) => l.name.startsWith('outbound_'))) {
        const [route] = routesOf(listener);
        expect(route.route.weighted_clusters.clusters.map((c: any) => c.weight)).toEqual([90, 10]);
        for (const c of route.route.weighted_clusters.clusters) expect(clusters.has(c.name)).toBe(true);
      }
    }

    // One container per ConfigMap, each on ports of its own, ready on its own stats port.
    const envoys = pods.containers.filter((c: any) => c.name.startsWith('envoy'));
    expect(envoys.map((c: any) => c.name)).toEqual(Array.from({ length: count }, (_, k) => (k === 0 ? 'envoy' : `envoy-${k}`)));
    const volumes = new Map(pods.volumes.map((v: any) => [v.name, v.configMap?.name]));
    envoys.forEach((c: any, k: number) => {
      expect(volumes.get(c.volumeMounts.find((m: any) => m.mountPath === '/etc/mesh/envoy').name)).toBe(configMaps[k].metadata.name);
      expect(c.readinessProbe.httpGet.port).toBe(configs[k].static_resources.listeners.find((l: any) => l.name === 'stats').address.socket_address.port_value);
    });
    const portOf = (owner: any) => owner.address.socket_address.port_value;
    const ports = configs.flatMap(c => [portOf(c.admin), ...c.static_resources.listeners.map(portOf)]);
    expect(new Set(ports).size).toBe(ports.length);

    // One configuration version for every Envoy: MeshConfigOutdated expects the one the service's rules name.
    const files = configMaps.flatMap(c => Object.values<string>(c.data).map(text => JSON.parse(text)));
    const versions = new Set(files.map(file => file.version_info).filter(v => v !== undefined));
    expect(versions.size).toBe(1);
    const settings = JSON.stringify(objectNamed(manifests, 'PrometheusRule', 'hub-mesh').spec);
    expect(settings).toContain(`"config_version\\", \\"${[...versions][0]}\\"`);
    // Prometheus scrapes every Envoy's stats port, and the NetworkPolicy lets it.
    const statsPorts = envoys.map((c: any) => c.ports.find((p: any) => p.name.startsWith('stats')));
    expect(objectsOf(manifests, 'PodMonitor')[0].spec.podMetricsEndpoints.map((e: any) => e.port)).toEqual(statsPorts.map((p: any) => p.name));
    const policy = objectNamed(manifests, 'NetworkPolicy', 'hub-mesh');
    const monitoring = policy.spec.ingress.find((r: any) => r.from?.[0]?.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'] === 'monitoring');
    expect(monitoring.ports.map((p: any) => p.port)).toEqual(statsPorts.map((p: any) => p.containerPort));
  });

  test('on native sidecars, every Envoy is a native sidecar, started and ready on its own stats port', () => {
    const chart = newChart();
    plainHub(chart, { nativeSidecars: true });
    const manifests = synth(chart);
    expect(outputProblems(manifests)).toEqual([]);
    const pods = objectNamed(manifests, 'Deployment', 'hub-v1').spec.template.spec;
    const envoys = pods.initContainers.filter((c: any) => c.name.startsWith('envoy'));
    expect(envoys.length).toBeGreaterThan(1);
    // They start one after another, first of the init containers.
    expect(pods.initContainers.slice(0, envoys.length).map((c: any) => c.name)).toEqual(envoys.map((_: any, k: number) => (k === 0 ? 'envoy' : `envoy-${k}`)));
    expect(pods.containers.map((c: any) => c.name)).toEqual(['app']);
    for (const envoy of envoys) {
      const stats = envoy.ports.find((p: any) => p.name.startsWith('stats')).containerPort;
      expect([envoy.restartPolicy, envoy.startupProbe.httpGet.port, envoy.readinessProbe.httpGet.port]).toEqual(['Always', stats, stats]);
    }
  });

  test('an upstream keeps its Envoy while the number of Envoys stays', () => {
    const shardsOf = (upstreams: number) => {
      const manifests = synth(hub(upstreams));
      const configMaps = manifests.filter(o => o.kind === 'ConfigMap' && /^hub-envoy(-\d+)?$/.test(o.metadata.name));
      return new Map(configMaps.flatMap(c => assembleSidecar(c.data).static_resources.listeners
        .filter((l: any) => l.name.startsWith('outbound_')).map((l: any) => [l.name, c.metadata.name])));
    };
    const [before, after] = [shardsOf(120), shardsOf(121)];
    expect(new Set(after.values())).toEqual(new Set(before.values()));
    for (const [listener, configMap] of before) expect(after.get(listener)).toBe(configMap);
  });

  test('when the number of Envoys changes, every discovery file gets a new name: running Envoys keep the files they loaded', () => {
    const layout = (upstreams: number) => new Map<string, string[]>(synth(hub(upstreams))
      .filter(o => o.kind === 'ConfigMap' && /^hub-envoy(-\d+)?$/.test(o.metadata.name))
      .map(c => [c.metadata.name, Object.keys(c.data).filter(key => !/^(envoy|sds-.*)\.json$/.test(key))]));
    const [before, after] = [layout(45), layout(90)];
    expect(after.size).toBeGreaterThan(before.size);
    for (const [name, files] of before) {
      // An Envoy of a running pod watches these files; none of them is in the new ConfigMap of the same name.
      expect(files.filter(file => after.get(name)?.includes(file))).toEqual([]);
    }
    // The rollout tools read the layout back from the names.
    for (const [name, files] of after) {
      for (const file of files) expect(fileLayout(file)).toMatchObject({ count: after.size, shard: configMapIndex(name) });
    }
    // Each bootstrap names its own layout's files, which its ConfigMap holds (outputProblems assembles them from the bootstrap).
    for (const [name, files] of after) expect(files).toContain(`lds.${configMapIndex(name)}-of-${after.size}.json`);
  });

  test('a sidecar whose own listeners do not fit one ConfigMap is not split: it fits server-side apply', () => {
    const chart = newChart();
    const gateway = declareHub(chart, 'hub', 12, true);
    for (let i = 0; i < 200; i++) gateway.exposeTo(EdgePeer.anywhere(), { port: 20000 + i });
    const manifests = synth(chart);
    expect(manifests.filter(o => o.kind === 'ConfigMap' && o.metadata.name.startsWith('hub-envoy')).map(o => o.metadata.name)).toEqual(['hub-envoy']);
    expect(clientSideApplyBytes(objectNamed(manifests, 'ConfigMap', 'hub-envoy'))).toBeGreaterThan(ANNOTATIONS_LIMIT);
  });

  test('with server-side apply, a sidecar fills a ConfigMap\'s 1 MiB before it is split', () => {
    const chart = newChart();
    plainHub(chart, { serverSideApply: true });
    const manifests = synth(chart);
    expect(outputProblems(manifests)).toEqual([]);
    const configMap = objectNamed(manifests, 'ConfigMap', 'hub-envoy');
    expect(manifests.filter(o => o.kind === 'ConfigMap' && o.metadata.name.startsWith('hub-envoy-'))).toEqual([]);
    expect(clientSideApplyBytes(configMap)).toBeGreaterThan(ANNOTATIONS_LIMIT);
    expect(Object.values<string>(configMap.data).reduce((sum, text) => sum + Buffer.byteLength(text), 0)).toBeLessThan(1024 * 1024);
  });

  test('the metrics port of the application must not be one of the other Envoys\' ports', () => {
    const chart = newChart();
    new MonitoredWorkload(chart, 'monitoring', { service: plainHub(chart), metricsPort: 15091 });
    expect(synthError(chart)).toMatch(/the stats port 15091 of its container envoy-1 is the application's metrics port/);
  });

  test('the ports of the other Envoys must be free: synth names the port and what holds it', () => {
    const chart = newChart();
    const caller = declareHub(chart, 'hub', 60, true);
    const taken = new MeshService(chart, 'metrics', { mesh: caller.mesh, image: 'registry.example.com/m:1.0.0', port: 15091 });
    caller.callTo(taken);
    expect(synthError(chart)).toMatch(/the sidecar of hub runs \d+ Envoys, one ConfigMap each, and the stats port 15091 of its container envoy-1 is the port of upstream metrics: move the sidecar's ports with Mesh ports.stats/);
  });

  // Istio's proxies are configured by Istio: the mesh writes no Envoy files for them, so the size the files of its
  // own sidecars would have is no reason to refuse the mesh (Gateway API refuses this hub's retries on its own).
  test('200 versioned upstreams on Istio: no sidecar configuration is written, and none refuses the hub', () => {
    const manifests = synth(hub(200, MeshEngine.istio()));
    expect(manifests.filter(o => o.kind === 'ConfigMap' && o.metadata.name === 'hub-envoy')).toEqual([]);
    expect(manifests.filter(o => o.kind === 'Deployment' && o.metadata.name.startsWith('upstream-'))).toHaveLength(400);
  });
});
