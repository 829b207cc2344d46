import { num } from './promql';
import { MeshModel } from '../model/mesh-model';
import { Problem, problemsAt } from '../model/problem';

/**
 * Problems of monitors that the mesh's engine cannot feed:
 * - On an engine whose sidecars are neither the mesh's own Envoy sidecars
 *   nor Istio's (Linkerd, Cilium and others each name their metrics, ports
 *   and labels differently), no rule could read them: every
 *   `MonitoredWorkload` is refused.
 * - On Istio, the sidecars record request durations in Envoy's default
 *   histogram buckets (the engine's `fixedLatencyBucketsMs`): a latency objective whose
 *   threshold is not one of them could never be evaluated
 *   (`MeshLatencySLOBucketMissing` would fire for every pod).
 */
export function monitoringEngineChecks(model: MeshModel): Problem[] {
  const engine = model.mesh.engine;
  const known = engine._translator.metricsEndpoint !== undefined;
  const buckets = engine._translator.fixedLatencyBucketsMs;
  return model.services.flatMap(service => service.monitors.flatMap(monitor => {
    if (!known) {
      return problemsAt(monitor.path, [
        `the mesh runs on ${engine.description}, whose sidecars' metrics (names, labels and port) are unknown, so ${service.service.name} `
          + 'cannot be monitored: use MeshEngine.istio() when Istio runs the mesh, or MeshEngine.staticEnvoy(); or remove the MonitoredWorkload',
      ]);
    }
    if (!buckets) return [];
    const missing = [...new Set(monitor.latencyThresholdsMs)].filter(ms => !buckets.includes(ms));
    return problemsAt(monitor.path, missing.map(ms =>
      `latency objective threshold ${num(ms)}ms is not a bucket bound of Istio's request duration histogram, so the objective could not be `
        + `evaluated: use one of ${nearest(ms, buckets).map(b => `${num(b)}ms`).join(' or ')} (the bounds are ${buckets.map(num).join(', ')} ms)`));
  }));
}

/** The bucket bounds either side of `ms`. */
function nearest(ms: number, buckets: readonly number[]): number[] {
  const above = buckets.findIndex(b => b > ms);
  if (above === -1) return [buckets[buckets.length - 1]];
  return above === 0 ? [buckets[0]] : [buckets[above - 1], buckets[above]];
}
