import { leRegex } from './buckets';
import { SERVICE_LABEL } from './metrics';
import { Matcher, num, rate, ratio, selector, sumBy } from './promql';
import { ENVOY_REQUEST_METRICS, RequestMetrics } from './request-metrics';
import { assertServices, qualifiedName } from './service-ref';
import { KUBE_PROMETHEUS_SEVERITIES, runbookAnnotation, SeverityLabels, Urgency } from './severity';
import { PromRule, PromRuleGroup, ServiceRef } from './types';

/**
 * A service level objective on a service's inbound requests (from the mesh
 * and from its edge listeners), over 30 days.
 * - availability: `target` percent of requests get no 5xx response.
 * - latency: `target` percent of requests complete within `thresholdMs`,
 *   which must be a bucket bound of the sidecar's histogram (see `latencyBuckets`).
 */
export type Objective =
  | { readonly kind: 'availability'; readonly target: number }
  | { readonly kind: 'latency'; readonly target: number; readonly thresholdMs: number };

export interface SloOptions {
  /** Added to every alert as the `runbook_url` annotation; `{alert}` becomes the alert's name. */
  readonly runbookUrl?: string;
  /** The `severity` label of each urgency. @default KUBE_PROMETHEUS_SEVERITIES */
  readonly severities?: SeverityLabels;
  /**
   * The services whose sidecars call this one: the availability objective
   * also counts the requests they saw fail (at their `outbound_<service>`
   * listener; on Istio, what their proxies report with `reporter="source"`),
   * which include those that never reached the service's sidecars.
   * @default - none: only the service's own sidecars count
   */
  readonly callers?: ServiceRef[];
  /** The series the indicators are computed from. @default ENVOY_REQUEST_METRICS: the mesh's own Envoy sidecars */
  readonly metrics?: RequestMetrics;
  /** Evaluation interval of the groups. @default - the Prometheus global default */
  readonly interval?: string;
  /** The `mesh` label added to Sloth's series, which dashboards select. @default - none */
  readonly mesh?: string;
}

/** Windows of the recorded error ratios. */
export const SLO_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
export type SloWindow = typeof SLO_WINDOWS[number];

/** `mesh_service:slo_errors:ratio_rate<window>`: the share of bad requests over a window, labelled `slo`. */
export function sloErrorRecord(window: SloWindow): string {
  return `mesh_service:slo_errors:ratio_rate${window}`;
}

/**
 * Multiwindow, multi-burn-rate alerts (Google SRE workbook, "Alerting on
 * SLOs", ch. 5): an alert fires when the long window AND the short window
 * both burn the error budget faster than `factor` times the rate that would
 * exactly exhaust it in 30 days; the short window makes the alert stop soon
 * after the problem does.
 */
export const BURN_RATE_ALERTS: ReadonlyArray<{
  readonly burn: 'fast' | 'slow';
  readonly urgency: Urgency;
  readonly conditions: ReadonlyArray<{ readonly long: SloWindow; readonly short: SloWindow; readonly factor: number }>;
}> = [
  { burn: 'fast', urgency: 'page', conditions: [{ long: '1h', short: '5m', factor: 14.4 }, { long: '6h', short: '30m', factor: 6 }] },
  { burn: 'slow', urgency: 'ticket', conditions: [{ long: '1d', short: '2h', factor: 3 }, { long: '3d', short: '6h', factor: 1 }] },
];

/** Why `objective` is invalid, one message per problem; empty when valid. */
export function validateObjective(objective: Objective): string[] {
  const errors: string[] = [];
  const o = objective as any;
  if (o?.kind !== 'availability' && o?.kind !== 'latency') {
    return [`objective kind '${o?.kind}' is invalid: use 'availability' or 'latency'`];
  }
  if (typeof o.target !== 'number' || !(o.target > 0 && o.target < 100)) {
    errors.push(`${o.kind} objective target ${o.target} is invalid: use a percentage between 0 and 100, both exclusive, e.g. 99.9`);
  }
  if (o.kind === 'latency' && (typeof o.thresholdMs !== 'number' || !(o.thresholdMs > 0 && Number.isFinite(o.thresholdMs)))) {
    errors.push(`latency objective thresholdMs ${o.thresholdMs} is invalid: use a positive, finite number of milliseconds, e.g. 250`);
  }
  return errors;
}

/**
 * One group per objective: the error ratio of its indicator over each of
 * `SLO_WINDOWS`, then its burn-rate alerts (evaluated after the recordings
 * of the same group):
 * - `MeshAvailabilitySLOBurn` / `MeshLatencySLOBurn`, `burn="fast"` (page): 1h and 5m > 14.4x, or 6h and 30m > 6x;
 *   `burn="slow"` (ticket): 1d and 2h > 3x, or 3d and 6h > 1x. Both variants share a name, so an
 *   Alertmanager that inhibits a ticket while the page of the same name fires shows only the page.
 * - `MeshLatencySLOBucketMissing` (ticket): a pod's sidecar histogram lacks
 *   the threshold bucket, so its requests are left out of the latency SLO.
 * A latency error ratio is (all - within threshold) / all, from the `+Inf`
 * and threshold buckets of the histograms that have the threshold bucket.
 * Recorded series carry `namespace`, `mesh_service` and `slo`
 * (`availability` or `latency-<thresholdMs>ms`); alerts have these too, plus
 * `severity` and `slo_target` (the percentage). Alert values are burn rates
 * (of the long window). Prometheus must retain at least 3 days of samples.
 */
export function sloRules(service: ServiceRef, objectives: Objective[], options: SloOptions = {}): PromRuleGroup[] {
  assertServices(service);
  const errors = objectives.flatMap(validateObjective);
  const seen = new Set<string>();
  for (const objective of objectives) {
    const id = sloId(objective);
    if (seen.has(id)) errors.push(`two objectives measure '${id}': give each indicator one target`);
    seen.add(id);
  }
  if (errors.length > 0) throw new Error(`invalid objectives for '${qualifiedName(service)}':\n  ${errors.join('\n  ')}`);
  return objectives.map(objective => ({
    name: `mesh-slo/${qualifiedName(service)}/${sloId(objective)}`,
    ...(options.interval && { interval: options.interval }),
    rules: [
      ...recordings(service, objective, options.callers ?? [], options.metrics ?? ENVOY_REQUEST_METRICS),
      ...slothSeries(service, objective, options.mesh),
      ...alerts(service, objective, options),
    ],
  }));
}

/** Where the buckets of the sidecars' duration histograms are set. */
const BUCKET_SETTING = {
  envoy: 'latencyBuckets',
  istio: 'Istio: the pod annotation sidecar.istio.io/statsHistogramBuckets',
};

function thresholdBucket(metrics: RequestMetrics, matchers: Record<string, Matcher>, thresholdMs: number): string {
  return selector(metrics.durationBucket, { ...matchers, le: { regex: leRegex(thresholdMs) } });
}

function sloId(objective: Objective): string {
  return objective.kind === 'availability' ? 'availability' : `latency-${num(objective.thresholdMs)}ms`;
}

/**
 * The availability error ratio is the worse of two views: the service's own
 * sidecars (every caller, edges included), and its mesh callers' sidecars,
 * which also see the requests that fail before the service's sidecars
 * answer (all of them down, the network, a refused handshake). When every
 * sidecar of the service is gone, only the callers' view remains, and it
 * burns the budget.
 */
/** The SLO period, in days. */
const PERIOD_DAYS = 30;

/**
 * The objective's series in Sloth's conventions (https://sloth.dev, its
 * generated `slo:*` recording rules), so that Sloth's Grafana dashboards and
 * tooling read them: the SLI error ratio over 5m and over the 30-day period
 * (the mean of the 5m ratios), the objective, the error budget, the period,
 * the current and period burn rates, and the error budget remaining. Labels:
 * `sloth_id` (`<namespace>-<service>-<slo>`), `sloth_service`, `sloth_slo`,
 * beside `namespace` and `mesh_service`.
 */
function slothSeries(service: ServiceRef, objective: Objective, mesh?: string): PromRule[] {
  const labels = {
    ...(mesh && { mesh }),
    namespace: service.namespace,
    [SERVICE_LABEL]: service.name,
    sloth_id: `${service.namespace}-${service.name}-${sloId(objective)}`,
    sloth_service: service.name,
    sloth_slo: sloId(objective),
  };
  const own = selector('', { sloth_id: labels.sloth_id });
  const rule = (record: string, expr: string): PromRule => ({ record, expr, labels });
  const budget = num((100 - objective.target) / 100);
  return [
    // `>= 0` drops the NaN of a window without requests, which would otherwise spoil the 30-day mean for 30 days.
    rule('slo:sli_error:ratio_rate5m', `max(${selector(sloErrorRecord('5m'), { namespace: service.namespace, [SERVICE_LABEL]: service.name, slo: sloId(objective) })}) >= 0`),
    rule(`slo:sli_error:ratio_rate${PERIOD_DAYS}d`, `avg(avg_over_time(slo:sli_error:ratio_rate5m${own}[${PERIOD_DAYS}d]))`),
    rule('slo:objective:ratio', `vector(${num(objective.target / 100)})`),
    rule('slo:error_budget:ratio', `vector(${budget})`),
    rule('slo:time_period:days', `vector(${PERIOD_DAYS})`),
    rule('slo:current_burn_rate:ratio', `max(slo:sli_error:ratio_rate5m${own}) / ${budget}`),
    rule('slo:period_burn_rate:ratio', `max(slo:sli_error:ratio_rate${PERIOD_DAYS}d${own}) / ${budget}`),
    rule('slo:period_error_budget_remaining:ratio', `1 - max(slo:period_burn_rate:ratio${own})`),
  ];
}

function recordings(service: ServiceRef, objective: Objective, callers: ServiceRef[], metrics: RequestMetrics): PromRule[] {
  const inbound = { namespace: service.namespace, [SERVICE_LABEL]: service.name, ...metrics.inbound };
  const by = ['namespace', SERVICE_LABEL];
  const fromCallers = (series: (matchers: Record<string, Matcher>) => string, window: SloWindow) => `sum(${callers.map(caller => rate(series(
    { namespace: caller.namespace, [SERVICE_LABEL]: caller.name, ...metrics.outboundTo(service) }), window)).join(' or ')})`;
  return SLO_WINDOWS.map(window => {
    let expr: string;
    if (objective.kind === 'availability') {
      const total = sumBy(by, rate(metrics.requests(inbound), window));
      expr = ratio(sumBy(by, rate(metrics.serverErrors(inbound), window)), total);
      if (callers.length > 0) {
        const seen = ratio(fromCallers(metrics.serverErrors, window), fromCallers(metrics.requests, window));
        expr = `max(${expr} or ${seen})`;
      }
    } else {
      // Only histograms that have the threshold bucket count: a pod without it must not look all slow.
      const threshold = thresholdBucket(metrics, inbound, objective.thresholdMs);
      const total = sumBy(by, `${rate(selector(metrics.durationBucket, { ...inbound, le: '+Inf' }), window)} and ignoring (le) ${threshold}`);
      expr = `(${total} - ${sumBy(by, rate(threshold, window))}) / ${total}`;
    }
    return { record: sloErrorRecord(window), expr, labels: { namespace: service.namespace, [SERVICE_LABEL]: service.name, slo: sloId(objective) } };
  });
}

function alerts(service: ServiceRef, objective: Objective, options: SloOptions): PromRule[] {
  const kind = objective.kind === 'availability' ? 'Availability' : 'Latency';
  const what = objective.kind === 'availability'
    ? `${num(objective.target)}% of requests without 5xx`
    : `${num(objective.target)}% of requests within ${num(objective.thresholdMs)}ms`;
  const own = { namespace: service.namespace, [SERVICE_LABEL]: service.name };
  const budget = num((100 - objective.target) / 100);
  const burn = (window: SloWindow) => `${selector(sloErrorRecord(window), { ...own, slo: sloId(objective) })} / ${budget}`;
  const where = '{{ $labels.namespace }}/{{ $labels.mesh_service }}';
  const labels = { namespace: service.namespace, [SERVICE_LABEL]: service.name, slo: sloId(objective), slo_target: num(objective.target) };
  const severities = options.severities ?? KUBE_PROMETHEUS_SEVERITIES;
  const name = `Mesh${kind}SLOBurn`;

  const rules: PromRule[] = BURN_RATE_ALERTS.map(({ burn: speed, urgency, conditions }) => ({
    alert: name,
    expr: conditions.map(c => `(${burn(c.long)} > ${c.factor} and ${burn(c.short)} > ${c.factor})`).join(' or '),
    labels: { severity: severities[urgency], burn: speed, ...labels },
    annotations: {
      summary: `${where} burns the error budget of its ${objective.kind} SLO ${speed === 'fast' ? 'fast' : 'steadily'}`,
      description: `${where} burns the error budget of its objective "${what}" over 30 days at {{ $value | humanize }} times the sustainable rate `
        + `(${conditions.map(c => `${c.long} and ${c.short} windows above ${c.factor}x`).join(', or ')}).`,
      ...runbookAnnotation(options.runbookUrl, name),
    },
  }));
  if (objective.kind === 'latency') {
    const metrics = options.metrics ?? ENVOY_REQUEST_METRICS;
    const inbound = { ...own, ...metrics.inbound };
    const lacking = `${selector(metrics.durationBucket, { ...inbound, le: '+Inf' })} unless ignoring (le) ${thresholdBucket(metrics, inbound, objective.thresholdMs)}`;
    rules.push({
      alert: 'MeshLatencySLOBucketMissing',
      expr: `count by (namespace, ${SERVICE_LABEL}, pod) (${lacking})`,
      for: '15m',
      labels: { severity: severities.ticket, ...labels },
      annotations: {
        summary: `${where} cannot evaluate its latency SLO`,
        description: `The sidecar of pod {{ $labels.pod }} of ${where} has no histogram bucket at ${num(objective.thresholdMs)}ms, so its requests `
          + `are left out of the objective "${what}": add the threshold to the sidecar's histogram buckets (${BUCKET_SETTING[metrics.proxy]}).`,
        ...runbookAnnotation(options.runbookUrl, 'MeshLatencySLOBucketMissing'),
      },
    });
  }
  return rules;
}
