/**
 * Plain shapes of Prometheus rule files (the `groups` of a rule file, or the
 * `spec.groups` of a prometheus-operator `PrometheusRule`).
 * See https://prometheus.io/docs/prometheus/latest/configuration/recording_rules/
 * and .../alerting_rules/.
 */

/** One recording rule (`record`) or alerting rule (`alert`). */
export interface PromRule {
  /** Name of the series this recording rule writes. */
  readonly record?: string;
  /** Name of the alert this rule raises. */
  readonly alert?: string;
  /** The PromQL expression. */
  readonly expr: string;
  /** How long the alert condition must hold before the alert fires, e.g. `5m`. */
  readonly for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

/** Rules evaluated together, in order, at one interval. */
export interface PromRuleGroup {
  /** Unique among all groups loaded by one Prometheus. */
  readonly name: string;
  /** Evaluation interval, e.g. `30s`; the Prometheus global default when absent. */
  readonly interval?: string;
  readonly rules: PromRule[];
}

/** A mesh service: the Kubernetes Service name and namespace. */
export interface ServiceRef {
  readonly name: string;
  readonly namespace: string;
}
