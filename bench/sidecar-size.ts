/**
 * Scenario 5: the sidecar configuration of one service calling `upstreams`
 * HTTP upstreams, each with retries, a timeout and outlier detection (and,
 * with `versions`, a second version and a 90/10 route), in a mesh with STRICT
 * mTLS and monitoring. Deterministic; not timed.
 */
import { App, Chart, Duration } from 'cdk8s';
import {
  CertificateSource, FailoverPolicy, Mesh, MeshEngine, MeshService, MonitoredWorkload, MtlsMode, OutlierDetection, Retry, RouteTarget, WeightedRoute,
} from '../src';
import { fileLayout } from '../src/engines/envoy/shards';

/** Client-side `kubectl apply` copies an object into an annotation limited to 256 KiB. */
export const CLIENT_SIDE_APPLY_LIMIT = 256 * 1024;

export interface CallerSize {
  readonly upstreams: number;
  /** Whether each upstream has two versions and a 90/10 route. */
  readonly versions: boolean;
  /** Bytes of every file of the caller's sidecar ConfigMaps. */
  readonly bytes: number;
  readonly bytesPerUpstream: number;
  /** Bytes of each file kind, over all the sidecar's Envoys: `envoy.json`, `lds.json`, `cds.json`, `rds.*`, `ecds.*`, `sds-*`. */
  readonly byFile: Record<string, number>;
  /** How many Envoys (each with its own ConfigMap) the sidecar runs. */
  readonly envoys: number;
  /** What client-side `kubectl apply` stores of the largest of the sidecar's ConfigMaps: its annotations and its JSON. */
  readonly largestApplyBytes: number;
}

export function callerSize(upstreams: number, versions: boolean): CallerSize {
  const app = new App({ outdir: '/tmp/cdk8s-mesh-bench-size' });
  const chart = new Chart(app, 'size', { namespace: 'shop', disableResourceNameHashes: true });
  declareHub(chart, 'caller', upstreams, versions);
  const configMaps = chart.toJson().filter(o => o.kind === 'ConfigMap' && /^caller-envoy(-\d+)?$/.test(o.metadata.name));
  const byFile: Record<string, number> = {};
  for (const configMap of configMaps) {
    for (const [key, text] of Object.entries<string>(configMap.data)) {
      // Files of a sidecar of several Envoys are named for the layout: `lds.1-of-3.json` counts as `lds.json`.
      const kind = fileLayout(key).file.replace(/^(rds|ecds)\..*/, '$1.*').replace(/^sds-.*/, 'sds-*');
      byFile[kind] = (byFile[kind] ?? 0) + Buffer.byteLength(text, 'utf8');
    }
  }
  const bytes = Object.values(byFile).reduce((sum, b) => sum + b, 0);
  const largestApplyBytes = Math.max(...configMaps.map(clientSideApplyBytes));
  return { upstreams, versions, bytes, bytesPerUpstream: bytes / upstreams, byFile, envoys: configMaps.length, largestApplyBytes };
}

/** What client-side `kubectl apply` puts in an object's annotations: its own annotations and its JSON (which holds them again). */
export function clientSideApplyBytes(object: any): number {
  const own = Object.entries<string>(object.metadata.annotations ?? {}).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  return own + Buffer.byteLength(JSON.stringify(object));
}

/**
 * Declares, in `chart`, a mesh with STRICT mTLS and a service `name` calling
 * `upstreams` HTTP upstreams, each with retries, a timeout, outlier detection
 * and monitoring (and, with `versions`, a second version and a 90/10 route),
 * on the mesh's own sidecars unless `engine` is given.
 */
export function declareHub(chart: Chart, name: string, upstreams: number, versions: boolean, engine?: MeshEngine): MeshService {
  const mesh = engine
    ? new Mesh(chart, 'mesh', { mtls: MtlsMode.STRICT, engine })
    : new Mesh(chart, 'mesh', { mtls: MtlsMode.STRICT, certificates: CertificateSource.selfSignedCa() });
  const caller = new MeshService(chart, name, { mesh, image: 'registry.example.com/caller:1.0.0', port: 8000 });
  for (let i = 0; i < upstreams; i++) {
    const upstream = new MeshService(chart, `upstream-${String(i).padStart(3, '0')}`, { mesh, image: 'registry.example.com/u:1.0.0', port: 9000 + i });
    if (versions) {
      upstream.addVersion('v2', { image: 'registry.example.com/u:2.0.0' });
      new WeightedRoute(chart, `canary-${i}`, { service: upstream, targets: [RouteTarget.version('v1', 90), RouteTarget.version('v2', 10)] });
    }
    new FailoverPolicy(chart, `failover-${i}`, {
      service: upstream,
      retry: Retry.onGatewayErrors({ attempts: 2, perTryTimeout: Duration.millis(500) }),
      timeout: Duration.seconds(2),
      outlierDetection: OutlierDetection.consecutiveGatewayErrors(5),
    });
    new MonitoredWorkload(chart, `monitoring-${i}`, { service: upstream });
    caller.callTo(upstream);
  }
  new MonitoredWorkload(chart, `${name}-monitoring`, { service: caller });
  return caller;
}
