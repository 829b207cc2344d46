import { istioChecks, istioNotes } from './istio-checks';
import { addIstioExternalResources, addIstioJwtResources, addIstioResources, addIstioVersionResources, IstioSettings } from './istio-resources';
import { ISTIO_PROMETHEUS_PATH, ISTIO_PROMETHEUS_PORT, ISTIO_PROMETHEUS_PORT_NUMBER } from './metrics';
import { ISTIO_REQUEST_METRICS, ISTIO_VERSION_SERVICE_METRICS } from './request-metrics';
import type { ExternalRef } from '../../model/external-ref';
import type { MeshModel } from '../../model/mesh-model';
import type { Problem } from '../../model/problem';
import type { ServiceRef } from '../../model/refs';
import { DEFAULT_BUCKETS_MS } from '../../monitoring/buckets';
import type { RequestMetrics } from '../../monitoring/request-metrics';
import { CapturingProxyEngine } from '../capturing-proxy-engine';
import type { EngineTranslator } from '../engine';
import { sidecarOnlyChecks, sidecarOnlyNotes } from '../sidecar-only-checks';

/** Istio: its injected proxies, configured by Istio's resources (or, with Gateway API routes, by those and HTTPRoutes). */
export class IstioEngine extends CapturingProxyEngine implements EngineTranslator {
  public readonly podMetadata: EngineTranslator['podMetadata'];
  public readonly metricsEndpoint = { portName: ISTIO_PROMETHEUS_PORT, port: ISTIO_PROMETHEUS_PORT_NUMBER, path: ISTIO_PROMETHEUS_PATH };
  /** Istio's proxies record request durations in Envoy's default buckets. */
  public readonly fixedLatencyBucketsMs = DEFAULT_BUCKETS_MS;

  constructor(private readonly settings: IstioSettings) {
    super();
    this.podMetadata = {
      labels: settings.revision ? { 'istio.io/rev': settings.revision } : { 'sidecar.istio.io/inject': 'true' },
      // The proxy answers DNS for ServiceEntry hosts, so applications resolve external services by the names they call.
      annotations: { 'proxy.istio.io/config': JSON.stringify({ proxyMetadata: { ISTIO_META_DNS_CAPTURE: 'true' } }) },
    };
  }

  public checks(model: MeshModel): Problem[] {
    return [...sidecarOnlyChecks(model), ...istioChecks(model, this.settings)];
  }

  public notes(model: MeshModel): Problem[] {
    return [...sidecarOnlyNotes(model), ...istioNotes(model)];
  }

  public addServiceResources(service: ServiceRef, model: () => MeshModel): void {
    addIstioResources(service, this.settings, model);
  }

  public addVersionResources(service: ServiceRef, version: string, model: () => MeshModel): void {
    // Gateway API routes send to a Service per version, each with a DestinationRule of its own.
    if (this.settings.gatewayApiRoutes) addIstioVersionResources(service, version, model);
  }

  public addExternalResources(external: ExternalRef): void {
    addIstioExternalResources(external, external);
  }

  public addJwtResources(service: ServiceRef, model: () => MeshModel): void {
    addIstioJwtResources(service, model);
  }

  public requestMetrics(): RequestMetrics {
    // Gateway API routes send to a Service per version, which the metrics name.
    return this.settings.gatewayApiRoutes ? ISTIO_VERSION_SERVICE_METRICS : ISTIO_REQUEST_METRICS;
  }
}
