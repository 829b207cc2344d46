import {
  DESTINATION_SERVICE_NAME_LABEL, DESTINATION_SERVICE_NAMESPACE_LABEL, ISTIO_REQUEST_DURATION, ISTIO_REQUESTS_TOTAL, REPORTER_DESTINATION,
  REPORTER_LABEL, REPORTER_SOURCE, RESPONSE_CODE_LABEL, RESPONSE_FLAGS_LABEL, SERVER_ERROR_CODES, UPSTREAM_OVERFLOW_FLAGS,
} from './metrics';
import type { AlertFactory } from '../../monitoring/alert-factory';
import { asUpstreamService, ErrorsAndRequests } from '../../monitoring/caller-view';
import { asCaller } from '../../monitoring/edge-info';
import { MESH_LABEL, SERVICE_LABEL } from '../../monitoring/metrics';
import { quote, rate, selector, sumBy } from '../../monitoring/promql';
import { RequestMetrics } from '../../monitoring/request-metrics';
import { PromRule } from '../../monitoring/types';
import { upstreamOfVersionServices } from '../../monitoring/version-service-info';

/** The request metrics of Istio's proxies, in the terms the mesh's rules and alerts read. */

/**
 * Istio's sidecars (see metrics.ts): a service's inbound traffic is
 * what its proxies report as `reporter="destination"` (every caller, ingress
 * gateways included), a caller's calls what its proxies report as
 * `reporter="source"`, the upstream named by `destination_service_name`
 * (Istio routes to subsets of the upstream's own Service, so that is the
 * upstream's name, also when no pod of it answered).
 */
export const ISTIO_REQUEST_METRICS: RequestMetrics = istioRequestMetrics(false);

/**
 * Istio's sidecars when routes send to a Service per version (Gateway API,
 * `<service>-<version>`): `destination_service_name` names the version's
 * Service, which each caller's own rules list (`VERSION_SERVICE_INFO`), and
 * a call to it is counted as a call to its service.
 */
export const ISTIO_VERSION_SERVICE_METRICS: RequestMetrics = istioRequestMetrics(true);

function istioRequestMetrics(versionServices: boolean): RequestMetrics {
  const metrics: RequestMetrics = {
    proxy: 'istio',
    requests: matchers => selector(ISTIO_REQUESTS_TOTAL, matchers),
    serverErrors: matchers => selector(ISTIO_REQUESTS_TOTAL, { ...matchers, [RESPONSE_CODE_LABEL]: { regex: SERVER_ERROR_CODES } }),
    durationBucket: `${ISTIO_REQUEST_DURATION}_bucket`,
    inbound: { [REPORTER_LABEL]: REPORTER_DESTINATION },
    outbound: { [REPORTER_LABEL]: REPORTER_SOURCE },
    outboundBy: [DESTINATION_SERVICE_NAME_LABEL],
    ...(versionServices && { versionServiceLabel: DESTINATION_SERVICE_NAME_LABEL }),
    asEdge: (expr, mesh) => `sum without (${SERVICE_LABEL}, ${DESTINATION_SERVICE_NAME_LABEL}) (${asCaller(upstreamOf(expr, mesh))})`,
    callersView: (mesh, window) => istioCallersView(mesh, window, versionServices, upstreamOf),
    proxyAlerts: a => istioProxyAlerts(a, metrics),
  };
  return metrics;

  /**
   * Adds `upstream`: `destination_service_name`, or with version Services
   * the service of a version Service (`expr` then labelled `namespace` and
   * `mesh_service`, the caller).
   */
  function upstreamOf(expr: string, mesh: string): string {
    return versionServices
      ? upstreamOfVersionServices(mesh, DESTINATION_SERVICE_NAME_LABEL, expr)
      : `label_replace(${expr}, "upstream", "$1", ${quote(DESTINATION_SERVICE_NAME_LABEL)}, "(.+)")`;
  }
}

/**
 * The same on Istio's proxies: what callers' proxies reported
 * (`istio_requests_total{reporter="source"}`) by `destination_service_namespace`
 * and `destination_service_name`, leaving out the replies with the response
 * flags `UO` (circuit-breaker overflow) and `FI` (fault injection abort),
 * which Istio's client-side proxy makes itself (Envoy's `%RESPONSE_FLAGS%`,
 * https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/access_log/usage).
 * `upstreamOf` maps the names of version Services to their service, which
 * needs the callers (`byCaller`): their own rules list the version Services.
 */
function istioCallersView(mesh: string, window: string, byCaller: boolean, upstreamOf: (expr: string, mesh: string) => string): ErrorsAndRequests {
  const sent = {
    [MESH_LABEL]: mesh, [REPORTER_LABEL]: REPORTER_SOURCE, [RESPONSE_FLAGS_LABEL]: { notRegex: CALLER_LOCAL_FLAGS },
  };
  const view = (series: string) => {
    const by = [MESH_LABEL, ...(byCaller ? ['namespace', SERVICE_LABEL] : []), DESTINATION_SERVICE_NAMESPACE_LABEL, DESTINATION_SERVICE_NAME_LABEL];
    const named = upstreamOf(sumBy(by, rate(series, window)), mesh);
    return asUpstreamService(sumBy([MESH_LABEL, DESTINATION_SERVICE_NAMESPACE_LABEL, 'upstream'], named), DESTINATION_SERVICE_NAMESPACE_LABEL);
  };
  return {
    errors: view(selector(ISTIO_REQUESTS_TOTAL, { ...sent, [RESPONSE_CODE_LABEL]: { regex: SERVER_ERROR_CODES } })),
    requests: view(selector(ISTIO_REQUESTS_TOTAL, sent)),
  };
}

/** `response_flags` that include `UO` or `FI`, as a regex: replies the caller's proxy made itself. */
export const CALLER_LOCAL_FLAGS = '(.*,)?(UO|FI)(,.*)?';

/**
 * The same on Istio's sidecars, as far as Istio's default metrics allow:
 * - `MeshCircuitBreakerOverflow` (ticket): the caller's proxy answered requests
 *   to an upstream with 503 because a circuit breaker was at its limit
 *   (`istio_requests_total{reporter="source"}` whose `response_flags` include
 *   `UO`, Envoy's "upstream overflow"); labelled `upstream`, not per cluster.
 * - `MeshOutlierEjections` and `MeshCircuitBreakerOpen` are left out: they
 *   read Envoy's per-cluster gauges (`outlier_detection.ejections_active`,
 *   `circuit_breakers.*_open`), which Istio's default stats matcher does not
 *   export, and no Istio metric tells how many hosts are ejected or whether
 *   a breaker is at its limit before it refuses a request.
 */
function istioProxyAlerts(a: AlertFactory, metrics: RequestMetrics): PromRule[] {
  const overflowing = rate(metrics.requests({ [MESH_LABEL]: a.mesh, ...metrics.outbound, [RESPONSE_FLAGS_LABEL]: { regex: UPSTREAM_OVERFLOW_FLAGS } }), '5m');
  const perUpstream = metrics.asEdge(sumBy([MESH_LABEL, 'namespace', SERVICE_LABEL, ...metrics.outboundBy], overflowing), a.mesh);
  return [
    a.alert('MeshCircuitBreakerOverflow', 'ticket', a.ofCallers(`${perUpstream} > 0`),
      'Circuit breaker rejects requests: {{ $labels.namespace }}/{{ $labels.caller }} -> {{ $labels.upstream }}',
      '{{ printf "%.2f" $value }} requests/s from {{ $labels.namespace }}/{{ $labels.caller }} to {{ $labels.upstream }} failed at a circuit breaker '
        + 'of its Istio proxy (response flag UO) over 5m.'),
  ];
}
