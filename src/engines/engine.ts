import type * as kplus from 'cdk8s-plus-27';
import type { ExternalRef } from '../model/external-ref';
import type { MeshModel, ServiceModel } from '../model/mesh-model';
import type { Problem } from '../model/problem';
import type { EngineFacts, ServiceRef } from '../model/refs';
import type { RequestMetrics } from '../monitoring/request-metrics';
import type { PodTemplatePlan } from '../plan/pod-template';
import type { WorkloadCertificate } from '../security/certificate-source';

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
  /** Adds the objects of a service's own sidecar, before any other object of the service (its sidecar's configuration). */
  addSidecarResources(service: ServiceRef): void;
  /** Adds the engine's proxy to a new workload's pods, and what callers reach them through. */
  addWorkloadResources(workload: NewWorkload): WorkloadProxy;
  /**
   * Plans what the pods of one version of a service (its instance pools
   * included) get from the complete graph, applied to every workload of the
   * version once the graph is complete: a pure function of the model.
   */
  planPodTemplate(service: ServiceModel, version: string): PodTemplatePlan;
  /** Adds the service's port to its Service `kubeService`: where it sends callers in the pods, named for the protocol. */
  bindServicePort(service: ServiceRef, kubeService: kplus.Service): void;
  /** Adds an edge port to the service's Service, and what the proxy needs to receive callers from outside the mesh on it. */
  bindEdgePort(service: ServiceRef, kubeService: kplus.Service, port: number, tlsSecret?: kplus.ISecret): void;
  /** Completes a service's objects from what synthesis derives of its own sidecar, once the graph is complete. */
  completeSidecarResources(service: ServiceRef, sidecar: SidecarSynthesis): void;
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

/** A workload of a service (a version, or an instance pool of a version), as its pods are created. @internal */
export interface NewWorkload {
  readonly service: ServiceRef;
  /** Its Deployment or StatefulSet, labelled. */
  readonly pods: kplus.Deployment | kplus.StatefulSet;
  readonly version: string;
  readonly pool: string;
  /** The service's certificate, when the mesh issues one. */
  readonly certificates?: WorkloadCertificate;
}

/** What an engine added to a workload's pods, and how its pod-template plan reaches its own proxy there. @internal */
export interface WorkloadProxy {
  /** The engine's own container in the pods, if it adds one: the application's variables and the pods' security completion leave it out. */
  readonly sidecar?: kplus.Container;
  /** The Service callers' proxies find the workload's pods through. */
  readonly endpoints?: kplus.Service;
  /** Opens an edge listener port on the proxy, with its server certificate if any (only plans of a proxy in the pods have edges). */
  addEdgePort?(port: number, tlsSecret?: kplus.ISecret): void;
  /** Mounts a volume read-only into the proxy (only plans of a proxy in the pods have mounts). */
  mount?(path: string, volume: kplus.Volume): void;
}

/** What synthesis derives of a service's own sidecar; each is computed when first asked. @internal */
export interface SidecarSynthesis {
  /** The service in the model of the complete graph (with its workloads). */
  readonly model: ServiceModel;
  /**
   * How many Envoys the sidecar runs, each with its own ConfigMap: more than
   * one only when its files would not fit one (engines/envoy/shards.ts).
   * Rendered when asked.
   */
  shards(): number;
  /** The configuration files of one of its Envoys by name. */
  files(shard: number): Record<string, string>;
  /** The SHA-256 of its bootstrap: what only a restart applies. */
  bootstrapSha256(): string;
  /** What `cdk8s-mesh diff` compares, as JSON. */
  intent(): string;
}
