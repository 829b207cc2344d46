import { ALERT_SETTINGS, INVENTORY, MESH_ALERTS, MINUTES, orderServiceSeries, ORDERS, PAYMENT, PROFILE, RUNBOOK } from './fixtures';
import { ExpectedAlert, RuleTestBatch, Workdir } from './promtool';
import { gauge, httpSeries, InputSeries, MESH, series, sidecar } from './series';
import { resolveProfile } from '../../src/monitoring/alert-profile';
import { AlertSettings, alertSettingRules } from '../../src/monitoring/alert-settings';
import { meshAlertRules } from '../../src/monitoring/alerts';
import { meshRecordingRules } from '../../src/monitoring/recording-rules';
import { PromRuleGroup, ServiceRef } from '../../src/monitoring/types';

/**
 * The mesh's one alert set against the settings of several services: each
 * is held to its own thresholds, the services expected are those with
 * settings, profiles keep their severities and `for`, two meshes stay apart.
 */

const dir = new Workdir();
afterAll(() => dir.cleanup());
const at = '25m';

const BATCH: ServiceRef = { name: 'batch', namespace: 'shop' };
const REPORTS: ServiceRef = { name: 'reports', namespace: 'shop' };
const PAGER = { ...PROFILE, for: '10m', severities: { page: 'p1', ticket: 'p3', info: 'p5' } };

/** A service's sidecar in `mesh`: up, and receiving `perMinute` requests of which `errorRatio` fail. */
function running(service: ServiceRef, perMinute: number, errorRatio: number, mesh = MESH): InputSeries[] {
  const target = sidecar(service, `${service.name}-1`, 'v1', mesh);
  return [series('up', target, gauge([[1, MINUTES]])), ...httpSeries(target, 'inbound', [{ minutes: MINUTES, perMinute, errorRatio }])];
}

function alert(service: ServiceRef, severity: string, summary: string, description: string, mesh = MESH): ExpectedAlert {
  const profile = severity === 'p1' || severity === 'p3' ? PAGER : PROFILE;
  return {
    exp_labels: { mesh, namespace: service.namespace, mesh_service: service.name, severity, alert_profile: resolveProfile(profile).id },
    exp_annotations: { summary, description, runbook_url: RUNBOOK },
  };
}

const absent = (service: ServiceRef, severity: string) => alert(service, severity, `${service.namespace}/${service.name} has no sidecar`,
  `Prometheus has no scrape target for ${service.namespace}/${service.name}: no pod runs, or the PodMonitor selects none.`);

describe('one mesh, services with settings of their own', () => {
  const settings: Array<[ServiceRef, Partial<AlertSettings>]> = [
    [ORDERS, {}],
    [INVENTORY, { errorRatio: 0.2 }],
    [BATCH, { expectTraffic: false, profile: PAGER }],
    [REPORTS, { expectTraffic: false, profile: PAGER }],
    [PAYMENT, {}],
  ];
  const groups: PromRuleGroup[] = [
    meshRecordingRules(MESH),
    ...meshAlertRules(MESH, { ...MESH_ALERTS, profiles: [PROFILE, PAGER] }),
    ...settings.map(([service, own]) => alertSettingRules(service, { ...ALERT_SETTINGS, ...own })),
  ];
  const batch = new RuleTestBatch(dir, 'mesh-alerts', groups);
  batch.add('services', {
    interval: '1m',
    input_series: [
      // order-service and inventory both answer 10% with 5xx; batch runs without traffic; reports and payment have no pod.
      ...orderServiceSeries({ inbound: [{ minutes: MINUTES, perMinute: 600, errorRatio: 0.1 }] }),
      ...running(INVENTORY, 600, 0.1),
      ...running(BATCH, 0, 0),
    ],
    alert_rule_test: [
      {
        eval_time: at,
        alertname: 'MeshHighErrorRatio',
        exp_alerts: [alert(ORDERS, 'critical', 'shop/order-service answers too many requests with 5xx',
          '10% of the requests to shop/order-service failed with 5xx over 5m (threshold 5%).')],
      },
      { eval_time: at, alertname: 'MeshNoTraffic', exp_alerts: [] },
      { eval_time: '8m', alertname: 'MeshSidecarsAbsent', exp_alerts: [absent(PAYMENT, 'critical')] },
      { eval_time: at, alertname: 'MeshSidecarsAbsent', exp_alerts: [absent(PAYMENT, 'critical'), absent(REPORTS, 'p3')] },
    ],
  });
  test('two services with different thresholds: only the one over its own threshold fires', () => batch.verify('services'));
  test('MeshSidecarsAbsent fires for services with no scrape target at all, each with its profile\'s severity and for', () => batch.verify('services'));
  test('a service that does not expect traffic gets no MeshNoTraffic', () => batch.verify('services'));

  test('a service that expects traffic and gets none does get MeshNoTraffic (the check above is not vacuous)', () => {
    const expecting = groups.map(g => (g.name === 'mesh-alert-settings/shop/batch' ? alertSettingRules(BATCH, { ...ALERT_SETTINGS, profile: PAGER }) : g));
    const check = new RuleTestBatch(dir, 'mesh-alerts-expecting', expecting);
    check.add('expecting', {
      interval: '1m',
      input_series: running(BATCH, 0, 0),
      alert_rule_test: [{
        eval_time: at,
        alertname: 'MeshNoTraffic',
        exp_alerts: [alert(BATCH, 'p1', 'shop/batch receives no requests',
          'The sidecars of shop/batch have received no request for at least 10m, although the service is expected to have traffic.')],
      }],
    });
    return check.verify('expecting');
  });
});

describe('two meshes in one Prometheus', () => {
  const OTHER = 'other-mesh';
  // The same namespace and service in both meshes, with thresholds of their own; group names made unique for one rule file.
  const other = alertSettingRules(ORDERS, { ...ALERT_SETTINGS, mesh: OTHER, errorRatio: 0.4 });
  const groups: PromRuleGroup[] = [
    meshRecordingRules(MESH), meshRecordingRules(OTHER),
    ...meshAlertRules(MESH, MESH_ALERTS), ...meshAlertRules(OTHER, MESH_ALERTS),
    alertSettingRules(ORDERS, ALERT_SETTINGS), { ...other, name: `${other.name}/${OTHER}` },
  ];
  const batch = new RuleTestBatch(dir, 'two-meshes', groups);
  batch.add('apart', {
    interval: '1m',
    // shop-mesh's order-service is healthy; other-mesh's fails half its requests, over its threshold of 40%.
    input_series: [...orderServiceSeries(), ...running(ORDERS, 600, 0.5, OTHER)],
    alert_rule_test: [
      {
        eval_time: at,
        alertname: 'MeshHighErrorRatio',
        exp_alerts: [alert(ORDERS, 'critical', 'shop/order-service answers too many requests with 5xx',
          '50% of the requests to shop/order-service failed with 5xx over 5m (threshold 40%).', OTHER)],
      },
      { eval_time: at, alertname: 'MeshSidecarsAbsent', exp_alerts: [] },
    ],
  });
  test("each mesh's alerts read its own series and settings only", () => batch.verify('apart'));
});
