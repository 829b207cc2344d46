/**
 * The metrics the monitoring rules read on a mesh whose pods run Istio's
 * injected sidecar (`MeshEngine.istio()`), as its `istio-proxy` container exposes them on its port
 * `http-envoy-prom` (15090, path `/stats/prometheus`) and the mesh's
 * PodMonitor stores them.
 *
 * Istio's standard metrics (https://istio.io/latest/docs/reference/config/metrics/):
 * - `istio_requests_total`: counter, "incremented for every request handled by an Istio proxy".
 * - `istio_request_duration_milliseconds_bucket/_sum/_count`: histogram of request durations, milliseconds.
 *
 * Their labels used here (same page, "Labels"):
 * - `reporter`: `destination` when the server's proxy reports the request,
 *   `source` when the client's proxy (or a gateway) does. Each request crosses
 *   both proxies, so every view picks one.
 * - `destination_service_name`, `destination_service_namespace`: the Service
 *   the request was sent to (e.g. `details`), as the route's cluster names
 *   it, so also known when no pod answered.
 * - `response_code`: the HTTP status; present on HTTP metrics only. gRPC
 *   failures carried as `grpc-status` in an HTTP 200 are not 5xx here, as
 *   they are not in Envoy's `downstream_rq_5xx` either.
 * - `response_flags`: Envoy's `%RESPONSE_FLAGS%`
 *   (https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/access_log/usage),
 *   comma-separated; `UO` is "upstream overflow (circuit breaking) in addition to 503".
 *
 * The `source_workload` label is the Deployment (`<service>-<version>`) and
 * the canonical service labels (`source_canonical_service`, ...) come from
 * the pod labels `service.istio.io/canonical-name`, `app.kubernetes.io/name`
 * or `app`, in that order (https://istio.io/latest/docs/ops/deployment/application-requirements/,
 * "Pod labels"). The rules need neither: the PodMonitor copies the pod's
 * `mesh.cdk8s.io/service` label to every series as `mesh_service`, so the
 * scraped pod names the reporting service, the destination for
 * `reporter="destination"` and the caller for `reporter="source"`, exactly as
 * on static Envoy sidecars.
 *
 * Of Envoy's own statistics, Istio's default `statsMatcher` keeps only those
 * under the prefixes `reporter=`, `cluster_manager`, `listener_manager`,
 * `server`, `cluster.xds-grpc`, `wasm` and `component`: `envoy_server_live`,
 * `envoy_listener_manager_lds_update_rejected` and
 * `envoy_cluster_manager_cds_update_rejected` are exported, the per-cluster
 * outlier detection and circuit breaker gauges are not.
 *
 * Histogram buckets are Envoy's defaults (see buckets.ts) unless the pod's
 * annotation `sidecar.istio.io/statsHistogramBuckets` (Istio 1.20 and later,
 * e.g. `{"istiocustom":[...]}`) sets others.
 */

/** Requests handled by an Istio proxy. */
export const ISTIO_REQUESTS_TOTAL = 'istio_requests_total';
/** Request duration histogram of an Istio proxy, milliseconds. */
export const ISTIO_REQUEST_DURATION = 'istio_request_duration_milliseconds';

export const REPORTER_LABEL = 'reporter';
/** `reporter` of the server's proxy: a service's inbound view. */
export const REPORTER_DESTINATION = 'destination';
/** `reporter` of the client's proxy: a caller's outbound view. */
export const REPORTER_SOURCE = 'source';
export const DESTINATION_SERVICE_NAME_LABEL = 'destination_service_name';
export const DESTINATION_SERVICE_NAMESPACE_LABEL = 'destination_service_namespace';
export const RESPONSE_CODE_LABEL = 'response_code';
export const RESPONSE_FLAGS_LABEL = 'response_flags';

/** `response_code` of a 5xx response, as a regex. */
export const SERVER_ERROR_CODES = '5..';
/** `response_flags` that include `UO` (a circuit breaker refused the request), as a regex. */
export const UPSTREAM_OVERFLOW_FLAGS = '(.*,)?UO(,.*)?';

/** Name and path of the container port of Istio's sidecar that serves Envoy's and Istio's metrics. */
export const ISTIO_PROMETHEUS_PORT = 'http-envoy-prom';
/** The number of that port, which NetworkPolicies open to Prometheus. */
export const ISTIO_PROMETHEUS_PORT_NUMBER = 15090;
export const ISTIO_PROMETHEUS_PATH = '/stats/prometheus';
