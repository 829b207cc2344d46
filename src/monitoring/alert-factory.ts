import { SERVICE_LABEL } from './metrics';
import { KUBE_PROMETHEUS_SEVERITIES, runbookAnnotation, SeverityLabels, Urgency } from './severity';
import { PromRule, ServiceRef } from './types';

/** The settings every alert of a service's group shares. */
export interface AlertFactoryOptions {
  /** Added to every alert as the `runbook_url` annotation; `{alert}` becomes the alert's name. */
  readonly runbookUrl?: string;
  /** The `severity` label of each urgency. @default KUBE_PROMETHEUS_SEVERITIES */
  readonly severities?: SeverityLabels;
  /** How long a condition must hold before its alert fires. @default '5m' */
  readonly for?: string;
}

/** Makes the alerts of one service: its `severity`, `namespace` and `mesh_service` labels, `for`, summary, description and runbook. */
export class AlertFactory {
  public readonly for: string;
  constructor(private readonly service: ServiceRef, private readonly options: AlertFactoryOptions) {
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

/** The label holding a series' metric name. */
export const NAME = '__name__';
