/**
 * The configuration version a wave's alerts expect of each sidecar. A
 * monitored service's own PrometheusRule carries the `version_info` of its
 * sidecar's files as the series
 * `mesh_service:alert_setting:value{setting="config_version"}`, which
 * `MeshConfigOutdated` compares with Envoy's `version` stats. In OLD and NEW
 * it names the ConfigMap written beside it; in a wave whose ConfigMap holds
 * the authorization of both (a version of its own), or comes from the other
 * side than the rule, it must name that ConfigMap's version instead. The
 * ConfigMaps of a sidecar's other Envoys (engines/envoy/shards.ts) carry the
 * version of its first, so that one expected value covers all of them.
 */
import { intentOf, MeshState, serviceOf, sidecarConfigMapsOf } from './state';
import { serializeFile } from '../engines/envoy/bootstrap';
import { ALERT_SETTING, configVersionSeries, expectedConfigVersion } from '../monitoring/alert-settings';
import { SERVICE_LABEL } from '../monitoring/metrics';

/** The `version_info` of a sidecar ConfigMap's discovery files (they all carry the same one); undefined when it has none. */
function versionOf(configMap: any): string | undefined {
  for (const text of Object.values<string>(configMap.data ?? {})) {
    try {
      const version = JSON.parse(text)?.version_info;
      if (typeof version === 'string') return version;
    } catch {
      // not a JSON file
    }
  }
  return undefined;
}

/**
 * `state` with each monitored service's expected configuration version set
 * to that of its sidecar ConfigMap in the same state; the objects that
 * already agree are kept as they are (so NEW stays NEW). Pure.
 */
export function withExpectedVersions(state: MeshState): MeshState {
  const versions = new Map<string, string>();
  for (const doc of state.values()) {
    const service = intentOf(doc) ? serviceOf(doc) : undefined;
    const version = service && versionOf(doc);
    if (service && version) versions.set(service, version);
  }
  // The ConfigMaps of the other Envoys of each sidecar, in its layout: they carry its first's version.
  const shards = new Set([...versions.keys()].flatMap(service => sidecarConfigMapsOf(state, service).slice(1)));
  const result: MeshState = new Map();
  for (const [key, doc] of state) {
    const version = shards.has(doc) ? versions.get(serviceOf(doc)!) : undefined;
    result.set(key, doc.kind === 'PrometheusRule' ? expecting(doc, versions) : version ? versioned(doc, version) : doc);
  }
  return result;
}

/** A sidecar ConfigMap whose discovery files carry `version` (the same object when they already do). */
function versioned(configMap: any, version: string): any {
  if (versionOf(configMap) === version) return configMap;
  const data = Object.fromEntries(Object.entries<string>(configMap.data ?? {}).map(([key, text]) => {
    const file = key.endsWith('.json') ? JSON.parse(text) : undefined;
    return [key, file?.version_info === undefined ? text : serializeFile({ ...file, version_info: version })];
  }));
  return { ...configMap, data };
}

/** A PrometheusRule whose settings rules expect the versions of `versions` (`<namespace>/<service>` → `version_info`). */
function expecting(rule: any, versions: Map<string, string>): any {
  let changed = false;
  const groups = (rule.spec?.groups ?? []).map((group: any) => ({
    ...group,
    rules: (group.rules ?? []).map((r: any) => {
      const version = r.record === ALERT_SETTING ? versions.get(`${r.labels?.namespace}/${r.labels?.[SERVICE_LABEL]}`) : undefined;
      const expected = typeof r.expr === 'string' ? expectedConfigVersion(r.expr) : undefined;
      if (!version || !expected || expected === version) return r;
      changed = true;
      return { ...r, expr: r.expr.replace(configVersionSeries(expected), configVersionSeries(version)) };
    }),
  }));
  return changed ? { ...rule, spec: { ...rule.spec, groups } } : rule;
}
