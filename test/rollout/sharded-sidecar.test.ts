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

function hubState(withFrontend: boolean, upstreams = 60): MeshState {
  const chart = newChart();
  const hub = declareHub(chart, 'hub', upstreams, true);
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
    expect([...now.keys()].filter(k => /ConfigMap\/shop\/hub-envoy(-\d+)?$/.test(k)).length).toBeGreaterThan(1);
    const plan = planRollout(old, now, 'static Envoy', 'static Envoy');
    expect(plan.problems).toEqual([]);
    expect(plan.fallback).toBeUndefined();
    expect(plan.waves.length).toBeGreaterThan(1);
    // The hub admits the caller before the caller's pods start; its other Envoys' files switch with its routes.
    expect(plan.waves[0].steps.map(s => s.id)).toContain('admit:core/ConfigMap/shop/hub-envoy');
    for (const wave of plan.waves) {
      const { files, expected } = versions(wave.state);
      expect(files).toHaveLength(1);
      expect(expected).toBe(files[0]);
    }
    // The expand wave's hub admits the new caller with a version of its own: its other Envoys' ConfigMaps carry it too,
    // and the plan waits for all of them to reach the running pods.
    expect(versions(plan.waves[0].state).files).not.toEqual(versions(old).files);
    const [firstWave] = planText(plan, old, 'out').split('## Wave 2');
    expect(firstWave).toMatch(/sidecars run the new shop\/hub-envoy, shop\/hub-envoy-1, shop\/hub-envoy-2:/);
  });

  test('the hub splits into more Envoys as a caller is added: still admitted first, and the new files replace the old in the switch', () => {
    const [old, now] = [hubState(false, 30), hubState(true, 45)];
    const envoys = (state: MeshState) => [...state.keys()].filter(k => /ConfigMap\/shop\/hub-envoy(-\d+)?$/.test(k)).length;
    expect([envoys(old), envoys(now)]).toEqual([1, 3]);
    const plan = planRollout(old, now, 'static Envoy', 'static Envoy');
    expect(plan.problems).toEqual([]);
    expect(plan.fallback).toBeUndefined();
    const waveOf = (id: string) => plan.waves.findIndex(w => w.steps.some(s => s.id === id));
    expect(waveOf('admit:core/ConfigMap/shop/hub-envoy')).toBeLessThan(waveOf('switch:shop/frontend'));
    for (const wave of plan.waves) expect(versions(wave.state).files).toHaveLength(1);
  });

  test('the hub merges into fewer Envoys: the ConfigMaps of the Envoys it no longer runs go in a wave after its pods switched', () => {
    const [old, now] = [hubState(false, 90), hubState(false, 45)];
    const plan = planRollout(old, now, 'static Envoy', 'static Envoy');
    expect(plan.problems).toEqual([]);
    const gone = [...old.keys()].filter(k => /ConfigMap\/shop\/hub-envoy-\d+$/.test(k) && !now.has(k));
    expect(gone.length).toBeGreaterThan(0);
    const waveOf = (id: string) => plan.waves.findIndex(w => w.steps.some(s => s.id === id));
    for (const key of gone) expect(waveOf(`remove:${key}`)).toBeGreaterThan(waveOf('switch:shop/hub'));
    const [switched] = planText(plan, old, 'out').split(`## Wave ${waveOf('switch:shop/hub') + 2}`);
    expect(switched).not.toMatch(/kubectl delete configmap hub-envoy/);
  });
});
