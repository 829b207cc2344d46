import type { ExternalRef } from '../model/external-ref';
import type { MeshModel } from '../model/mesh-model';
import type { Problem } from '../model/problem';
import type { EngineFacts, ServiceRef } from '../model/refs';
import type { RequestMetrics } from '../monitoring/request-metrics';

/**
 * What one engine does with a mesh: the only code that knows its output
 * vocabulary. Constructs and checks ask their mesh's engine through this
 * interface and never which engine it is; a new engine is a new folder of
 * `engines/` with one class implementing it. @internal
 */
export interface EngineTranslator extends EngineFacts {
  /** What the engine cannot express with the meaning the constructs give it. */
  checks(model: MeshModel): Problem[];
  /**
   * What the engine ignores because only the static sidecars need it and
   * ignoring it keeps its meaning: reported as notes at synth, never refused.
   */
  notes(model: MeshModel): Problem[];
  /** Adds the engine's objects for a mesh service; their contents are produced at synth from `model`. */
  addServiceResources(service: ServiceRef, model: () => MeshModel): void;
  /** Adds the engine's objects for one version of a mesh service. */
  addVersionResources(service: ServiceRef, version: string, model: () => MeshModel): void;
  /** Adds the engine's objects for a service outside the mesh. */
  addExternalResources(external: ExternalRef): void;
  /** Adds the engine's objects for a service's JWT providers (called once per provider). */
  addJwtResources(service: ServiceRef, model: () => MeshModel): void;
  /** The request metrics of the engine's proxies, or undefined when they are unknown (monitoring is then refused). */
  requestMetrics(model: MeshModel): RequestMetrics | undefined;
}
