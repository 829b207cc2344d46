import { MESH_LABEL, SERVICE_LABEL } from './metrics';
import { num } from './promql';
import { assertServices, qualifiedName } from './service-ref';
import { KUBE_PROMETHEUS_SEVERITIES, runbookAnnotation, SeverityLabels } from './severity';
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
  /** The `mesh` label of the service's mesh (`meshLabel`), which the mesh's SLO rules select. */
  readonly mesh: string;
  /** Added to the objective's burn alerts as the `runbook_url` annotation; `{alert}` becomes the alert's name. */
  readonly runbookUrl?: string;
  /** The `severity` label of each urgency. @default KUBE_PROMETHEUS_SEVERITIES */
  readonly severities?: SeverityLabels;
  /** Evaluation interval of the group. @default - the Prometheus global default */
  readonly interval?: string;
}

/** Windows of the recorded error ratios (`slo:sli_error:ratio_rate<window>`), besides the 30-day period. */
export const SLO_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
export type SloWindow = typeof SLO_WINDOWS[number];
/** The SLO period, in days. */
export const PERIOD_DAYS = 30;

/**
 * Multiwindow, multi-burn-rate alerts (Google SRE workbook, "Alerting on
 * SLOs", ch. 5): an alert fires when the long window AND the short window
 * both burn the error budget faster than `factor` times the rate that would
 * exactly exhaust it in 30 days; the short window makes the alert stop soon
 * after the problem does.
 */
export const BURN_RATE_ALERTS: ReadonlyArray<{
  readonly burn: 'fast' | 'slow';
  readonly urgency: 'page' | 'ticket';
  readonly conditions: ReadonlyArray<{ readonly long: SloWindow; readonly short: SloWindow; readonly factor: number }>;
}> = [
  { burn: 'fast', urgency: 'page', conditions: [{ long: '1h', short: '5m', factor: 14.4 }, { long: '6h', short: '30m', factor: 6 }] },
  { burn: 'slow', urgency: 'ticket', conditions: [{ long: '1d', short: '2h', factor: 3 }, { long: '3d', short: '6h', factor: 1 }] },
];

/** Labels the objective series carries for the mesh's burn alerts: the `severity` of a page and of a ticket, and the runbook links. */
export const OBJECTIVE_ALERT_LABELS = {
  page: 'slo_page_severity',
  ticket: 'slo_ticket_severity',
  runbook: 'slo_runbook_url',
  bucketRunbook: 'slo_bucket_runbook_url',
} as const;

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

/** The `sloth_slo` of an objective: `availability`, or `latency-<thresholdMs>ms`. */
export function sloId(objective: Objective): string {
  return objective.kind === 'availability' ? 'availability' : latencySlo(objective.thresholdMs);
}

/** The `sloth_slo` of a latency objective with this threshold. */
export function latencySlo(thresholdMs: number): string {
  return `latency-${num(thresholdMs)}ms`;
}

/**
 * A service's objectives as series: one small constant rule per objective,
 * `slo:objective:ratio` (the target as a ratio, e.g. 0.999) in Sloth's
 * conventions, labelled `mesh`, `namespace`, `mesh_service`, `sloth_id`
 * (`<namespace>-<service>-<slo>`), `sloth_service`, `sloth_slo`
 * (`availability` or `latency-<thresholdMs>ms`) and `sloth_objective` (the
 * percentage), plus the severities and runbooks of its alerts
 * (`OBJECTIVE_ALERT_LABELS`). Everything else, the error ratio windows,
 * budgets, burn rates and burn alerts, is computed once for the whole mesh
 * by `meshSloRules`, which joins on these labels.
 */
export function sloRules(service: ServiceRef, objectives: Objective[], options: SloOptions): PromRuleGroup[] {
  assertServices(service);
  const errors = objectives.flatMap(validateObjective);
  const seen = new Set<string>();
  for (const objective of objectives) {
    const id = sloId(objective);
    if (seen.has(id)) errors.push(`two objectives measure '${id}': give each indicator one target`);
    seen.add(id);
  }
  if (errors.length > 0) throw new Error(`invalid objectives for '${qualifiedName(service)}':\n  ${errors.join('\n  ')}`);
  if (objectives.length === 0) return [];
  const severities = options.severities ?? KUBE_PROMETHEUS_SEVERITIES;
  const rules: PromRule[] = objectives.map(objective => {
    const slo = sloId(objective);
    const burnAlert = objective.kind === 'availability' ? 'MeshAvailabilitySLOBurn' : 'MeshLatencySLOBurn';
    const runbook = (alert: string) => runbookAnnotation(options.runbookUrl, alert).runbook_url;
    const links = {
      ...(options.runbookUrl !== undefined && { [OBJECTIVE_ALERT_LABELS.runbook]: runbook(burnAlert)! }),
      ...(options.runbookUrl !== undefined && objective.kind === 'latency' && { [OBJECTIVE_ALERT_LABELS.bucketRunbook]: runbook('MeshLatencySLOBucketMissing')! }),
    };
    return {
      record: 'slo:objective:ratio',
      expr: `vector(${num(objective.target / 100)})`,
      labels: {
        [MESH_LABEL]: options.mesh,
        namespace: service.namespace,
        [SERVICE_LABEL]: service.name,
        sloth_id: `${service.namespace}-${service.name}-${slo}`,
        sloth_service: service.name,
        sloth_slo: slo,
        sloth_objective: num(objective.target),
        [OBJECTIVE_ALERT_LABELS.page]: severities.page,
        [OBJECTIVE_ALERT_LABELS.ticket]: severities.ticket,
        ...links,
      },
    };
  });
  return [{ name: `mesh-slo/${qualifiedName(service)}`, ...(options.interval && { interval: options.interval }), rules }];
}
