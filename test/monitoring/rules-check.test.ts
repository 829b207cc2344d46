import { ALERT_SETTINGS, GRAPH, MESH_ALERTS, PAYMENT } from './fixtures';
import { checkRules, expectSuccess, Workdir } from './promtool';
import { alertSettingRules } from '../../src/monitoring/alert-settings';
import { meshAlertRules } from '../../src/monitoring/alerts';
import { meshRecordingRules } from '../../src/monitoring/recording-rules';
import { ENVOY_REQUEST_METRICS } from '../../src/monitoring/request-metrics';
import { sloRules } from '../../src/monitoring/slo';
import { meshSloRules } from '../../src/monitoring/slo-rules';
import { PromRuleGroup } from '../../src/monitoring/types';
import { validateManifest } from '../validate/kubernetes';

const dir = new Workdir();
afterAll(() => dir.cleanup());

/** Every group of every service of the sample graph and of a namesake in staging, as one Prometheus would load them. */
const GROUPS: PromRuleGroup[] = [meshRecordingRules('shop-mesh'), meshRecordingRules('staging-mesh'),
  ...['shop-mesh', 'staging-mesh'].flatMap(mesh => meshAlertRules(mesh, { ...MESH_ALERTS, configOutdated: true, profiles: [{}, { for: '2m' }] })),
  ...['shop-mesh', 'staging-mesh'].map(mesh => meshSloRules(mesh, { metrics: ENVOY_REQUEST_METRICS, latencyThresholdsMs: [250, 0.75], interval: '30s' })), ...[
    ...GRAPH, { service: { name: 'order-service', namespace: 'staging' }, upstreams: [PAYMENT] },
  ].flatMap(({ service, upstreams }, i) => [
    alertSettingRules(service, {
      ...ALERT_SETTINGS,
      mesh: service.namespace === 'staging' ? 'staging-mesh' : 'shop-mesh',
      expectTraffic: i % 2 === 0,
      configVersion: `v${upstreams.length}`,
      profile: i === 1 ? { for: '2m' } : {},
    }),
    ...sloRules(service, [
      { kind: 'availability', target: 99.95 },
      { kind: 'latency', target: 99, thresholdMs: 250 },
      { kind: 'latency', target: 90, thresholdMs: 0.75 },
    ], { mesh: service.namespace === 'staging' ? 'staging-mesh' : 'shop-mesh', interval: '30s' }),
  ])];

describe('promtool check rules', () => {
  test('accepts every group of the sample graph', async () => {
    const result = await checkRules(dir, 'graph.rules.yml', GROUPS);
    expectSuccess(result);
    const rules = GROUPS.reduce((n, g) => n + g.rules.length, 0);
    expect(result.output).toContain(`SUCCESS: ${rules} rules found`);
  });

  test('group names are unique, and alerts unique within a group (variants of one alert differ in severity, or in burn for the SLO alerts)', () => {
    const names = GROUPS.map(g => g.name);
    expect(new Set(names).size).toBe(names.length);
    for (const group of GROUPS) {
      const alerts = group.rules.filter(r => r.alert).map(r => r.alert);
      const variants = group.rules.filter(r => r.alert).map(r => `${r.alert}/${r.labels?.severity ?? r.labels?.burn}`);
      expect(new Set(variants).size).toBe(variants.length);
      for (const alert of alerts) expect(alert).toMatch(/^Mesh[A-Za-z]+$/);
    }
  });

  test('the groups fit a prometheus-operator PrometheusRule', () => {
    const rule = { apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule', metadata: { name: 'mesh', namespace: 'shop' }, spec: { groups: GROUPS } };
    expect(validateManifest(JSON.parse(JSON.stringify(rule)))).toEqual([]);
    expect(validateManifest({ ...rule, spec: { groups: [{ name: 'x', rules: [{ alert: 'X', expr: 'up', for: '5 minutes' }] }] } })).not.toEqual([]);
  });

  test('rejects a broken rule (the check is not vacuous)', async () => {
    const result = await checkRules(dir, 'broken.rules.yml', [{ name: 'broken', rules: [{ record: 'x:y:rate5m', expr: 'sum(rate(x[5m])' }] }]);
    expect(result.code).not.toBe(0);
  });
});
