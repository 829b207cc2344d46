import {
  CIRCUIT_BREAKER_OPEN_PREFIX, CONFIG_REJECTED, CIRCUIT_BREAKERS, CLUSTER_EJECTIONS_ACTIVE, CLUSTER_NAME_LABEL, CLUSTER_RQ_PENDING_OVERFLOW,
  SERVER_LIVE, SERVICE_LABEL, UP,
} from './metrics';
import { num, quote, rate, regexEscape, selector } from './promql';
import { EDGE_RECORDS, INBOUND_RECORDS } from './recording-rules';
import { assertServices, qualifiedName } from './service-ref';
import { KUBE_PROMETHEUS_SEVERITIES, runbookAnnotation, SeverityLabels, Urgency } from './severity';
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
 * | `MeshConfigRejected` | ticket | a sidecar refused a new listener, cluster or route file in the last 15m (it keeps the old one) |
 * | `MeshEdgeHighErrorRatio` | ticket | 5xx ratio the service gets from an upstream > `errorRatio` |
 * | `MeshEdgeHighLatency` | ticket | p99 of the service's calls to an upstream > `latencyP99Ms` |
 * | `MeshOutlierEjections` | info | a sidecar of the service has ejected hosts of an upstream |
 * | `MeshCircuitBreakerOpen` | info | a circuit breaker of a cluster of an upstream is at its limit |
 * | `MeshCircuitBreakerOverflow` | ticket | requests to an upstream fail because a circuit breaker is at its limit |
 *
 * The edge alerts exist only when there are upstreams. Every alert has the
 * labels `severity`, `namespace` and `mesh_service` (the service this group
 * belongs to; for edges, the caller).
 */
export function alertRules(service: ServiceRef, upstreams: ServiceRef[], options: AlertOptions): PromRuleGroup {
  assertServices(service, upstreams);
  assertOptions(options);
  const a = new AlertFactory(service, options);
  const own = { namespace: service.namespace, [SERVICE_LABEL]: service.name };
  const target = { ...own, ...options.sidecarTarget };
  const where = '{{ $labels.namespace }}/{{ $labels.mesh_service }}';
  const edge = '{{ $labels.namespace }}/{{ $labels.caller }} -> {{ $labels.upstream }}';
  const cluster = '{{ $labels.namespace }}/{{ $labels.mesh_service }} -> {{ $labels.upstream }} (cluster {{ $labels.envoy_cluster_name }})';
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
    a.alert('MeshConfigRejected', 'ticket',
      `max by (namespace, ${SERVICE_LABEL}, pod) (increase(${selector('', { [NAME]: { regex: CONFIG_REJECTED.join('|') }, ...target })}[15m])) > 0`,
      `A sidecar of ${where} refused its new configuration`,
      `The sidecar of pod {{ $labels.pod }} of ${where} refused a listener, cluster or route file and still runs the previous one: `
        + 'see its log, or /config_dump on the admin port.'),
  ];
  if (upstreams.length > 0) {
    const callerMatch = { namespace: service.namespace, caller: service.name };
    const clusters = { ...own, [CLUSTER_NAME_LABEL]: { regex: `(${upstreams.map(u => regexEscape(u.name)).join('|')})_.+` } };
    const byCluster = (expr: string, extra: string[] = []) =>
      withUpstream(`max by (${['namespace', SERVICE_LABEL, CLUSTER_NAME_LABEL, ...extra].join(', ')}) (${expr})`);
    const breakersOpen = selector('', { [NAME]: { regex: `${CIRCUIT_BREAKER_OPEN_PREFIX}(${CIRCUIT_BREAKERS.join('|')})_open` }, ...clusters });
    rules.push(
      a.alert('MeshEdgeHighErrorRatio', 'ticket', `${selector(EDGE_RECORDS.errorRatio, callerMatch)} > ${errorRatio}`,
        `Calls ${edge} fail`,
        `{{ $value | humanizePercentage }} of the requests ${edge} failed with 5xx over 5m, as the caller saw them (threshold ${percent(options.errorRatio)}).`),
      a.alert('MeshEdgeHighLatency', 'ticket', `${selector(EDGE_RECORDS.latency[99], callerMatch)} > ${latency}`,
        `Calls ${edge} are slow`,
        `The 99th percentile latency of the requests ${edge} is {{ printf "%.0f" $value }}ms over 5m, as the caller saw it (threshold ${latency}ms).`),
      a.alert('MeshOutlierEjections', 'info', `${byCluster(selector(CLUSTER_EJECTIONS_ACTIVE, clusters))} > 0`,
        `Outlier detection ejected hosts: ${cluster}`,
        'A sidecar of {{ $labels.namespace }}/{{ $labels.mesh_service }} has ejected {{ $value }} hosts of cluster {{ $labels.envoy_cluster_name }}.'),
      a.alert('MeshCircuitBreakerOpen', 'info', `${withBreaker(byCluster(breakersOpen, [NAME]))} > 0`,
        `Circuit breaker open: ${cluster}`,
        'The {{ $labels.breaker }} circuit breaker of a sidecar of {{ $labels.namespace }}/{{ $labels.mesh_service }} is at its limit for cluster {{ $labels.envoy_cluster_name }}.'),
      a.alert('MeshCircuitBreakerOverflow', 'ticket',
        `${withUpstream(`sum by (namespace, ${SERVICE_LABEL}, ${CLUSTER_NAME_LABEL}) (${rate(selector(CLUSTER_RQ_PENDING_OVERFLOW, clusters), '5m')})`)} > 0`,
        `Circuit breaker rejects requests: ${cluster}`,
        '{{ printf "%.2f" $value }} requests/s from {{ $labels.namespace }}/{{ $labels.mesh_service }} to cluster {{ $labels.envoy_cluster_name }} failed at a circuit breaker over 5m.'),
    );
  }
  return { name: `mesh-alerts/${qualifiedName(service)}`, rules };
}

const NAME = '__name__';

class AlertFactory {
  public readonly for: string;
  constructor(private readonly service: ServiceRef, private readonly options: AlertOptions) {
    this.for = options.for ?? '5m';
  }

  public alert(name: string, urgency: Urgency, expr: string, summary: string, description: string): PromRule {
    const severity = (this.options.severities ?? KUBE_PROMETHEUS_SEVERITIES)[urgency];
    return {
      alert: name,
      expr,
      for: this.for,
      labels: { severity, namespace: this.service.namespace, [SERVICE_LABEL]: this.service.name },
      annotations: { summary, description, ...runbookAnnotation(this.options.runbookUrl, name) },
    };
  }
}

/** Adds `upstream`: the cluster name `<upstream>_<version>` without its version (Kubernetes names have no `_`). */
function withUpstream(expr: string): string {
  return `label_replace(${expr}, "upstream", "$1", ${quote(CLUSTER_NAME_LABEL)}, "(.+)_[^_]+")`;
}

/** Adds `breaker` (`cx`, `rq`, `rq_pending`, `rq_retry`) from the name of a circuit breaker gauge. */
function withBreaker(expr: string): string {
  return `label_replace(${expr}, "breaker", "$1", ${quote(NAME)}, ${quote(`${CIRCUIT_BREAKER_OPEN_PREFIX}(.+)_open`)})`;
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
  if (errors.length > 0) throw new Error(`invalid alert options:\n  ${errors.join('\n  ')}`);
}
