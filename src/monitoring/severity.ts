/**
 * How urgent an alert is, in the mesh's terms:
 * - `page`: users are affected now; someone must act immediately.
 * - `ticket`: needs a person within working hours; not urgent on its own.
 * - `info`: a resilience mechanism is working (ejection, circuit breaker);
 *   context for other alerts and dashboards, notify nobody.
 */
export type Urgency = 'page' | 'ticket' | 'info';

/** The `severity` label value of each urgency. */
export type SeverityLabels = Readonly<Record<Urgency, string>>;

/**
 * kube-prometheus-stack's severities, which its Alertmanager routes and
 * inhibits (a `critical` alert silences the `warning` of the same name and
 * namespace).
 */
export const KUBE_PROMETHEUS_SEVERITIES: SeverityLabels = { page: 'critical', ticket: 'warning', info: 'info' };

/** The placeholder of a runbook URL template that each alert replaces with its name. */
export const ALERT_PLACEHOLDER = '{alert}';

/** The `runbook_url` annotation of `alert`, from a URL or a template with `{alert}`. */
export function runbookAnnotation(template: string | undefined, alert: string): { runbook_url?: string } {
  return template === undefined ? {} : { runbook_url: template.split(ALERT_PLACEHOLDER).join(alert) };
}
