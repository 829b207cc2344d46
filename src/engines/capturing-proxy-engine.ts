import type * as kplus from 'cdk8s-plus-27';
import type { EngineTranslator, WorkloadProxy } from './engine';
import { bindEdgePortToApplication, bindServicePortToApplication } from './kubernetes/service-ports';
import type { ServiceModel } from '../model/mesh-model';
import type { ServiceRef } from '../model/refs';
import { planCapturedPodTemplate, PodTemplatePlan } from '../plan/pod-template';

/** The hooks of `EngineTranslator` that place the engine's proxy in the pods. */
type ProxyPlacement = Pick<EngineTranslator,
'ownsSidecar' | 'addSidecarResources' | 'addWorkloadResources' | 'planPodTemplate' | 'completeSidecarResources' | 'bindServicePort' | 'bindEdgePort'>;

/**
 * An engine whose proxies are not the library's: another mesh injects them
 * into the pods and they capture traffic (Istio's, or the mesh under Gateway
 * API routes). The pods get nothing of the library's own, only the upstreams'
 * address variables, and callers reach the application's port. @internal
 */
export abstract class CapturingProxyEngine implements ProxyPlacement {
  public readonly ownsSidecar = false;

  public addSidecarResources(): void {}

  public addWorkloadResources(): WorkloadProxy {
    return {};
  }

  /** The proxy captures calls to the upstreams' own addresses: the pods get only the address variables. */
  public planPodTemplate(service: ServiceModel, version: string): PodTemplatePlan {
    return planCapturedPodTemplate(service, version);
  }

  public completeSidecarResources(): void {}

  /** The proxy receives callers on the application's port, and reads the protocol from the port's name and appProtocol. */
  public bindServicePort(service: ServiceRef, kubeService: kplus.Service): void {
    bindServicePortToApplication(service, kubeService);
  }

  public bindEdgePort(service: ServiceRef, kubeService: kplus.Service, port: number): void {
    bindEdgePortToApplication(service, kubeService, port);
  }
}
