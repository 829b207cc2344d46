import { AlertFactory, NAME } from './alert-factory';
import { envoyVersionGauge } from './envoy-version';
import { CONFIG_FILE_FAILED, CONFIG_REJECTED, CONFIG_VERSION, SERVER_LIVE, SERVICE_LABEL, UP } from './metrics';
import { num, quote, selector } from './promql';
import { EDGE_RECORDS, INBOUND_RECORDS } from './recording-rules';
import { ENVOY_REQUEST_METRICS, RequestMetrics } from './request-metrics';
import { assertServices, qualifiedName } from './service-ref';
import { SeverityLabels } from './severity';
import { PromRule, PromRuleGroup, ServiceRef } from './types';

export interface AlertOptions {
  /** Alert when more than this share of responses (0..1) are 5xx, e.g. 0.05. */
  readonly errorRatio: number;
  /** Alert when the 99th percentile latency exceeds this many milliseconds. */
  readonly latencyP99Ms: number;
  /** Alert when the service receives no requests at all, and page when it has no sidecar left. */
  readonly expectTraffic: boolean;
  /** Added to every alert as the `runbook_url` annotation; `{alert}` becomes the alert's name. */
  readonly runbookUrl?: string;
  /** The `severity` label of each urgency. @default KUBE_PROMETHEUS_SEVERITIES */
  readonly severities?: SeverityLabels;
  /** How long a condition must hold before its alert fires. @default '5m' */
  readonly for?: string;
  /**
   * Labels (exact values) that tell the sidecars' scrape targets from other
   * targets of the same pods, such as the application's own metrics scraped
   * by the same PodMonitor: e.g. `{ job: 'shop/order-service-mesh', endpoint: 'stats' }`.
   * @default - every target with the service's `namespace` and `mesh_service`
   */
  readonly sidecarTarget?: Record<string, string>;
  /** The sidecars' request metrics, which decide the alerts on their resilience mechanisms. @default ENVOY_REQUEST_METRICS */
  readonly metrics?: RequestMetrics;
  /**
   * The `version_info` of the files the mesh's own sidecars reload (the
   * ConfigMap's current configuration): adds `MeshConfigOutdated`.
   * @default - no such alert (Istio's proxies get theirs from istiod)
   */
  readonly configVersion?: string;
}

/**
 * Alerts for one service and its edges to `upstreams`; they read the series
 * of the mesh's `meshRecordingRules`, which must be loaded too.
 *
 * | Alert | Urgency | Fires when, for `for` |
 * | --- | --- | --- |
 * | `MeshHighErrorRatio` | page | inbound 5xx ratio > `errorRatio` |
 * | `MeshHighLatency` | page | inbound p99 > `latencyP99Ms` |
 * | `MeshNoTraffic` | page | no inbound request although sidecars run (only when `expectTraffic`) |
 * | `MeshSidecarDown` | ticket | a pod's sidecar fails its scrape (`up == 0`) or is draining (`envoy_server_live == 0`) |
 * | `MeshSidecarsAbsent` | page if `expectTraffic`, else ticket | no scrape target of the service at all |
 * | `MeshConfigRejected` | ticket | a sidecar refused (or, for files, could not read) a listener, cluster, route or filter update in the last 15m |
 * | `MeshConfigOutdated` | ticket | a sidecar's files do not all report `configVersion` (only when given) |
 * | `MeshEdgeHighErrorRatio` | ticket | 5xx ratio the service gets from an upstream > `errorRatio` |
 * | `MeshEdgeHighLatency` | ticket | p99 of the service's calls to an upstream > `latencyP99Ms` |
 * | `MeshOutlierEjections` | info | a sidecar of the service has ejected hosts of an upstream |
 * | `MeshCircuitBreakerOpen` | info | a circuit breaker of a cluster of an upstream is at its limit |
 * | `MeshCircuitBreakerOverflow` | ticket | requests to an upstream fail because a circuit breaker is at its limit |
 *
 * The edge alerts exist only when there are upstreams. Every alert has the
 * labels `severity`, `namespace` and `mesh_service` (the service this group
 * belongs to; for edges, the caller).
 *
 * On Istio's sidecars (`metrics.proxy` is `istio`) the alerts on the recorded
 * series are the same (see `meshRecordingRules`), and so are
 * `MeshSidecarDown`, `MeshSidecarsAbsent` and `MeshConfigRejected`, whose
 * Envoy statistics (`server.live`, `listener_manager.lds.update_rejected`,
 * `cluster_manager.cds.update_rejected`) Istio's proxy exports by default; the
 * rejected configuration is then an update from istiod. Of the last three,
 * only `MeshCircuitBreakerOverflow` has an Istio equivalent, per upstream
 * rather than per cluster: `MeshOutlierEjections` and `MeshCircuitBreakerOpen`
 * are left out (see `istioProxyAlerts`).
 */
export function alertRules(service: ServiceRef, upstreams: ServiceRef[], options: AlertOptions): PromRuleGroup {
  assertServices(service, upstreams);
  assertOptions(options);
  const a = new AlertFactory(service, options);
  const own = { namespace: service.namespace, [SERVICE_LABEL]: service.name };
  const target = { ...own, ...options.sidecarTarget };
  const where = '{{ $labels.namespace }}/{{ $labels.mesh_service }}';
  const edge = '{{ $labels.namespace }}/{{ $labels.caller }} -> {{ $labels.upstream }}';
  const metrics = options.metrics ?? ENVOY_REQUEST_METRICS;
  const errorRatio = num(options.errorRatio);
  const latency = num(options.latencyP99Ms);

  const rules: PromRule[] = [
    a.alert('MeshHighErrorRatio', 'page', `${selector(INBOUND_RECORDS.errorRatio, own)} > ${errorRatio}`,
      `${where} answers too many requests with 5xx`,
      `{{ $value | humanizePercentage }} of the requests to ${where} failed with 5xx over 5m (threshold ${percent(options.errorRatio)}).`),
    a.alert('MeshHighLatency', 'page', `${selector(INBOUND_RECORDS.latency[99], own)} > ${latency}`,
      `${where} is slow`,
      `The 99th percentile latency of ${where} is {{ printf "%.0f" $value }}ms over 5m (threshold ${latency}ms).`),
    ...(options.expectTraffic ? [a.alert('MeshNoTraffic', 'page', `${selector(INBOUND_RECORDS.rate, own)} == 0`,
      `${where} receives no requests`,
      `The sidecars of ${where} have received no request for at least ${a.for}, although the service is expected to have traffic.`)] : []),
    a.alert('MeshSidecarDown', 'ticket', `(${selector(UP, target)} == 0) or (${selector(SERVER_LIVE, target)} == 0)`,
      `A sidecar of ${where} is down`,
      `The sidecar of pod {{ $labels.pod }} of ${where} cannot be scraped (up == 0) or is draining (envoy_server_live == 0).`),
    a.alert('MeshSidecarsAbsent', options.expectTraffic ? 'page' : 'ticket', `absent(${selector(UP, target)})`,
      `${where} has no sidecar`,
      `Prometheus has no scrape target for ${where}: no pod runs, or the PodMonitor selects none.`),
    a.alert('MeshConfigRejected', 'ticket', `max by (namespace, ${SERVICE_LABEL}, pod) (${increaseEach(REJECTED[metrics.proxy].counters, target)}) > 0`,
      `A sidecar of ${where} refused its new configuration`,
      `The sidecar of pod {{ $labels.pod }} of ${where} ${REJECTED[metrics.proxy].what}: see its log, or /config_dump on the admin port.`),
    ...(options.configVersion === undefined ? [] : [configOutdated(a, target, where, options.configVersion)]),
  ];
  if (upstreams.length > 0) {
    const callerMatch = { namespace: service.namespace, caller: service.name };
    rules.push(
      a.alert('MeshEdgeHighErrorRatio', 'ticket', `${selector(EDGE_RECORDS.errorRatio, callerMatch)} > ${errorRatio}`,
        `Calls ${edge} fail`,
        `{{ $value | humanizePercentage }} of the requests ${edge} failed with 5xx over 5m, as the caller saw them (threshold ${percent(options.errorRatio)}).`),
      a.alert('MeshEdgeHighLatency', 'ticket', `${selector(EDGE_RECORDS.latency[99], callerMatch)} > ${latency}`,
        `Calls ${edge} are slow`,
        `The 99th percentile latency of the requests ${edge} is {{ printf "%.0f" $value }}ms over 5m, as the caller saw it (threshold ${latency}ms).`),
      ...metrics.proxyAlerts(a, service, upstreams),
    );
  }
  return { name: `mesh-alerts/${qualifiedName(service)}`, rules };
}

/**
 * What a sidecar refuses when its configuration changes. LDS and CDS apply
 * each resource of an update on its own and report the update refused when
 * one fails (`LdsApiImpl::onConfigUpdate` in source/common/listener_manager/lds_api.cc,
 * `CdsApiHelper::onConfigUpdate` in source/common/upstream/cds_api_helper.cc):
 * the sidecar may run part of the new file.
 */
const REJECTED = {
  envoy: {
    counters: CONFIG_FILE_FAILED,
    what: 'refused or could not read a listener, cluster, route or filter file; it keeps the previous version, '
      + 'though of a refused listener or cluster file it may apply the resources that were valid',
  },
  istio: { counters: CONFIG_REJECTED, what: 'refused a listener or cluster update from istiod; it keeps the previous version of what it refused' },
};

/**
 * `increase` over 15m of every counter named by `regex`. `increase` drops
 * the metric name, and two counters of one sidecar (LDS and CDS) would then
 * collide ("vector cannot contain metrics with the same labelset"): the name
 * is copied to `stat` first, in a subquery.
 */
function increaseEach(regex: string, target: Record<string, string>): string {
  return `increase(label_replace(${selector('', { [NAME]: { regex }, ...target })}, "stat", "$1", ${quote(NAME)}, "(.+)")[15m:])`;
}

/**
 * `MeshConfigOutdated`: some `version` gauge of a sidecar is not the
 * expected configuration's, for `for`: the kubelet has not delivered the
 * ConfigMap yet (up to about a minute, plus its cache), or Envoy refused or
 * could not read a file. Its value is how many files lag. The expected
 * value comes with this rule, applied with the ConfigMap; a gauge above 2^53
 * loses precision in Prometheus, identically for both sides (see
 * envoy-version.ts), so two versions compare equal only when their hashes
 * round to the same float64 (a chance of about 2^-53).
 */
function configOutdated(a: AlertFactory, target: Record<string, string>, where: string, version: string): PromRule {
  const versions = selector('', { [NAME]: { regex: CONFIG_VERSION }, ...target });
  return a.alert('MeshConfigOutdated', 'ticket',
    `count by (namespace, ${SERVICE_LABEL}, pod) (${versions} != ${String(envoyVersionGauge(version))})`,
    `A sidecar of ${where} does not run its current configuration`,
    `{{ $value }} configuration files of the sidecar of pod {{ $labels.pod }} of ${where} are not at version ${version} `
      + '(the version_info of its ConfigMap\'s files): the kubelet has not updated the mounted ConfigMap, or Envoy refused a file '
      + '(see MeshConfigRejected and /config_dump on the admin port).');
}

function percent(ratio: number): string {
  return `${num(ratio * 100)}%`;
}

const DURATION = /^(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?$/;

function assertOptions(options: AlertOptions): void {
  const errors: string[] = [];
  if (!(options.errorRatio > 0 && options.errorRatio < 1)) {
    errors.push(`errorRatio ${options.errorRatio} is invalid: use a share of responses between 0 and 1 exclusive, e.g. 0.05 for 5%`);
  }
  if (!(options.latencyP99Ms > 0 && Number.isFinite(options.latencyP99Ms))) {
    errors.push(`latencyP99Ms ${options.latencyP99Ms} is invalid: use a positive, finite number of milliseconds`);
  }
  if (options.for !== undefined && (options.for === '' || !DURATION.test(options.for))) {
    errors.push(`for '${options.for}' is invalid: use a Prometheus duration such as '5m' or '1h30m'`);
  }
  if (options.configVersion !== undefined && !/^[A-Za-z0-9._:-]+$/.test(options.configVersion)) {
    errors.push(`configVersion ${JSON.stringify(options.configVersion)} is invalid: use letters, digits and '.', '_', ':', '-'`);
  }
  if (errors.length > 0) throw new Error(`invalid alert options:\n  ${errors.join('\n  ')}`);
}
