import { DEFAULT_PROFILE_ID, ResolvedProfile } from './alert-profile';
import { ALERT_SETTING, ALERT_SETTINGS, PROFILE_LABEL, SETTING_LABEL } from './alert-settings';
import { MESH_LABEL, SERVICE_LABEL } from './metrics';
import { Matcher, selector } from './promql';
import { runbookAnnotation, Urgency } from './severity';
import { PromRule } from './types';

/** The labels that name a service in every series: its mesh, namespace and name. */
export const SERVICE_KEY = [MESH_LABEL, 'namespace', SERVICE_LABEL] as const;
const ON_SERVICE = `on (${SERVICE_KEY.join(', ')})`;

/**
 * Makes the alerts of one profile of a mesh: their `severity` and `mesh`
 * labels (and `alert_profile`, unless the profile is the default one), `for`, summary, description and runbook, and the selectors that
 * limit an expression to the services of the profile (those whose settings
 * series carry its `alert_profile`).
 */
export class AlertFactory {
  /** How long a condition must hold before an alert fires. */
  public readonly for: string;

  /**
   * @param mesh the `mesh` label of the mesh's series
   * @param profile the severities, runbook and `for` of the alerts
   * @param target labels (exact values) that tell the sidecars' scrape targets from other targets of the same pods
   */
  constructor(public readonly mesh: string, private readonly profile: ResolvedProfile, public readonly target: Record<string, string> = {}) {
    this.for = profile.for;
  }

  /** An alert; its expression gives the labels `namespace` and `mesh_service` (for edges, the caller's). */
  public alert(name: string, urgency: Urgency, expr: string, summary: string, description: string): PromRule {
    return {
      alert: name,
      expr,
      for: this.for,
      labels: {
        severity: this.profile.severities[urgency],
        [MESH_LABEL]: this.mesh,
        // Alerts of two profiles differ in this label (promtool and Prometheus's rule linting refuse alerts of one name and labels).
        ...(this.profile.id !== DEFAULT_PROFILE_ID && { [PROFILE_LABEL]: this.profile.id }),
      },
      annotations: { summary, description, ...runbookAnnotation(this.profile.runbookUrl, name) },
    };
  }

  /** The series of a setting of the profile's services (`alertSettingRules`), e.g. their error ratio thresholds. */
  public setting(setting: string, matchers: Record<string, Matcher> = {}): string {
    return selector(ALERT_SETTING, { [MESH_LABEL]: this.mesh, [SETTING_LABEL]: setting, [PROFILE_LABEL]: this.profile.id, ...matchers });
  }

  /** `expr` (labelled `mesh`, `namespace`, `mesh_service`) for the profile's services only; `matchers` narrow them (e.g. `expect_traffic`). */
  public ofServices(expr: string, matchers: Record<string, Matcher> = {}): string {
    return `(${expr}) and ${ON_SERVICE} ${this.setting(ALERT_SETTINGS.errorRatio, matchers)}`;
  }

  /** A setting of the profile's services as the callers' (labelled `caller` as well), for edges. */
  public callerSetting(setting: string): string {
    return `label_replace(${this.setting(setting)}, "caller", "$1", ${JSON.stringify(SERVICE_LABEL)}, "(.+)")`;
  }

  /** `expr` of edges (labelled `mesh`, `namespace`, `caller`) whose caller has the profile, with `mesh_service` set to the caller. */
  public ofCallers(expr: string): string {
    return asService(`(${expr}) and on (${MESH_LABEL}, namespace, caller) ${this.callerSetting(ALERT_SETTINGS.errorRatio)}`);
  }
}

/** Adds `mesh_service`, the caller of an edge: an edge's alerts belong to its caller. */
export function asService(expr: string): string {
  return `label_replace(${expr}, ${JSON.stringify(SERVICE_LABEL)}, "$1", "caller", "(.+)")`;
}

/** The label holding a series' metric name. */
export const NAME = '__name__';
