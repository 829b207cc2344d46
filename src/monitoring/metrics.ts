import { Matcher, rate, selector } from './promql';
/**
 * The metrics the monitoring rules read, as a sidecar's `/stats/prometheus`
 * exposes them and the mesh's PodMonitor stores them.
 *
 * How Envoy names a Prometheus metric (source/server/admin/prometheus_stats.cc):
 * it removes the tags its default tag extractors find in the dotted stat name
 * (source/common/config/well_known_names.cc, described under "Tags" in
 * https://www.envoyproxy.io/docs/envoy/latest/intro/arch_overview/observability/statistics),
 * replaces every character outside `[a-zA-Z0-9_]` with `_` and prefixes
 * `envoy_`. Counters keep their Envoy name: no `_total` is appended. The tags
 * used here:
 * - `envoy_cluster_name`: `cluster.<name>.` (regex `^cluster\.(([^\.]+)\.).*`).
 * - `envoy_http_conn_manager_prefix`: `http.<stat_prefix>.` (regex `^http\.((.*?)\.)`).
 * - `envoy_response_code_class`: `..._rq_<class>xx` (regex `_rq_(\d)xx$`).
 * So `cluster.order-service_v1.upstream_rq_5xx` becomes
 * `envoy_cluster_upstream_rq_xx{envoy_cluster_name="order-service_v1",envoy_response_code_class="5"}`.
 *
 * | Metric | Type | Envoy stat | Documented in |
 * | --- | --- | --- | --- |
 * | `envoy_http_downstream_rq_total` | counter | `http.<stat_prefix>.downstream_rq_total` | HTTP connection manager statistics [HCM] |
 * | `envoy_http_downstream_rq_xx` | counter | `http.<stat_prefix>.downstream_rq_1xx`..`5xx` | [HCM] |
 * | `envoy_http_downstream_rq_time_bucket/_sum/_count` | histogram, ms | `http.<stat_prefix>.downstream_rq_time` | [HCM] |
 * | `envoy_cluster_upstream_rq_total` | counter | `cluster.<name>.upstream_rq_total` | cluster manager statistics [CM] |
 * | `envoy_cluster_upstream_rq_xx` | counter | `cluster.<name>.upstream_rq_<*xx>` (created at the first response of a class) | [CM] "Dynamic HTTP statistics" |
 * | `envoy_cluster_upstream_rq_time_bucket` | histogram, ms | `cluster.<name>.upstream_rq_time` | [CM] "Dynamic HTTP statistics" |
 * | `envoy_cluster_upstream_rq_retry` | counter | `cluster.<name>.upstream_rq_retry` | [CM] |
 * | `envoy_cluster_upstream_rq_pending_overflow` | counter | `cluster.<name>.upstream_rq_pending_overflow` | [CM] |
 * | `envoy_http_fault_aborts_injected` | counter | `http.<stat_prefix>.fault.aborts_injected` | fault injection statistics [FLT] |
 * | `envoy_cluster_outlier_detection_ejections_active` | gauge | `cluster.<name>.outlier_detection.ejections_active` | [CM] "Outlier detection statistics" |
 * | `envoy_cluster_circuit_breakers_default_{cx,rq,rq_pending,rq_retry}_open` | gauge 0/1 | `cluster.<name>.circuit_breakers.default.*_open` (no tag for the priority) | [CM] "Circuit breakers statistics" |
 * | `envoy_server_live` | gauge 0/1 | `server.live` (1 unless draining) | server statistics [SRV] |
 * | `up` | gauge 0/1 | written by Prometheus for every scrape target | [UP] |
 *
 * - [HCM] https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_conn_man/stats
 * - [CM] https://www.envoyproxy.io/docs/envoy/latest/configuration/upstream/cluster_manager/cluster_stats
 * - [FLT] https://www.envoyproxy.io/docs/envoy/latest/configuration/http/http_filters/fault_filter#statistics
 * - [SRV] https://www.envoyproxy.io/docs/envoy/latest/configuration/observability/statistics
 * - [UP] https://prometheus.io/docs/concepts/jobs_instances/
 *
 * The rules read the `envoy_http_downstream_*` metrics (inbound and per
 * edge), the ejection, circuit breaker and overflow metrics, `up` and
 * `envoy_server_live`. `envoy_cluster_upstream_rq_{total,xx,time,retry}`
 * count per upstream version and per attempt (retries and mirrored copies
 * included); they are listed for per-version views one may add.
 *
 * The mesh's sidecar (src/engines/envoy/listeners.ts) names its HTTP connection
 * managers `inbound` (what callers in the mesh send the service),
 * `edge_<port>` (what callers outside the mesh send it), `stats` (scrapes)
 * and `outbound_<upstream>` (what the service sends one upstream, all
 * versions together), and its clusters `<upstream>_<version>`
 * (src/upstream-plan.ts).
 * Histograms are in milliseconds; Envoy prints bucket bounds with fmt's
 * `{:.32g}` (see buckets.ts for how a bound is selected).
 */

/** Requests received by an HTTP connection manager. */
export const HTTP_RQ_TOTAL = 'envoy_http_downstream_rq_total';
/** Responses sent by an HTTP connection manager, by class (`envoy_response_code_class` 1..5). */
export const HTTP_RQ_XX = 'envoy_http_downstream_rq_xx';
/** Request duration histogram of an HTTP connection manager, milliseconds. */
export const HTTP_RQ_TIME = 'envoy_http_downstream_rq_time';

export const CLUSTER_RQ_TOTAL = 'envoy_cluster_upstream_rq_total';
export const CLUSTER_RQ_XX = 'envoy_cluster_upstream_rq_xx';
export const CLUSTER_RQ_TIME = 'envoy_cluster_upstream_rq_time';
/** Requests failed because a circuit breaker was at its limit. */
export const CLUSTER_RQ_PENDING_OVERFLOW = 'envoy_cluster_upstream_rq_pending_overflow';
/**
 * Requests refused at a cluster's active-request limit. Since Envoy 1.38 they are
 * counted here instead of in `upstream_rq_pending_overflow` (changelog 1.38.0,
 * runtime guard `envoy.reloadable_features.skip_pending_overflow_count_on_active_rq`);
 * older sidecars have no such counter.
 */
export const CLUSTER_RQ_ACTIVE_OVERFLOW = 'envoy_cluster_upstream_rq_active_overflow';
/**
 * Requests a caller's fault filter aborted (`http.<stat_prefix>.fault.aborts_injected`,
 * labelled `envoy_http_conn_manager_prefix`): see caller-view.ts.
 */
export const FAULT_ABORTS_INJECTED = 'envoy_http_fault_aborts_injected';
/** Hosts of a cluster currently ejected by outlier detection. */
export const CLUSTER_EJECTIONS_ACTIVE = 'envoy_cluster_outlier_detection_ejections_active';

/**
 * Gauges that are 1 while a circuit breaker of the default priority is at
 * its limit: `envoy_cluster_circuit_breakers_default_<breaker>_open`.
 */
export const CIRCUIT_BREAKERS = ['cx', 'rq_pending', 'rq', 'rq_retry'] as const;
export const CIRCUIT_BREAKER_OPEN_PREFIX = 'envoy_cluster_circuit_breakers_default_';

export const SERVER_LIVE = 'envoy_server_live';
/** Written by Prometheus: 1 when the last scrape of a target succeeded. */
export const UP = 'up';
/**
 * Every xDS subscription has the stats `update_rejected` (the update was
 * refused), `update_failure` (it could not be fetched: for a file source, a
 * missing or unparseable file) and the gauge `version` (xxHash64 of the last
 * accepted `version_info`): `ALL_SUBSCRIPTION_STATS` in
 * envoy/config/subscription.h, counted in `FilesystemSubscriptionImpl::refresh`
 * (source/extensions/config_subscription/filesystem/filesystem_subscription_impl.cc).
 * The sidecar's subscriptions, as Envoy's Prometheus output names them:
 * `listener_manager.lds.` (source/common/listener_manager/lds_api.cc),
 * `cluster_manager.cds.` (source/common/upstream/cds_api_impl.cc),
 * `http.<prefix>.rds.<route config>.` with prefix and route config extracted
 * as tags (source/common/rds/rds_route_config_subscription.cc,
 * source/common/config/well_known_names.cc), and the ECDS filters'
 * `extension_config_discovery.http_filter.<filter name>.`, which no tag
 * extracts (source/common/filter/config_discovery_impl.h; dots of the filter
 * name become `_`). ECDS also counts `config_fail` when an update fails either way.
 */
const SUBSCRIPTIONS = [
  'envoy_listener_manager_lds', 'envoy_cluster_manager_cds', 'envoy_http_rds', 'envoy_extension_config_discovery_http_filter_[a-zA-Z0-9_]+',
];

/** Counters (regex) of updates a sidecar refused: what istiod sends an Istio proxy is counted in the LDS, CDS and RDS `update_rejected`. */
export const CONFIG_REJECTED = [
  'envoy_listener_manager_lds_update_rejected', 'envoy_cluster_manager_cds_update_rejected', 'envoy_http_rds_update_rejected',
].join('|');

/** Counters (regex) of files the mesh's own sidecar refused or could not read, ECDS's `config_fail` included. */
export const CONFIG_FILE_FAILED = `(${SUBSCRIPTIONS.join('|')})_update_(rejected|failure)|envoy_extension_config_discovery_http_filter_[a-zA-Z0-9_]+_config_fail`;

/** Gauges (regex) of the configuration version each discovery file of the mesh's own sidecar was last loaded with. */
export const CONFIG_VERSION = `(${SUBSCRIPTIONS.join('|')})_version`;

/** Labels Envoy's tag extraction adds. */
export const CLUSTER_NAME_LABEL = 'envoy_cluster_name';
export const HCM_PREFIX_LABEL = 'envoy_http_conn_manager_prefix';
export const RESPONSE_CLASS_LABEL = 'envoy_response_code_class';

/** Target labels the PodMonitor adds to every series of a sidecar. */
export const SERVICE_LABEL = 'mesh_service';
/** The mesh a sidecar belongs to (`meshLabel`), which the mesh's recording rules select. */
export const MESH_LABEL = 'mesh';
export const VERSION_LABEL = 'mesh_version';
/** Label telling the sidecar's scrape target (`sidecar`) from the application's (`app`). */
export const TARGET_LABEL = 'mesh_target';
export const SIDECAR_TARGET = 'sidecar';

/**
 * Stat prefixes of the HTTP connection managers that receive a service's
 * traffic, as a regex: `inbound` (callers in the mesh) and `edge_<port>`
 * (callers outside the mesh the service was opened to, e.g. an ingress
 * controller). Not `stats`, which serves Prometheus' scrapes.
 */
export const INBOUND_PREFIXES = 'inbound|edge_[0-9]+';

/** The `mesh` label value of a mesh's sidecars: its namespace and construct id, unique among the meshes a Prometheus sees. */
export function meshLabel(mesh: { readonly namespace: string; readonly node: { readonly id: string } }): string {
  return `${mesh.namespace}-${mesh.node.id}`.toLowerCase().replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '');
}

/**
 * Requests a sidecar's circuit breakers refused, per second, summed by `sum`:
 * pending-request and active-request overflow, the latter counted apart since
 * Envoy 1.38 and absent before (so it is added only where it exists).
 */
export function overflowRate(matchers: Record<string, Matcher>, window: string, sum: (expr: string) => string): string {
  const pending = sum(rate(selector(CLUSTER_RQ_PENDING_OVERFLOW, matchers), window));
  const active = sum(rate(selector(CLUSTER_RQ_ACTIVE_OVERFLOW, matchers), window));
  return `(${pending} + (${active} or 0 * ${pending}))`;
}
