import type * as kplus from 'cdk8s-plus-27';
import { addEdgeSdsFile, addSidecarConfigMap, completeSidecarConfigMap } from './config-map';
import { addWorkloadSidecar } from './workload-sidecar';
import type { MeshModel, ServiceModel } from '../../model/mesh-model';
import type { Problem } from '../../model/problem';
import type { ServiceRef } from '../../model/refs';
import { ENVOY_REQUEST_METRICS, RequestMetrics } from '../../monitoring/request-metrics';
import { planPodTemplate, PodTemplatePlan } from '../../plan/pod-template';
import type { EngineTranslator, NewWorkload, SidecarSynthesis, WorkloadProxy } from '../engine';
import { servicePortName } from '../kubernetes/service-ports';

/**
 * The library's own Envoy sidecars, configured entirely at synth: each
 * service's ConfigMap (`config-map.ts`) and each pod's sidecar with the
 * headless Service callers find the pods through (`workload-sidecar.ts`) are
 * built from the plans. The engine refuses nothing the constructs allow.
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

  public addSidecarResources(service: ServiceRef): void {
    addSidecarConfigMap(service);
  }

  public addWorkloadResources(workload: NewWorkload): WorkloadProxy {
    return addWorkloadSidecar(workload);
  }

  /** The sidecar's loopback addresses with host aliases, its edge listener ports and its mounts. */
  public planPodTemplate(service: ServiceModel, version: string): PodTemplatePlan {
    return planPodTemplate(service, version);
  }

  /** Callers reach the sidecar's inbound listener, which hands their requests to the application. */
  public bindServicePort(service: ServiceRef, kubeService: kplus.Service): void {
    kubeService.bind(service.port, { name: servicePortName(service.protocol), targetPort: service.mesh._ports.inbound });
  }

  /** Edge callers reach the sidecar's edge listener on the same port. */
  public bindEdgePort(service: ServiceRef, kubeService: kplus.Service, port: number, tlsSecret?: kplus.ISecret): void {
    kubeService.bind(port, { name: `edge-${port}`, targetPort: port });
    if (tlsSecret) addEdgeSdsFile(service, port);
  }

  public completeSidecarResources(service: ServiceRef, sidecar: SidecarSynthesis): void {
    completeSidecarConfigMap(service, sidecar);
  }

  public addServiceResources(): void {}
  public addVersionResources(): void {}
  public addExternalResources(): void {}
  public addJwtResources(): void {}

  public requestMetrics(): RequestMetrics {
    return ENVOY_REQUEST_METRICS;
  }
}
