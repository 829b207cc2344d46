import { createHash } from 'crypto';
import { KUBE_PROMETHEUS_SEVERITIES, SeverityLabels } from './severity';

/**
 * The settings of a service's alerts that cannot be series: the `severity`
 * label of each urgency, the runbook links and `for`. The mesh's alert rules
 * (`meshAlertRules`) hold one set of alerts per distinct profile its services
 * use, each selecting the services whose settings series (`alertSettingRules`)
 * carry its id as `alert_profile`; services with the defaults share one set.
 */
export interface AlertProfile {
  /** Added to every alert as the `runbook_url` annotation; `{alert}` becomes the alert's name. @default - none */
  readonly runbookUrl?: string;
  /** The `severity` label of each urgency. @default KUBE_PROMETHEUS_SEVERITIES */
  readonly severities?: SeverityLabels;
  /** How long a condition must hold before its alert fires. @default '5m' */
  readonly for?: string;
}

/** The `alert_profile` label of the services with the default profile. */
export const DEFAULT_PROFILE_ID = 'default';

/** A profile with its defaults filled in, and its id (`default`, or `p` and 8 hex digits of a hash of its settings). */
export interface ResolvedProfile {
  readonly id: string;
  readonly runbookUrl?: string;
  readonly severities: SeverityLabels;
  readonly for: string;
}

/** `profile` with its defaults and id. Throws on a `for` that is not a Prometheus duration. Pure. */
export function resolveProfile(profile: AlertProfile = {}): ResolvedProfile {
  if (profile.for !== undefined && (profile.for === '' || !DURATION.test(profile.for))) {
    throw new Error(`invalid alert options:\n  for '${profile.for}' is invalid: use a Prometheus duration such as '5m' or '1h30m'`);
  }
  const given = profile.severities;
  const settings = {
    runbookUrl: profile.runbookUrl,
    severities: {
      page: given?.page ?? KUBE_PROMETHEUS_SEVERITIES.page,
      ticket: given?.ticket ?? KUBE_PROMETHEUS_SEVERITIES.ticket,
      info: given?.info ?? KUBE_PROMETHEUS_SEVERITIES.info,
    },
    for: profile.for ?? '5m',
  };
  const isDefault = settings.runbookUrl === undefined && settings.for === '5m'
    && JSON.stringify(settings.severities) === JSON.stringify(KUBE_PROMETHEUS_SEVERITIES);
  const id = isDefault ? DEFAULT_PROFILE_ID : `p${createHash('sha256').update(JSON.stringify(settings)).digest('hex').slice(0, 8)}`;
  return { id, ...settings };
}

/** The distinct profiles of `profiles`, by id, in a stable order (the default first, then by id). Pure. */
export function distinctProfiles(profiles: readonly AlertProfile[]): ResolvedProfile[] {
  const byId = new Map(profiles.map(resolveProfile).map(p => [p.id, p]));
  return [...byId.values()].sort((a, b) => (a.id === DEFAULT_PROFILE_ID ? -1 : b.id === DEFAULT_PROFILE_ID ? 1 : a.id.localeCompare(b.id)));
}

const DURATION = /^(\d+y)?(\d+w)?(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?$/;
