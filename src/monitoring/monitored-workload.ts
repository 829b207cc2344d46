import { Duration, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { PodMonitor, PrometheusRule } from '../imports/monitoring.coreos.com';
import type { MeshService } from '../mesh-service';
import { AlertProfile } from './alert-profile';
import { alertSettingRules } from './alert-settings';
import { edgeInfoRules, UpstreamRef } from './edge-info';
import { meshLabel, SIDECAR_TARGET, TARGET_LABEL } from './metrics';
import { Objective } from './objective';
import { sloRules, validateObjective } from './slo';
import { PromRuleGroup } from './types';
import { definedOnly, ServiceModel } from '../model/mesh-model';
import { isHttp } from '../protocol';
import { MAX_GO_DURATION_MS, valueProblems } from '../value-checks';
import { ALERT_PLACEHOLDER, KUBE_PROMETHEUS_SEVERITIES } from './severity';
import { recordMesh, toPrometheusRuleGroup } from './sidecar-monitor';
import { scrapeSidecars } from './sidecar-pod-monitors';
import { annotateConstructPaths } from '../review/construct-annotation';

/** Thresholds of the alerts of a monitored workload. */
export interface AlertThresholds {
  /**
   * Alert when more than this share (0-1) of responses are 5xx.
   * @default 0.05
   */
  readonly errorRatio?: number;
  /**
   * Alert when the 99th percentile latency exceeds this.
   * @default Duration.seconds(1)
   */
  readonly latencyP99?: Duration;
  /**
   * Alert when the service gets no traffic at all.
   * @default true
   */
  readonly expectTraffic?: boolean;
  /**
   * Link added to every alert as its `runbook_url` annotation; `{alert}` in
   * it becomes the alert's name, e.g. `https://runbooks.example.com/mesh/{alert}`.
   * @default - none
   */
  readonly runbookUrl?: string;
  /**
   * The `severity` label of each urgency.
   * @default - kube-prometheus-stack's: critical, warning and info
   */
  readonly severities?: AlertSeverities;
}

/**
 * The `severity` label values of the three urgencies of the mesh's alerts, for
 * Alertmanager routes other than kube-prometheus-stack's.
 */
export interface AlertSeverities {
  /**
   * Users are affected now: act immediately.
   * @default 'critical'
   */
  readonly page?: string;
  /**
   * Needs a person within working hours.
   * @default 'warning'
   */
  readonly ticket?: string;
  /**
   * A resilience mechanism is working; notify nobody.
   * @default 'info'
   */
  readonly info?: string;
}

/** Properties of a `MonitoredWorkload`. */
export interface MonitoredWorkloadProps {
  /**
   * The mesh service to monitor: its sidecars are scraped, and recording
   * rules, alerts and SLOs are built from their metrics.
   * @default - none; `deployment` and `metricsPort` must be given
   */
  readonly service?: MeshService;
  /**
   * A workload outside the mesh to scrape (with `metricsPort`).
   * @default - the mesh service's pods
   */
  readonly deployment?: kplus.Deployment;
  /**
   * The application's own metrics port, scraped besides the sidecar.
   * @default - only the sidecar is scraped
   */
  readonly metricsPort?: number;
  /**
   * Path of the application's metrics.
   * @default '/metrics'
   */
  readonly metricsPath?: string;
  /**
   * How often targets are scraped (a whole number of seconds or milliseconds).
   * @default Duration.seconds(30)
   */
  readonly scrapeInterval?: Duration;
  /**
   * Labels on the PodMonitor and PrometheusRule that a Prometheus selects on
   * (kube-prometheus-stack selects `release: <its release name>` by default).
   * @default - none
   */
  readonly monitorLabels?: { [key: string]: string };
  /**
   * Service level objectives.
   * @default - none
   */
  readonly objectives?: Objective[];
  /**
   * Alert thresholds.
   * @default - see `AlertThresholds`
   */
  readonly alerts?: AlertThresholds;
}

/**
 * Scraping, alerts and SLOs for a mesh service: its sidecars join the one
 * `PodMonitor` of its mesh in its namespace, its own metrics port (if any)
 * gets a `PodMonitor` of its own, and the mesh's one `PrometheusRule` holds a
 * fixed set of RED recording rules covering it and its calls, the alerts of
 * every service (errors, latency, missing traffic, missing sidecars,
 * configuration, ejections and circuit breakers: one fixed set per distinct
 * combination of `severities` and `runbookUrl` in the mesh), and the SLO
 * rules. The service's own `PrometheusRule` holds only constant series: one
 * rule of alert settings (`mesh_service:alert_setting:value`: its thresholds,
 * whether it expects traffic, the configuration version its sidecars should
 * run), whatever its number of upstreams, one rule per objective, and when
 * it calls HTTP services one rule of their names and namespaces
 * (`mesh_edge:upstream:info`, one series per upstream; on Gateway API with
 * Istio, where the metrics name a version's Service, also one rule of the
 * upstreams' version Services, `mesh_edge:version_service:info`); the mesh's rules
 * join on them by `mesh`, `namespace` and `mesh_service` (or `caller`).
 * A caller's sidecars are scraped only when it is monitored, so the mesh's
 * rules see no call of an unmonitored caller. A TCP service gets the same
 * rules of its own (it cannot have objectives): the alerts on its sidecars
 * (down, absent, configuration refused or outdated) apply to it, and its
 * HTTP upstreams are listed; its sidecars record no inbound requests, so the
 * alerts on those never fire for it.
 *
 * On a mesh run by Istio (`MeshEngine.istio()`) the same rules read Istio's
 * standard metrics from the `istio-proxy` container, except the ejection and
 * circuit-breaker-open alerts, which Istio's default metrics cannot feed. On
 * a mesh whose engine's metrics are unknown it is refused at synth.
 */
export class MonitoredWorkload extends Construct {
  /** The monitored mesh service, if any. */
  public readonly service?: MeshService;
  /** The service level objectives. */
  public readonly objectives: Objective[];

  private readonly props: MonitoredWorkloadProps;

  /**
   * @param scope the parent construct
   * @param id the construct id, unique among its siblings
   * @param props the settings
   */
  constructor(scope: Construct, id: string, props: MonitoredWorkloadProps) {
    super(scope, id);
    this.props = props;
    this.service = props.service;
    this.objectives = props.objectives ?? [];
    this.node.addValidation({ validate: () => [...this.validateWorkload(), ...props.service?.mesh._problemsAt(this.node.path) ?? []] });
    const service = props.service;
    const name = service?.name ?? props.deployment?.name ?? id;
    const namespace = service?.namespace;
    const labels = props.monitorLabels;

    const interval = prometheusDuration(props.scrapeInterval ?? Duration.seconds(30));
    if (service) {
      const problem = scrapeSidecars(service.mesh, service.namespace, service.name, { labels, interval }, targetLabels(SIDECAR_TARGET),
        () => service._sidecarStatsPorts()?.map(port => port.name) ?? []);
      if (problem) this.node.addValidation({ validate: () => [problem] });
    }
    if (props.metricsPort !== undefined) {
      // The application's own metrics differ per service: a monitor of their own.
      new PodMonitor(this, 'pod-monitor', {
        metadata: { name: `${name}-app`, namespace, labels },
        spec: {
          selector: { matchLabels: service ? { 'mesh.cdk8s.io/service': service.name } : props.deployment?.matchLabels },
          podMetricsEndpoints: [{ portNumber: props.metricsPort, path: props.metricsPath ?? '/metrics', relabelings: targetLabels('app'), interval }],
        },
      });
    }
    if (service) {
      service.mesh._record('monitors', { path: this.node.path, service, latencyThresholdsMs: this._latencyThresholdsMs, metricsPort: props.metricsPort });
      // A TCP service too: the alerts on its sidecars (down, absent, configuration) cover it, and its HTTP upstreams are listed.
      recordMesh(service.mesh, labels, { objectives: this.objectives.length > 0, alertProfile: this.alertProfile });
      new PrometheusRule(this, 'rules', {
        metadata: { name: `${name}-mesh`, namespace, labels },
        spec: { groups: Lazy.any({ produce: () => this._ruleGroups().map(toPrometheusRuleGroup) }) },
      });
    }
    annotateConstructPaths(this);
  }

  /** The rule groups of this workload, from the graph as it is at synth. @internal */
  public _ruleGroups(): PromRuleGroup[] {
    const service = this.service!;
    const ref = { name: service.name, namespace: service.namespace };
    const alerts = this.props.alerts ?? {};
    const mesh = meshLabel(service.mesh);
    const model = service.mesh._model();
    // Where routes send to a Service per version and the metrics name it, the caller's rules list its upstreams' version Services.
    const versionServiceLabel = service.mesh.engine._translator.requestMetrics(model)?.versionServiceLabel;
    const edges = edgeInfoRules(mesh, ref, upstreamsOf(model.of(service)), versionServiceLabel);
    return [
      alertSettingRules(ref, {
        mesh,
        errorRatio: alerts.errorRatio ?? 0.05,
        latencyP99Ms: (alerts.latencyP99 ?? Duration.seconds(1)).toMilliseconds({ integral: false }),
        expectTraffic: alerts.expectTraffic ?? true,
        profile: this.alertProfile,
        // The mesh's own sidecars report the version of their ConfigMap's files; this rule is applied with it.
        ...(service.mesh.engine._translator.ownsSidecar && { configVersion: service.mesh._sidecarConfig(service).configVersion }),
      }),
      ...(this.objectives.length > 0
        ? sloRules(ref, this.objectives.map(o => o._spec), { runbookUrl: alerts.runbookUrl, severities: this.alertProfile.severities, mesh })
        : []),
      ...(edges ? [edges] : []),
    ];
  }

  /** The severities and runbook of this workload's alerts, which select the mesh's alert set for it. */
  private get alertProfile(): AlertProfile {
    const alerts = this.props.alerts ?? {};
    return { runbookUrl: alerts.runbookUrl, severities: { ...KUBE_PROMETHEUS_SEVERITIES, ...definedOnly(alerts.severities ?? {}) } };
  }

  /** Latency bounds the service's sidecar histograms need for the objectives. @internal */
  public get _latencyThresholdsMs(): number[] {
    return this.objectives.flatMap(o => (o._spec.kind === 'latency' ? [o._spec.thresholdMs] : []));
  }

  private validateWorkload(): string[] {
    const { service, deployment, metricsPort, scrapeInterval, alerts } = this.props;
    const errors: string[] = valueProblems(this.props, '');
    if (!service && (!deployment || metricsPort === undefined)) {
      errors.push('a workload outside the mesh has no sidecar metrics: give service (a MeshService), or deployment and metricsPort');
    }
    if (metricsPort !== undefined && !(Number.isInteger(metricsPort) && metricsPort >= 1 && metricsPort <= 65535)) {
      errors.push(`metricsPort ${metricsPort} is not a valid port: use an integer from 1 to 65535`);
    }
    const intervalMs = scrapeInterval?.toMilliseconds({ integral: false });
    if (intervalMs !== undefined && !(Number.isInteger(intervalMs) && intervalMs > 0 && intervalMs <= MAX_GO_DURATION_MS)) {
      errors.push(`scrapeInterval ${intervalMs}ms is not a valid Prometheus duration: use a positive whole number of milliseconds, for example Duration.seconds(30)`);
    }
    for (const objective of this.objectives) {
      errors.push(...validateObjective(objective._spec).map(e => `objective ${objective.description}: ${e}`));
    }
    if (service && !isHttp(service.protocol) && this.objectives.length > 0) {
      errors.push(`${service.name} speaks TCP: its sidecar records no request latency or status, so SLOs have no histogram source; remove objectives`);
    }
    const ratio = alerts?.errorRatio;
    if (ratio !== undefined && !(ratio > 0 && ratio < 1)) {
      errors.push(`alerts.errorRatio ${ratio} is invalid: use a share between 0 and 1 (for example 0.05)`);
    }
    // Prometheus expands annotations as Go templates: '{{' or a quote would break the rule file, or run template code.
    if (alerts?.runbookUrl !== undefined && !/^https?:\/\/[^\s{}"'`<>\\]+$/.test(alerts.runbookUrl.split(ALERT_PLACEHOLDER).join('x'))) {
      errors.push(`alerts.runbookUrl ${JSON.stringify(alerts.runbookUrl)} is invalid: use an http(s) URL without spaces, quotes, angle brackets `
        + 'or braces other than the {alert} placeholder');
    }
    for (const [urgency, label] of Object.entries(alerts?.severities ?? {})) {
      if (label !== undefined && !/^[A-Za-z0-9_.-]{1,63}$/.test(label)) {
        errors.push(`alerts.severities.${urgency} ${JSON.stringify(label)} is invalid: use a label value of letters, digits, '_', '.' and '-'`);
      }
    }
    const latency = alerts?.latencyP99?.toMilliseconds({ integral: false });
    if (latency !== undefined && !(latency > 0)) errors.push('alerts.latencyP99 must be a positive duration');
    return errors;
  }
}

/**
 * The HTTP services a caller's sidecar sends requests to, by name (the
 * metrics name them alone): its upstreams, then the services its routes and
 * failover reach through them; the first of a name wins.
 */
function upstreamsOf(caller: ServiceModel): UpstreamRef[] {
  const byName = new Map<string, UpstreamRef>();
  for (const { service, versions } of [...caller.calls.map(call => call.upstream), ...caller.calls.flatMap(call => call.reached)]) {
    if (!isHttp(service.protocol) || byName.has(service.name)) continue;
    byName.set(service.name, { name: service.name, namespace: service.namespace, versions });
  }
  return [...byName.values()];
}

/**
 * Copies the mesh's pod labels to every scraped series as `mesh_service` and
 * `mesh_version`, and marks which container the target is.
 */
function targetLabels(target: string) {
  return [
    { sourceLabels: ['__meta_kubernetes_pod_label_mesh_cdk8s_io_service'], targetLabel: 'mesh_service' },
    { sourceLabels: ['__meta_kubernetes_pod_label_mesh_cdk8s_io_version'], targetLabel: 'mesh_version' },
    { targetLabel: TARGET_LABEL, replacement: target },
  ];
}

/** A Duration as a Prometheus duration string (`30s`, `1500ms`). */
function prometheusDuration(duration: Duration): string {
  const ms = duration.toMilliseconds({ integral: false });
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
