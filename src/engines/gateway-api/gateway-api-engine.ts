import type * as kplus from 'cdk8s-plus-27';
import { gatewayApiChecks } from './gateway-api-checks';
import { addGatewayApiResources, addVersionService } from './gateway-api-resources';
import type { ExternalRef } from '../../model/external-ref';
import type { MeshModel, ServiceModel } from '../../model/mesh-model';
import type { Problem } from '../../model/problem';
import type { ServiceRef } from '../../model/refs';
import type { RequestMetrics } from '../../monitoring/request-metrics';
import { planCapturedPodTemplate, PodTemplatePlan } from '../../plan/pod-template';
import type { EngineTranslator, WorkloadProxy } from '../engine';
import { IstioEngine } from '../istio/istio-engine';
import { bindEdgePortToApplication, bindServicePortToApplication } from '../kubernetes/service-ports';
import { sidecarOnlyChecks, sidecarOnlyNotes } from '../sidecar-only-checks';

/**
 * Gateway API routes (GAMMA) attached to each service's Service, with a
 * Service per version as backends; optionally Istio's resources beside them
 * for what routes cannot express (`policies`). Without policies, the mesh
 * under the routes is unknown: its pods get no injection and its metrics
 * cannot be read.
 */
export class GatewayApiEngine implements EngineTranslator {
  public readonly ownsSidecar = false;
  public readonly podMetadata: EngineTranslator['podMetadata'];
  public readonly metricsEndpoint: EngineTranslator['metricsEndpoint'];
  public readonly fixedLatencyBucketsMs: EngineTranslator['fixedLatencyBucketsMs'];

  constructor(private readonly policies?: IstioEngine, private readonly percentageMirrors = false) {
    this.podMetadata = policies?.podMetadata ?? { labels: {}, annotations: {} };
    this.metricsEndpoint = policies?.metricsEndpoint;
    this.fixedLatencyBucketsMs = policies?.fixedLatencyBucketsMs;
  }

  public checks(model: MeshModel): Problem[] {
    const policies = this.policies?.checks(model) ?? sidecarOnlyChecks(model);
    return [...policies, ...gatewayApiChecks(model, this.policies !== undefined, this.percentageMirrors)];
  }

  public notes(model: MeshModel): Problem[] {
    return this.policies?.notes(model) ?? sidecarOnlyNotes(model);
  }

  /** The mesh under the routes runs its own proxies: the pods get nothing of the library's own. */
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

  public addServiceResources(service: ServiceRef, model: () => MeshModel): void {
    this.policies?.addServiceResources(service, model);
    addGatewayApiResources(service, model);
  }

  public addVersionResources(service: ServiceRef, version: string, model: () => MeshModel): void {
    addVersionService(service, version);
    this.policies?.addVersionResources(service, version, model);
  }

  public addExternalResources(external: ExternalRef): void {
    this.policies?.addExternalResources(external);
  }

  public addJwtResources(service: ServiceRef, model: () => MeshModel): void {
    this.policies?.addJwtResources(service, model);
  }

  public requestMetrics(): RequestMetrics | undefined {
    return this.policies?.requestMetrics();
  }
}
