/**
 * `cdk8s-mesh plan` with a sidecar split across several Envoys (a hub whose
 * files do not fit one ConfigMap, engines/envoy/shards.ts): the ConfigMaps of
 * its other Envoys switch with its routes, and every wave's alerts expect one
 * configuration version of all of them.
 */
import { declareHub } from '../../bench/sidecar-size';
import { MeshService } from '../../src';
import { expectedConfigVersion } from '../../src/monitoring/alert-settings';
import { planRollout } from '../../src/rollout/plan';
import { planText } from '../../src/rollout/report';
import { MeshState, stateOf } from '../../src/rollout/state';
import { newChart, synth } from '../helpers';

function hubState(withFrontend: boolean): MeshState {
  const chart = newChart();
  const hub = declareHub(chart, 'hub', 60, true);
  if (withFrontend) new MeshService(chart, 'frontend', { mesh: hub.mesh, image: 'registry.example.com/f:1.0.0', port: 7000 }).callTo(hub);
  return stateOf(synth(chart));
}

/** The `version_info` of every discovery file of the hub's ConfigMaps in a state, and the version its rules expect. */
function versions(state: MeshState): { files: string[]; expected: string | undefined } {
  const files = [...state.values()].filter(doc => doc.kind === 'ConfigMap' && doc.metadata.name.startsWith('hub-envoy'))
    .flatMap(doc => Object.values<string>(doc.data).map(text => JSON.parse(text).version_info).filter(v => v !== undefined));
  const rule = state.get('monitoring.coreos.com/PrometheusRule/shop/hub-mesh');
  const settings = rule.spec.groups.flatMap((g: any) => g.rules).find((r: any) => expectedConfigVersion(r.expr ?? '') !== undefined);
  return { files: [...new Set(files)], expected: expectedConfigVersion(settings.expr) };
}

describe('cdk8s-mesh plan with a sidecar of several Envoys', () => {
  test('a new caller of the hub: admitted first, and in every wave all the hub\'s Envoys share the version its alerts expect', () => {
    const [old, now] = [hubState(false), hubState(true)];
    expect([...now.keys()].filter(k => /ConfigMap\/shop\/hub-envoy-\d+-of-\d+$/.test(k)).length).toBeGreaterThan(1);
    const plan = planRollout(old, now, 'static Envoy', 'static Envoy');
    expect(plan.problems).toEqual([]);
    expect(plan.fallback).toBeUndefined();
    expect(plan.waves.length).toBeGreaterThan(1);
    // The hub admits the caller before the caller's pods start; its other Envoys' files switch with its routes.
    expect(plan.waves[0].steps.map(s => s.id)).toContain('admit:core/ConfigMap/shop/hub-envoy-0-of-2');
    for (const wave of plan.waves) {
      const { files, expected } = versions(wave.state);
      expect(files).toHaveLength(1);
      expect(expected).toBe(files[0]);
    }
    // The expand wave's hub admits the new caller with a version of its own: its other Envoys' ConfigMaps carry it too,
    // and the plan waits for all of them to reach the running pods.
    expect(versions(plan.waves[0].state).files).not.toEqual(versions(old).files);
    const [firstWave] = planText(plan, old, 'out').split('## Wave 2');
    expect(firstWave).toMatch(/sidecars run the new shop\/hub-envoy-0-of-2, shop\/hub-envoy-1-of-2:/);
  });
});
