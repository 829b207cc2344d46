/**
 * Scenario 1: the mesh under test. Deterministic: the same N always gives the
 * same graph and the same output.
 */
import { App, Chart, Duration } from 'cdk8s';
import {
  CertificateSource, FailoverPolicy, MonitoredWorkload, MtlsMode, Mesh, MeshService, OutlierDetection, Retry, RouteTarget, WeightedRoute,
} from '../src';
import { BenchFeatures, MAX_RETRY_AMPLIFICATION } from './features';
import { NAMESPACE, nameOf, portOf, upstreamsOf } from './graph';

// ---------------------------------------------------------------------------
// FEATURE HOOKS (switches in bench/features.ts). Fill in the two functions
// below when monitoring and mTLS land. They run inside the timed build, so
// their cost shows up in every mesh scenario.
// ---------------------------------------------------------------------------

/**
 * HOOK(mtls): extra `MeshProps` for mTLS. Off: mTLS explicitly disabled
 * (`'DISABLED'` is the value of `MtlsMode.DISABLED`; a Mesh without the `mtls`
 * prop ignores it), so "off" measures the mesh without mTLS whether or not
 * the library has it, and without any certificate objects.
 */
function meshFeatureProps(features: BenchFeatures): object {
  if (!features.mtls) return { mtls: MtlsMode.DISABLED };
  return { mtls: MtlsMode.STRICT, certificates: CertificateSource.selfSignedCa() };
}

/** HOOK(monitoring): per-service additions (e.g. `new MonitoredWorkload(chart, ..., { service })`). */
function applyServiceFeatures(_chart: Chart, _service: MeshService, features: BenchFeatures): void {
  if (features.monitoring) new MonitoredWorkload(_chart, `${_service.name}-monitoring`, { service: _service });
}

// ---------------------------------------------------------------------------

export interface BuiltMesh {
  readonly chart: Chart;
  readonly services: MeshService[];
}

/** Scenario 1: N mesh services, 2 versions, 3 upstreams, a FailoverPolicy and a 90/10 WeightedRoute each. */
export function buildMesh(app: App, n: number, features: BenchFeatures): BuiltMesh {
  const chart = new Chart(app, 'mesh', { namespace: NAMESPACE });
  const mesh = new Mesh(chart, 'mesh', { maxRetryAmplification: MAX_RETRY_AMPLIFICATION, ...meshFeatureProps(features) });
  const services: MeshService[] = [];
  for (let i = 0; i < n; i++) {
    const name = nameOf(i);
    const service = new MeshService(chart, name, {
      mesh, image: `registry.example.com/${name}:1.0.0`, port: portOf(i), replicas: 2,
    });
    service.addVersion('v2', { image: `registry.example.com/${name}:2.0.0` });
    services.push(service);
  }
  for (let i = 0; i < n; i++) {
    for (const j of upstreamsOf(i, n)) services[i].callTo(services[j]);
  }
  for (const service of services) {
    new FailoverPolicy(chart, `${service.name}-failover`, {
      service,
      retry: Retry.onGatewayErrors({ attempts: 2, perTryTimeout: Duration.millis(500) }),
      timeout: Duration.seconds(2),
      outlierDetection: OutlierDetection.consecutiveGatewayErrors(5),
    });
    new WeightedRoute(chart, `${service.name}-canary`, {
      service, targets: [RouteTarget.version('v1', 90), RouteTarget.version('v2', 10)],
    });
    applyServiceFeatures(chart, service, features);
  }
  return { chart, services };
}
