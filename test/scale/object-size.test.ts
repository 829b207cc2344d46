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
import { declareHub } from '../../bench/sidecar-size';
import { MeshEngine } from '../../src';
import { envoyConfigOf, listenerNamed, newChart, outputProblems, routesOf, synth, synthError } from '../helpers';

const ANNOTATIONS_LIMIT = 256 * 1024;

function hub(upstreams: number, engine?: MeshEngine) {
  const chart = newChart();
  declareHub(chart, 'hub', upstreams, true, engine);
  return chart;
}

/** What client-side apply puts in an object's annotations: its own annotations and its JSON (which holds them again). */
function clientSideAnnotationBytes(object: any): number {
  const own = Object.entries<string>(object.metadata.annotations ?? {}).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  return own + Buffer.byteLength(JSON.stringify(object));
}

describe('object sizes of a hub with versioned upstreams', () => {
  // The largest versioned hub client-side apply takes is 38 upstreams (about 6,300 bytes of ConfigMap JSON each).
  test('36 versioned upstreams: every object fits client-side apply, validates, and routes 90/10 with retries', () => {
    const manifests = synth(hub(36));
    const over = manifests.filter(o => clientSideAnnotationBytes(o) >= ANNOTATIONS_LIMIT).map(o => `${o.kind}/${o.metadata.name}`);
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

  // Not met: Envoy reads every cluster from the one CDS file its bootstrap names, one ConfigMap key. 400
  // clusters of about 1,550 bytes (1,800 once escaped in the object's JSON) cannot fit 256 KiB, and do not
  // fit the 1 MiB of a ConfigMap's data either, so synth refuses the hub (README, Changes without restarts: Size).
  test('200 versioned upstreams: synth refuses the hub, naming its size', () => {
    expect(synthError(hub(200))).toMatch(/the sidecar configuration of hub is \d+ bytes, over the 1048576 bytes of data a ConfigMap may hold/);
  });

  // Istio's proxies are configured by Istio: the mesh writes no Envoy files for them, so the size the files of its
  // own sidecars would have is no reason to refuse the mesh (Gateway API refuses this hub's retries on its own).
  test('200 versioned upstreams on Istio: no sidecar configuration is written, and none refuses the hub', () => {
    const manifests = synth(hub(200, MeshEngine.istio()));
    expect(manifests.filter(o => o.kind === 'ConfigMap' && o.metadata.name === 'hub-envoy')).toEqual([]);
    expect(manifests.filter(o => o.kind === 'Deployment' && o.metadata.name.startsWith('upstream-'))).toHaveLength(400);
  });
});
