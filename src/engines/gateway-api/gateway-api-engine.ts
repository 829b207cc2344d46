import { gatewayApiChecks } from './gateway-api-checks';
import { addGatewayApiResources, addVersionService } from './gateway-api-resources';
import type { ExternalRef } from '../../model/external-ref';
import type { MeshModel } from '../../model/mesh-model';
import type { Problem } from '../../model/problem';
import type { ServiceRef } from '../../model/refs';
import type { RequestMetrics } from '../../monitoring/request-metrics';
import { CapturingProxyEngine } from '../capturing-proxy-engine';
import type { EngineTranslator } from '../engine';
import { IstioEngine } from '../istio/istio-engine';
import { sidecarOnlyChecks, sidecarOnlyNotes } from '../sidecar-only-checks';

/**
 * Gateway API routes (GAMMA) attached to each service's Service, with a
 * Service per version as backends; optionally Istio's resources beside them
 * for what routes cannot express (`policies`). Without policies, the mesh
 * under the routes is unknown: its pods get no injection and its metrics
 * cannot be read.
 */
export class GatewayApiEngine extends CapturingProxyEngine implements EngineTranslator {
  public readonly podMetadata: EngineTranslator['podMetadata'];
  public readonly metricsEndpoint: EngineTranslator['metricsEndpoint'];
  public readonly fixedLatencyBucketsMs: EngineTranslator['fixedLatencyBucketsMs'];

  constructor(private readonly policies?: IstioEngine, private readonly percentageMirrors = false) {
    super();
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
