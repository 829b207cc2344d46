import type { MeshModel } from '../../model/mesh-model';
import type { Problem } from '../../model/problem';
import { ENVOY_REQUEST_METRICS, RequestMetrics } from '../../monitoring/request-metrics';
import type { EngineTranslator } from '../engine';

/**
 * The library's own Envoy sidecars, configured entirely at synth: each pod's
 * sidecar, ConfigMap and certificate are built by the workload and the mesh
 * service from the plans (`sidecar-container.ts`, `bootstrap.ts`), so the
 * engine adds no objects of its own and refuses nothing the constructs allow.
 */
export class StaticEnvoyEngine implements EngineTranslator {
  public readonly ownsSidecar = true;
  public readonly podMetadata = { labels: {}, annotations: {} };
  public readonly metricsEndpoint = { portName: 'stats', path: '/stats/prometheus' };

  public checks(_model: MeshModel): Problem[] {
    return [];
  }

  public notes(_model: MeshModel): Problem[] {
    return [];
  }

  public addServiceResources(): void {}
  public addVersionResources(): void {}
  public addExternalResources(): void {}
  public addJwtResources(): void {}

  public requestMetrics(): RequestMetrics {
    return ENVOY_REQUEST_METRICS;
  }
}
