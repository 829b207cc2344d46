import { AlertFactory, asService, NAME, SERVICE_KEY } from './alert-factory';
import { AlertProfile, distinctProfiles, ResolvedProfile } from './alert-profile';
import { ALERT_SETTINGS, CONFIG_VERSION_LABEL, EXPECT_TRAFFIC_LABEL, settingTemplate } from './alert-settings';
import { EDGE_KEY, edgeInfo } from './edge-info';
import { CONFIG_FILE_FAILED, CONFIG_REJECTED, CONFIG_VERSION, MESH_LABEL, SERVER_LIVE, UP } from './metrics';
import { quote, selector } from './promql';
import { EDGE_RECORDS, INBOUND_RECORDS } from './records';
import { ENVOY_REQUEST_METRICS, RequestMetrics } from './request-metrics';
import { PromRule, PromRuleGroup } from './types';

/** What the alerts of a whole mesh read, and which alert sets it needs. */
export interface MeshAlertOptions {
  /** The sidecars' request metrics, which decide the alerts on their resilience mechanisms. @default ENVOY_REQUEST_METRICS */
  readonly metrics?: RequestMetrics;
  /** The profiles (severities, runbook, `for`) the mesh's services use: one alert set each, duplicates counted once. @default - the default profile */
  readonly profiles?: readonly AlertProfile[];
  /**
   * Labels (exact values) that tell the sidecars' scrape targets from other
   * targets of the same pods, such as the application's own metrics scraped
   * by the same PodMonitor: e.g. `{ mesh_target: 'sidecar' }`.
   * @default - every target of the mesh
   */
  readonly sidecarTarget?: Record<string, string>;
  /**
   * Whether the edge alerts cover only the calls to a caller's upstreams, as
   * its edge info series (`edgeInfoRules`, in the caller's own rules) list
   * them: Istio's proxies report calls to any destination (hosts outside the
   * mesh, passthrough), the mesh's own sidecars only to the upstreams they
   * were given.
   * @default false - every edge
   */
  readonly declaredEdgesOnly?: boolean;
  /** Whether the mesh's own sidecars reload versioned files: adds `MeshConfigOutdated`. @default false (Istio's proxies get theirs from istiod) */
  readonly configOutdated?: boolean;
}

/**
 * The alerts of a whole mesh: one group per profile its services use (one
 * group when all use the defaults), each with a fixed set of rules whatever
 * the number of services and calls. They compare the series of the mesh's
 * `meshRecordingRules` with each service's settings series
 * (`alertSettingRules`: thresholds, expected traffic and configuration
 * version), which must be loaded too, joining on `mesh`, `namespace` and
 * `mesh_service` (for edges, the caller's settings, joined on `caller`). A
 * service without settings series gets no alert.
 *
 * | Alert | Urgency | Fires when, for `for` |
 * | --- | --- | --- |
 * | `MeshHighErrorRatio` | page | inbound 5xx ratio > the service's `errorRatio` |
 * | `MeshHighLatency` | page | inbound p99 > the service's `latencyP99Ms` |
 * | `MeshNoTraffic` | page | no inbound request although sidecars run (only services with `expectTraffic`) |
 * | `MeshSidecarDown` | ticket | a pod's sidecar fails its scrape (`up == 0`) or is draining (`envoy_server_live == 0`) |
 * | `MeshSidecarsAbsent` | page if `expectTraffic`, else ticket | no scrape target of the service at all (its settings series list the services expected) |
 * | `MeshConfigRejected` | ticket | a sidecar refused (or, for files, could not read) a listener, cluster, route or filter update in the last 15m |
 * | `MeshConfigOutdated` | ticket | a sidecar's files do not all report the service's `configVersion` (only with `configOutdated`) |
 * | `MeshEdgeHighErrorRatio` | ticket | 5xx ratio a caller gets from an upstream > the caller's `errorRatio` |
 * | `MeshEdgeHighLatency` | ticket | p99 of a caller's calls to an upstream > the caller's `latencyP99Ms` |
 * | `MeshOutlierEjections` | info | a sidecar of the service has ejected hosts of an upstream |
 * | `MeshCircuitBreakerOpen` | info | a circuit breaker of a cluster of an upstream is at its limit |
 * | `MeshCircuitBreakerOverflow` | ticket | requests to an upstream fail because a circuit breaker is at its limit |
 *
 * Every alert has the labels `severity`, `mesh`, `namespace` and
 * `mesh_service` (the service; for edges, the caller). The annotations read
 * the thresholds and version from the settings series (template `query`).
 *
 * On Istio's sidecars (`metrics.proxy` is `istio`) the alerts on the recorded
 * series are the same (see `meshRecordingRules`; the mesh passes
 * `declaredEdgesOnly`, so edges need the callers' `edgeInfoRules` too), and so are
 * `MeshSidecarDown`, `MeshSidecarsAbsent` and `MeshConfigRejected`, whose
 * Envoy statistics (`server.live`, `listener_manager.lds.update_rejected`,
 * `cluster_manager.cds.update_rejected`) Istio's proxy exports by default; the
 * rejected configuration is then an update from istiod. Of the last three,
 * only `MeshCircuitBreakerOverflow` has an Istio equivalent, per upstream
 * rather than per cluster: `MeshOutlierEjections` and `MeshCircuitBreakerOpen`
 * are left out (see `istioProxyAlerts`).
 */
export function meshAlertRules(mesh: string, options: MeshAlertOptions = {}): PromRuleGroup[] {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(mesh)) throw new Error(`mesh label '${mesh}' is invalid: use lower-case letters, digits and '-'`);
  const profiles = distinctProfiles(options.profiles?.length ? options.profiles : [{}]);
  return profiles.map((profile, i) => ({
    name: i === 0 && profiles.length === 1 ? `mesh-alerts/${mesh}` : `mesh-alerts/${mesh}/${profile.id}`,
    rules: profileAlerts(mesh, profile, options),
  }));
}

function profileAlerts(mesh: string, profile: ResolvedProfile, options: MeshAlertOptions): PromRule[] {
  const a = new AlertFactory(mesh, profile, options.sidecarTarget);
  const m = { [MESH_LABEL]: mesh };
  const edgesOf = (record: string) => (options.declaredEdgesOnly
    ? `(${selector(record, m)} and on (${EDGE_KEY.join(', ')}) ${edgeInfo(mesh)})`
    : selector(record, m));
  const target = { ...m, ...options.sidecarTarget };
  const on = `on (${SERVICE_KEY.join(', ')})`;
  const onCaller = `on (${MESH_LABEL}, namespace, caller)`;
  const where = '{{ $labels.namespace }}/{{ $labels.mesh_service }}';
  const edge = '{{ $labels.namespace }}/{{ $labels.caller }} -> {{ $labels.upstream }}';
  const metrics = options.metrics ?? ENVOY_REQUEST_METRICS;
  const { errorRatio, latencyP99Ms } = ALERT_SETTINGS;
  const ratioOf = (service?: string) => settingTemplate(errorRatio, 'value | humanizePercentage', service);
  const latencyOf = (service?: string) => `${settingTemplate(latencyP99Ms, 'value', service)}ms`;
  const absent = (expect: boolean) => a.alert('MeshSidecarsAbsent', expect ? 'page' : 'ticket',
    `count by (${SERVICE_KEY.join(', ')}) (${a.setting(errorRatio, { [EXPECT_TRAFFIC_LABEL]: String(expect) })} unless ${on} ${selector(UP, target)})`,
    `${where} has no sidecar`,
    `Prometheus has no scrape target for ${where}: no pod runs, or the PodMonitor selects none.`);

  return [
    a.alert('MeshHighErrorRatio', 'page', `${selector(INBOUND_RECORDS.errorRatio, m)} > ${on} ${a.setting(errorRatio)}`,
      `${where} answers too many requests with 5xx`,
      `{{ $value | humanizePercentage }} of the requests to ${where} failed with 5xx over 5m (threshold ${ratioOf()}).`),
    a.alert('MeshHighLatency', 'page', `${selector(INBOUND_RECORDS.latency[99], m)} > ${on} ${a.setting(latencyP99Ms)}`,
      `${where} is slow`,
      `The 99th percentile latency of ${where} is {{ printf "%.0f" $value }}ms over 5m (threshold ${latencyOf()}).`),
    a.alert('MeshNoTraffic', 'page', a.ofServices(`${selector(INBOUND_RECORDS.rate, m)} == 0`, { [EXPECT_TRAFFIC_LABEL]: 'true' }),
      `${where} receives no requests`,
      `The sidecars of ${where} have received no request for at least ${a.for}, although the service is expected to have traffic.`),
    a.alert('MeshSidecarDown', 'ticket', a.ofServices(`(${selector(UP, target)} == 0) or (${selector(SERVER_LIVE, target)} == 0)`),
      `A sidecar of ${where} is down`,
      `The sidecar of pod {{ $labels.pod }} of ${where} cannot be scraped (up == 0) or is draining (envoy_server_live == 0).`),
    absent(true),
    absent(false),
    a.alert('MeshConfigRejected', 'ticket',
      a.ofServices(`max by (${[...SERVICE_KEY, 'pod'].join(', ')}) (${increaseEach(REJECTED[metrics.proxy].counters, target)}) > 0`),
      `A sidecar of ${where} refused its new configuration`,
      `The sidecar of pod {{ $labels.pod }} of ${where} ${REJECTED[metrics.proxy].what}: see its log, or /config_dump on the admin port.`),
    ...(options.configOutdated ? [configOutdated(a, target, where)] : []),
    a.alert('MeshEdgeHighErrorRatio', 'ticket',
      asService(`${edgesOf(EDGE_RECORDS.errorRatio)} > ${onCaller} group_left () ${a.callerSetting(errorRatio)}`),
      `Calls ${edge} fail`,
      `{{ $value | humanizePercentage }} of the requests ${edge} failed with 5xx over 5m, as the caller saw them (threshold ${ratioOf('caller')}).`),
    a.alert('MeshEdgeHighLatency', 'ticket',
      asService(`${edgesOf(EDGE_RECORDS.latency[99])} > ${onCaller} group_left () ${a.callerSetting(latencyP99Ms)}`),
      `Calls ${edge} are slow`,
      `The 99th percentile latency of the requests ${edge} is {{ printf "%.0f" $value }}ms over 5m, as the caller saw it (threshold ${latencyOf('caller')}).`),
    ...metrics.proxyAlerts(a),
  ];
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
 * value is the service's `config_version` setting series, applied with the
 * ConfigMap; a gauge above 2^53 loses precision in Prometheus, identically
 * for both sides (see envoy-version.ts), so two versions compare equal only
 * when their hashes round to the same float64 (a chance of about 2^-53).
 */
function configOutdated(a: AlertFactory, target: Record<string, string>, where: string): PromRule {
  const versions = selector('', { [NAME]: { regex: CONFIG_VERSION }, ...target });
  const version = settingTemplate(ALERT_SETTINGS.configVersion, `label ${quote(CONFIG_VERSION_LABEL)}`);
  return a.alert('MeshConfigOutdated', 'ticket',
    `count by (${[...SERVICE_KEY, 'pod'].join(', ')}) (${versions} != on (${SERVICE_KEY.join(', ')}) group_left () ${a.setting(ALERT_SETTINGS.configVersion)})`,
    `A sidecar of ${where} does not run its current configuration`,
    `{{ $value }} configuration files of the sidecar of pod {{ $labels.pod }} of ${where} are not at version ${version} `
      + '(the version_info of its ConfigMap\'s files): the kubelet has not updated the mounted ConfigMap, or Envoy refused a file '
      + '(see MeshConfigRejected and /config_dump on the admin port).');
}
