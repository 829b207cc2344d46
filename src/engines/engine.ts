import type { MeshService } from '../mesh-service';
import type { MeshModel } from '../model/mesh-model';
import type { Problem } from '../model/problem';
import type { RequestMetrics } from '../monitoring/request-metrics';
import type { ExternalService } from '../traffic/external-service';

/**
 * What one engine does with a mesh: the only code that knows its output
 * vocabulary. Constructs and checks ask their mesh's engine through this
 * interface and never which engine it is; a new engine is a new folder of
 * `engines/` with one class implementing it. @internal
 */
export interface EngineTranslator {
  /**
   * Whether every pod carries this library's own Envoy sidecar, with its
   * ConfigMap, certificate, host aliases and listeners. Otherwise the
   * engine's proxy captures traffic itself and receives callers on the
   * application's port.
   */
  readonly ownsSidecar: boolean;
  /** Labels and annotations every mesh pod needs for the engine's proxy (injection). */
  readonly podMetadata: { readonly labels: Record<string, string>; readonly annotations: Record<string, string> };
  /**
   * Where Prometheus scrapes the proxies' metrics: a container port's name,
   * its number when the engine fixes it, and the path; undefined when unknown
   * (monitoring is then refused).
   */
  readonly metricsEndpoint?: { readonly portName: string; readonly port?: number; readonly path: string };
  /** The histogram bounds the proxies record request durations in, when the engine fixes them (latency objectives must use one). */
  readonly fixedLatencyBucketsMs?: readonly number[];
  /** What the engine cannot express with the meaning the constructs give it. */
  checks(model: MeshModel): Problem[];
  /** Adds the engine's objects for a mesh service (their contents are produced at synth, from the model). */
  addServiceResources(service: MeshService): void;
  /** Adds the engine's objects for one version of a mesh service. */
  addVersionResources(service: MeshService, version: string): void;
  /** Adds the engine's objects for a service outside the mesh. */
  addExternalResources(external: ExternalService): void;
  /** Adds the engine's objects for a service's JWT providers (called once per provider). */
  addJwtResources(service: MeshService): void;
  /** The request metrics of the engine's proxies, or undefined when they are unknown (monitoring is then refused). */
  requestMetrics(model: MeshModel): RequestMetrics | undefined;
}
