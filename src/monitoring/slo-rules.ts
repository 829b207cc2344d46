import { leRegex } from './buckets';
import { ErrorsAndRequests } from './caller-view';
import { MESH_LABEL, SERVICE_LABEL } from './metrics';
import { quote, rate, selector, sumBy } from './promql';
import { RequestMetrics } from './request-metrics';
import { BURN_RATE_ALERTS, latencySlo, OBJECTIVE_ALERT_LABELS, PERIOD_DAYS, SLO_WINDOWS, SloWindow } from './slo';
import { PromRule, PromRuleGroup } from './types';

export interface MeshSloOptions {
  /** The series the indicators are computed from. */
  readonly metrics: RequestMetrics;
  /** The thresholds of the mesh's latency objectives, milliseconds (a few; each adds to the expressions, not to the rules). */
  readonly latencyThresholdsMs: readonly number[];
  /** Evaluation interval of the group. @default - the Prometheus global default */
  readonly interval?: string;
}

const BY = [MESH_LABEL, 'namespace', SERVICE_LABEL];
/** Records of the 5m rates each indicator's windows are summed from. */
const ERRORS_5M = 'mesh_service:slo_errors:rate5m';
const REQUESTS_5M = 'mesh_service:slo_requests:rate5m';
/** Windows computed from the raw counters: short enough to cost little, and exact where alerts need a quick start. */
const RAW_WINDOWS: readonly SloWindow[] = ['30m', '1h'];
const OBJECTIVE = 'slo:objective:ratio';

/**
 * The SLOs of a whole mesh, in Sloth's conventions (slok/sloth,
 * pkg/common/conventions/slo.go), in one group whose number of rules does
 * not depend on the number of services or objectives. Each objective is a
 * series `slo:objective:ratio` of its service's own rules (`sloRules`); here:
 * - `mesh_service:slo_errors:rate5m`, `mesh_service:slo_requests:rate5m`: bad
 *   and all requests per second over 5m, of every objective (`sloth_slo`), from
 *   each view (`slo_view`: `own`, the service's sidecars; `callers`, its mesh
 *   callers' sidecars, availability only);
 * - `slo:sli_error:ratio_rate<w>` (`sloth_window`): the worse view's error ratio,
 *   over 5m from those rates, over 30m and 1h from the raw counters, over 2h,
 *   6h, 1d and 3d as the ratio of the sums over time of the 5m rates, and over
 *   30d as the mean of the 5m ratios (Sloth's);
 * - `slo:error_budget:ratio`, `slo:time_period:days`, `slo:current_burn_rate:ratio`,
 *   `slo:period_burn_rate:ratio`, `slo:period_error_budget_remaining:ratio`, `sloth_slo_info`;
 * - alerts `MeshAvailabilitySLOBurn` and `MeshLatencySLOBurn` (see
 *   `BURN_RATE_ALERTS`), and `MeshLatencySLOBucketMissing`.
 * Series carry `mesh`, `namespace`, `mesh_service`, `sloth_id`,
 * `sloth_service`, `sloth_slo`. The availability error ratio is the worse of
 * the service's own view and its callers' view, which also sees requests
 * that never reached the service (every sidecar down, the network, a refused
 * handshake) but not those the callers' own sidecars answered (circuit
 * breaker overflow, fault injection: see `RequestMetrics.callersView`).
 * Prometheus must retain 30 days of the 5m series and 1h of raw samples.
 */
export function meshSloRules(mesh: string, options: MeshSloOptions): PromRuleGroup {
  const m = { [MESH_LABEL]: mesh };
  const indicators = (window: string) => indicatorViews(mesh, window, options);
  const objective = selector(OBJECTIVE, m);
  /** The objective's labels without those for the alerts. */
  const meta = `max without (${Object.values(OBJECTIVE_ALERT_LABELS).join(', ')}) (${objective})`;
  const sli = (window: string) => selector(`slo:sli_error:ratio_rate${window}`, m);
  const record = (name: string, expr: string, window?: string): PromRule =>
    ({ record: name, expr, labels: { ...m, ...(window && { sloth_window: window }) } });
  const fiveMinute = indicators('5m');
  const rules: PromRule[] = [
    record(ERRORS_5M, fiveMinute.map(v => `(${v.errors} or 0 * ${v.requests})`).join(' or ')),
    record(REQUESTS_5M, fiveMinute.map(v => v.requests).join(' or ')),
    ...SLO_WINDOWS.map(window => {
      let ratio: string;
      if (window === '5m') ratio = `${selector(ERRORS_5M, m)} / ${selector(REQUESTS_5M, m)}`;
      else if (RAW_WINDOWS.includes(window)) ratio = indicators(window).map(v => `(${v.errors} or 0 * ${v.requests}) / ${v.requests}`).join(' or ');
      else ratio = `sum_over_time(${selector(ERRORS_5M, m)}[${window}]) / sum_over_time(${selector(REQUESTS_5M, m)}[${window}])`;
      // `>= 0` drops the NaN of a window without requests (which would spoil Sloth's 30-day mean of the 5m ratios).
      return record(`slo:sli_error:ratio_rate${window}`, `${slothLabels(`max without (slo_view) (${ratio})`)} >= 0`, window);
    }),
    record(`slo:sli_error:ratio_rate${PERIOD_DAYS}d`,
      `sum_over_time(${sli('5m')}[${PERIOD_DAYS}d]) / count_over_time(${sli('5m')}[${PERIOD_DAYS}d])`, `${PERIOD_DAYS}d`),
    record('slo:error_budget:ratio', `1 - ${meta}`),
    record('slo:time_period:days', `0 * ${meta} + ${PERIOD_DAYS}`),
    record('slo:current_burn_rate:ratio', burnRate(sli('5m'), m)),
    record('slo:period_burn_rate:ratio', burnRate(sli(`${PERIOD_DAYS}d`), m)),
    record('slo:period_error_budget_remaining:ratio', `1 - ${selector('slo:period_burn_rate:ratio', m)}`),
    { record: 'sloth_slo_info', expr: `0 * ${meta} + 1`, labels: { ...m, sloth_mode: 'cdk8s-mesh', sloth_spec: 'prometheus/v1' } },
    ...burnAlerts(m),
    ...bucketMissing(m, options),
  ];
  return { name: `mesh-slo/${mesh}`, ...(options.interval && { interval: options.interval }), rules };
}

/** Each view of each indicator over `window`: errors and requests by `mesh`, `namespace`, `mesh_service`, `sloth_slo`, `slo_view`, for the services with that objective. */
function indicatorViews(mesh: string, window: string, options: MeshSloOptions): ErrorsAndRequests[] {
  const { metrics } = options;
  const inbound = { [MESH_LABEL]: mesh, ...metrics.inbound };
  const tagged = (view: ErrorsAndRequests, slo: string, viewName: string): ErrorsAndRequests => {
    const tag = (expr: string) => `label_replace(label_replace(${expr}, "sloth_slo", ${quote(slo)}, "", ""), "slo_view", ${quote(viewName)}, "", "")`;
    const withObjective = (expr: string) => `(${tag(expr)} and on (${BY.join(', ')}) ${selector(OBJECTIVE, { [MESH_LABEL]: mesh, sloth_slo: slo })})`;
    return { errors: withObjective(view.errors), requests: withObjective(view.requests) };
  };
  const own = {
    errors: sumBy(BY, rate(metrics.serverErrors(inbound), window)),
    requests: sumBy(BY, rate(metrics.requests(inbound), window)),
  };
  const latency = (thresholdMs: number) => {
    // Only histograms that have the threshold bucket count: a pod without it must not look all slow.
    const threshold = selector(metrics.durationBucket, { ...inbound, le: { regex: leRegex(thresholdMs) } });
    const total = sumBy(BY, `${rate(selector(metrics.durationBucket, { ...inbound, le: '+Inf' }), window)} and ignoring (le) ${threshold}`);
    return tagged({ errors: `(${total} - ${sumBy(BY, rate(threshold, window))})`, requests: total }, latencySlo(thresholdMs), 'own');
  };
  return [
    tagged(own, 'availability', 'own'),
    tagged(metrics.callersView(mesh, window), 'availability', 'callers'),
    ...[...new Set(options.latencyThresholdsMs)].sort((a, b) => a - b).map(latency),
  ];
}

/** Adds Sloth's `sloth_service` and `sloth_id` (`<namespace>-<service>-<slo>`, as the objective's). */
function slothLabels(expr: string): string {
  return `label_join(label_replace(${expr}, "sloth_service", "$1", ${quote(SERVICE_LABEL)}, "(.*)"), "sloth_id", "-", "namespace", ${quote(SERVICE_LABEL)}, "sloth_slo")`;
}

function burnRate(sli: string, m: Record<string, string>): string {
  return `max without (sloth_window) (${sli}) / on (${MESH_LABEL}, sloth_id) group_left ${selector('slo:error_budget:ratio', m)}`;
}

const SERIES = '{{ $labels.namespace }}/{{ $labels.mesh_service }}';

/** The burn alerts of every objective of the mesh: a page and a ticket per kind; severities and runbooks come from the objective's labels. */
function burnAlerts(m: Record<string, string>): PromRule[] {
  const kinds = [
    { name: 'MeshAvailabilitySLOBurn', kind: 'availability', slo: { regex: 'availability' }, what: '{{ $labels.slo_target }}% of requests without 5xx' },
    { name: 'MeshLatencySLOBurn', kind: 'latency', slo: { regex: 'latency-.+' }, what: '{{ $labels.slo_target }}% of requests within {{ reReplaceAll "latency-" "" $labels.slo }}' },
  ];
  return kinds.flatMap(({ name, kind, slo, what }) => BURN_RATE_ALERTS.map(({ burn, urgency, conditions }) => {
    const rateOf = (window: SloWindow) => `(max without (sloth_window) (${selector(`slo:sli_error:ratio_rate${window}`, { ...m, sloth_slo: slo })}) `
      + `/ on (${MESH_LABEL}, sloth_id) group_left (sloth_objective) ${selector('slo:error_budget:ratio', m)})`;
    const firing = conditions.map(c => `(${rateOf(c.long)} > ${c.factor} and ${rateOf(c.short)} > ${c.factor})`).join(' or ');
    return {
      alert: name,
      expr: alertLabels(`(${firing}) * on (${MESH_LABEL}, sloth_id) group_left (${OBJECTIVE_ALERT_LABELS[urgency]}, ${OBJECTIVE_ALERT_LABELS.runbook}) `
        + `(0 * ${selector(OBJECTIVE, m)} + 1)`, OBJECTIVE_ALERT_LABELS[urgency]),
      labels: { ...m, burn },
      annotations: {
        summary: `${SERIES} burns the error budget of its ${kind} SLO ${burn === 'fast' ? 'fast' : 'steadily'}`,
        description: `${SERIES} burns the error budget of its objective "${what}" over ${PERIOD_DAYS} days at {{ $value | humanize }} times the sustainable rate `
          + `(${conditions.map(c => `${c.long} and ${c.short} windows above ${c.factor}x`).join(', or ')}).`,
        runbook_url: `{{ $labels.${OBJECTIVE_ALERT_LABELS.runbook} }}`,
      },
    };
  }));
}

/** `severity` from the objective's label for the urgency, `slo` and `slo_target` from Sloth's labels; the severity labels dropped. */
function alertLabels(expr: string, severityLabel: string): string {
  const labelled = `label_replace(label_replace(label_replace(${expr}, "severity", "$1", ${quote(severityLabel)}, "(.*)"), `
    + '"slo", "$1", "sloth_slo", "(.*)"), "slo_target", "$1", "sloth_objective", "(.*)")';
  return `max without (${OBJECTIVE_ALERT_LABELS.page}, ${OBJECTIVE_ALERT_LABELS.ticket}) (${labelled})`;
}

/** `MeshLatencySLOBucketMissing` (ticket): a pod's histogram lacks the threshold bucket of its service's latency objective. */
function bucketMissing(m: Record<string, string>, options: MeshSloOptions): PromRule[] {
  const thresholds = [...new Set(options.latencyThresholdsMs)].sort((a, b) => a - b);
  if (thresholds.length === 0) return [];
  const inbound = { ...m, ...options.metrics.inbound };
  const lacking = thresholds.map(ms => `(count by (${[...BY, 'pod'].join(', ')}) (${selector(options.metrics.durationBucket, { ...inbound, le: '+Inf' })} `
    + `unless ignoring (le) ${selector(options.metrics.durationBucket, { ...inbound, le: { regex: leRegex(ms) } })}) `
    + `* on (${BY.join(', ')}) group_left (sloth_slo, sloth_objective, ${OBJECTIVE_ALERT_LABELS.ticket}, ${OBJECTIVE_ALERT_LABELS.bucketRunbook}) `
    + `(0 * ${selector(OBJECTIVE, { ...m, sloth_slo: latencySlo(ms) })} + 1))`);
  return [{
    alert: 'MeshLatencySLOBucketMissing',
    expr: alertLabels(lacking.join(' or '), OBJECTIVE_ALERT_LABELS.ticket),
    for: '15m',
    labels: m,
    annotations: {
      summary: `${SERIES} cannot evaluate its latency SLO`,
      description: `The sidecar of pod {{ $labels.pod }} of ${SERIES} has no histogram bucket at {{ reReplaceAll "latency-" "" $labels.slo }}, so its requests `
        + 'are left out of the objective "{{ $labels.slo_target }}% of requests within {{ reReplaceAll "latency-" "" $labels.slo }}": '
        + `add the threshold to the sidecar's histogram buckets (${BUCKET_SETTING[options.metrics.proxy]}).`,
      runbook_url: `{{ $labels.${OBJECTIVE_ALERT_LABELS.bucketRunbook} }}`,
    },
  }];
}

/** Where the buckets of the sidecars' duration histograms are set. */
const BUCKET_SETTING = {
  envoy: 'latencyBuckets',
  istio: 'Istio: the pod annotation sidecar.istio.io/statsHistogramBuckets',
};

