import { AlertProfile, resolveProfile } from './alert-profile';
import { envoyVersionGauge } from './envoy-version';
import { MESH_LABEL, SERVICE_LABEL } from './metrics';
import { constantSeries, num, quote } from './promql';
import { assertServices, qualifiedName } from './service-ref';
import { PromRuleGroup, ServiceRef } from './types';

/**
 * The series of a service's alert settings, one per `setting`
 * (`ALERT_SETTINGS`), labelled `mesh`, `namespace`, `mesh_service`,
 * `alert_profile` and `expect_traffic`, which the mesh's alert rules
 * (`meshAlertRules`) compare with the recorded series.
 */
export const ALERT_SETTING = 'mesh_service:alert_setting:value';

/** The `setting` label values of `ALERT_SETTING`. Every monitored service has an `error_ratio`, which also lists the services. */
export const ALERT_SETTINGS = {
  errorRatio: 'error_ratio',
  latencyP99Ms: 'latency_p99_ms',
  configVersion: 'config_version',
} as const;

/** Labels of the settings series: the setting, the profile of the service's alerts, whether it expects traffic. */
export const SETTING_LABEL = 'setting';
export const PROFILE_LABEL = 'alert_profile';
export const EXPECT_TRAFFIC_LABEL = 'expect_traffic';
/** The `version_info` of the service's sidecar files, on the `config_version` series only (its value is the gauge's). */
export const CONFIG_VERSION_LABEL = 'config_version';

/** The thresholds and settings of one service's alerts. */
export interface AlertSettings {
  /** The `mesh` label of the service's mesh (`meshLabel`). */
  readonly mesh: string;
  /** Alert when more than this share of responses (0..1) are 5xx, e.g. 0.05. */
  readonly errorRatio: number;
  /** Alert when the 99th percentile latency exceeds this many milliseconds. */
  readonly latencyP99Ms: number;
  /** Alert when the service receives no requests at all, and page when it has no sidecar left. */
  readonly expectTraffic: boolean;
  /**
   * The `version_info` of the files the mesh's own sidecars reload (the
   * ConfigMap's current configuration), which `MeshConfigOutdated` expects.
   * @default - no such alert for the service (Istio's proxies get theirs from istiod)
   */
  readonly configVersion?: string;
  /** Severities, runbook and `for` of the service's alerts: the mesh's alert set they select. @default - the defaults */
  readonly profile?: AlertProfile;
}

/**
 * The alert settings of one service as series, in one constant recording
 * rule (`ALERT_SETTING`), whatever its number of upstreams: its error ratio
 * and latency thresholds, and the expected `version` gauge of its sidecar's
 * files (with the `version_info` as the label `config_version`), applied
 * with its ConfigMap. The alerts themselves are the mesh's (`meshAlertRules`).
 */
export function alertSettingRules(service: ServiceRef, settings: AlertSettings): PromRuleGroup {
  assertServices(service);
  assertSettings(settings);
  const profile = resolveProfile(settings.profile);
  const setting = (name: string, value: string, extra: Record<string, string> = {}) => constantSeries(value, { [SETTING_LABEL]: name, ...extra });
  const series = [
    setting(ALERT_SETTINGS.errorRatio, num(settings.errorRatio)),
    setting(ALERT_SETTINGS.latencyP99Ms, num(settings.latencyP99Ms)),
    ...(settings.configVersion === undefined ? [] : [configVersionSeries(settings.configVersion)]),
  ];
  return {
    name: `mesh-alert-settings/${qualifiedName(service)}`,
    rules: [{
      record: ALERT_SETTING,
      expr: series.join(' or '),
      labels: {
        [MESH_LABEL]: settings.mesh,
        namespace: service.namespace,
        [SERVICE_LABEL]: service.name,
        [PROFILE_LABEL]: profile.id,
        [EXPECT_TRAFFIC_LABEL]: String(settings.expectTraffic),
      },
    }],
  };
}

/**
 * The series of the configuration version a service's sidecar should run:
 * the `version` gauge Envoy reports for `version_info` (a gauge above 2^53
 * loses precision in Prometheus, identically for both sides, see
 * envoy-version.ts), with `version_info` as the label `config_version`.
 */
export function configVersionSeries(version: string): string {
  return constantSeries(String(envoyVersionGauge(version)), { [SETTING_LABEL]: ALERT_SETTINGS.configVersion, [CONFIG_VERSION_LABEL]: version });
}

/** What `configVersionSeries` writes after the gauge, up to the version: read back by `expectedConfigVersion`. */
const CONFIG_VERSION_IN_EXPR = new RegExp(`${quote(ALERT_SETTINGS.configVersion)}, "", ""\\), ${quote(CONFIG_VERSION_LABEL)}, "([^"]+)"`);

/** The version a settings rule's expression expects (written by `configVersionSeries`), if it holds one. */
export function expectedConfigVersion(expr: string): string | undefined {
  return CONFIG_VERSION_IN_EXPR.exec(expr)?.[1];
}

/**
 * A Go template of an alert's annotation printing the `setting` of the
 * service named by the alert's labels `mesh`, `namespace` and `service`
 * (`mesh_service`, or `caller` for an edge), through `format` (a template
 * pipeline stage such as `value | humanizePercentage`).
 */
export function settingTemplate(setting: string, format: string, service = SERVICE_LABEL): string {
  const query = `${ALERT_SETTING}{${MESH_LABEL}=%q, namespace=%q, ${SERVICE_LABEL}=%q, ${SETTING_LABEL}="${setting}"}`;
  return `{{ with printf \`${query}\` $labels.${MESH_LABEL} $labels.namespace $labels.${service} | query }}{{ . | first | ${format} }}{{ end }}`;
}

function assertSettings(settings: AlertSettings): void {
  const errors: string[] = [];
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(settings.mesh ?? '')) errors.push(`mesh label '${settings.mesh}' is invalid: use lower-case letters, digits and '-'`);
  if (!(settings.errorRatio > 0 && settings.errorRatio < 1)) {
    errors.push(`errorRatio ${settings.errorRatio} is invalid: use a share of responses between 0 and 1 exclusive, e.g. 0.05 for 5%`);
  }
  if (!(settings.latencyP99Ms > 0 && Number.isFinite(settings.latencyP99Ms))) {
    errors.push(`latencyP99Ms ${settings.latencyP99Ms} is invalid: use a positive, finite number of milliseconds`);
  }
  if (settings.configVersion !== undefined && !/^[A-Za-z0-9._:-]+$/.test(settings.configVersion)) {
    errors.push(`configVersion ${JSON.stringify(settings.configVersion)} is invalid: use letters, digits and '.', '_', ':', '-'`);
  }
  if (errors.length > 0) throw new Error(`invalid alert options:\n  ${errors.join('\n  ')}`);
}
