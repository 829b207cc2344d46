import { Lazy } from 'cdk8s';
import { AlertProfile } from './alert-profile';
import { meshAlertRules } from './alerts';
import { meshLabel, SIDECAR_TARGET, TARGET_LABEL } from './metrics';
import { meshRecordingRules } from './recording-rules';
import { RequestMetrics } from './request-metrics';
import { meshSloRules } from './slo-rules';
import { PromRuleGroup } from './types';
import { PrometheusRule, PrometheusRuleSpecGroups, PrometheusRuleSpecGroupsRulesExpr } from '../imports/monitoring.coreos.com';
import type { Mesh } from '../mesh';

const meshRules = new WeakSet<Mesh>();
const meshesWithObjectives = new WeakSet<Mesh>();
const alertProfiles = new WeakMap<Mesh, AlertProfile[]>();

/** What a monitored service asks of its mesh's rules. */
export interface MeshRuleNeeds {
  /** Whether the service has objectives: adds the mesh's SLO rules. */
  readonly objectives: boolean;
  /** The severities, runbook and `for` of its alerts: the mesh has one alert set per distinct profile. */
  readonly alertProfile: AlertProfile;
}

/**
 * The rules of the whole mesh, once per mesh, in its namespace, with the
 * labels of the first monitored service: its recording rules (a fixed set
 * however many services there are, see `meshRecordingRules`), its alerts
 * (`meshAlertRules`, a fixed set per alert profile its services use, which
 * read the services' settings series), and when a service has objectives,
 * its SLO rules (`meshSloRules`), read from the metrics of the mesh's
 * engine, at synth (after the checks, which refuse an unknown engine).
 */
export function recordMesh(mesh: Mesh, labels: { [key: string]: string } | undefined, needs: MeshRuleNeeds): void {
  if (needs.objectives) meshesWithObjectives.add(mesh);
  alertProfiles.set(mesh, [...alertProfiles.get(mesh) ?? [], needs.alertProfile]);
  if (meshRules.has(mesh)) return;
  meshRules.add(mesh);
  const groups = () => {
    const metrics = meshRequestMetrics(mesh);
    const alerts = meshAlertRules(meshLabel(mesh), {
      metrics,
      profiles: alertProfiles.get(mesh),
      sidecarTarget: { [TARGET_LABEL]: SIDECAR_TARGET },
      configOutdated: mesh.engine._translator.ownsSidecar,
      // Istio's proxies report calls to any destination: alert on the callers' upstreams (the own sidecars have listeners for them only).
      declaredEdgesOnly: metrics.proxy === 'istio',
    });
    const all = [meshRecordingRules(meshLabel(mesh), metrics), ...alerts, ...(meshesWithObjectives.has(mesh) ? [meshSlos(mesh, metrics)] : [])];
    return all.map(toPrometheusRuleGroup);
  };
  new PrometheusRule(mesh, 'recording-rules', {
    metadata: { name: `${meshLabel(mesh)}-recording`, namespace: mesh.namespace, labels },
    spec: { groups: Lazy.any({ produce: groups }) },
  });
}

/**
 * The mesh's SLO rules, with the latency thresholds of its objectives from
 * the model (the callers' own rules tell the namespaces of their upstreams).
 */
function meshSlos(mesh: Mesh, metrics: RequestMetrics): PromRuleGroup {
  const services = mesh._model().services;
  return meshSloRules(meshLabel(mesh), {
    metrics,
    latencyThresholdsMs: services.flatMap(s => s.monitors.flatMap(monitor => monitor.latencyThresholdsMs)),
  });
}

/**
 * The request metrics of the mesh's sidecars, from its engine. Throws for an
 * engine whose metrics are unknown, which `monitoringEngineChecks` refuses
 * before synth.
 */
export function meshRequestMetrics(mesh: Mesh): RequestMetrics {
  const metrics = mesh.engine._translator.requestMetrics(mesh._model());
  if (!metrics) throw new Error(`the mesh ${mesh.node.path} runs on ${mesh.engine.description}, whose sidecars' metrics are unknown: it cannot be monitored`);
  return metrics;
}

/** A rule group in the shape of the generated `PrometheusRule` types (whose `expr` is an int-or-string). */
export function toPrometheusRuleGroup(group: PromRuleGroup): PrometheusRuleSpecGroups {
  return { ...group, rules: group.rules.map(rule => ({ ...rule, expr: PrometheusRuleSpecGroupsRulesExpr.fromString(rule.expr) })) };
}
