import { ALERT_SETTINGS, MESH_ALERTS, MINUTES, ORDER_PODS, ORDERS, orderServiceSeries, PROFILE, RUNBOOK, Scenario, SLOW } from './fixtures';
import { ExpectedAlert, RuleTestBatch, Workdir } from './promtool';
import { MESH, SIDECAR_JOB } from './series';
import { alertSettingRules } from '../../src/monitoring/alert-settings';
import { meshAlertRules } from '../../src/monitoring/alerts';
import { envoyVersionGauge } from '../../src/monitoring/envoy-version';
import { meshRecordingRules } from '../../src/monitoring/recording-rules';

const MESH_GROUPS = [meshRecordingRules(MESH), ...meshAlertRules(MESH, MESH_ALERTS)];
const GROUPS = [...MESH_GROUPS, alertSettingRules(ORDERS, ALERT_SETTINGS)];
/** The `alert_profile` of the fixtures' services (not the default: they have a runbook). */
const PROFILE_ID = alertSettingRules(ORDERS, ALERT_SETTINGS).rules[0].labels!.alert_profile;
const ALERT_NAMES = [...new Set(MESH_GROUPS[1].rules.map(r => r.alert!))];
const dir = new Workdir();
const batch = new RuleTestBatch(dir, 'alerts', GROUPS);
afterAll(() => dir.cleanup());

/** A jest test checking that in `scenario` each alert is exactly `alerts` at `at` (e.g. '30m'). */
function scenarioTest(title: string, name: string, scenario: Scenario, checks: Array<{ at: string; alert: string; alerts: ExpectedAlert[] }>) {
  batch.add(name, {
    interval: '1m',
    input_series: orderServiceSeries(scenario),
    alert_rule_test: checks.map(c => ({ eval_time: c.at, alertname: c.alert, exp_alerts: c.alerts })),
  });
  test(title, () => batch.verify(name));
}

function firing(labels: Record<string, string>, summary: string, description: string): ExpectedAlert {
  return {
    exp_labels: { mesh_service: ORDERS.name, mesh: MESH, alert_profile: PROFILE_ID, ...labels },
    exp_annotations: { summary, description, runbook_url: RUNBOOK },
  };
}

const own = { namespace: 'shop', mesh_service: 'order-service' };
const healthy = (minutes: number) => ({ minutes, perMinute: 600, errorRatio: 0.01 });
/** Minutes of a scenario after its first 10. */
const LATER = MINUTES - 10;

describe('meshAlertRules and alertSettingRules', () => {
  test('the mesh has the documented alerts, each with a severity, summary, description and runbook', () => {
    expect(ALERT_NAMES).toEqual([
      'MeshHighErrorRatio', 'MeshHighLatency', 'MeshNoTraffic', 'MeshSidecarDown', 'MeshSidecarsAbsent', 'MeshConfigRejected',
      'MeshEdgeHighErrorRatio', 'MeshEdgeHighLatency', 'MeshOutlierEjections', 'MeshCircuitBreakerOpen', 'MeshCircuitBreakerOverflow',
    ]);
    for (const rule of MESH_GROUPS[1].rules) {
      expect(['critical', 'warning', 'info']).toContain(rule.labels?.severity);
      expect(rule.labels?.mesh).toBe(MESH);
      expect(Object.keys(rule.annotations ?? {}).sort()).toEqual(['description', 'runbook_url', 'summary']);
      expect(rule.for).toBe('5m');
    }
    expect(MESH_GROUPS[1].name).toBe(`mesh-alerts/${MESH}`);
    expect(MESH_GROUPS[1].rules.every(r => r.labels?.alert_profile === PROFILE_ID)).toBe(true);
    expect(meshAlertRules(MESH)[0].rules.every(r => r.labels?.alert_profile === undefined)).toBe(true);
  });

  test('a service holds one constant rule of settings; without expected traffic it is labelled so, and a missing service is a ticket', () => {
    const group = alertSettingRules(ORDERS, { mesh: MESH, errorRatio: 0.01, latencyP99Ms: 250, expectTraffic: false, configVersion: 'abc' });
    expect(group.rules).toEqual([{
      record: 'mesh_service:alert_setting:value',
      expr: 'label_replace(vector(0.01), "setting", "error_ratio", "", "") or label_replace(vector(250), "setting", "latency_p99_ms", "", "") '
        + `or label_replace(label_replace(vector(${envoyVersionGauge('abc')}), "setting", "config_version", "", ""), "config_version", "abc", "", "")`,
      labels: { mesh: MESH, namespace: 'shop', mesh_service: 'order-service', alert_profile: 'default', expect_traffic: 'false' },
    }]);
    const rules = MESH_GROUPS[1].rules;
    expect(rules.find(r => r.alert === 'MeshNoTraffic')?.expr).toContain('expect_traffic="true"');
    expect(rules.filter(r => r.alert === 'MeshSidecarsAbsent').map(r => [r.labels?.severity, /expect_traffic="(\w+)"/.exec(r.expr)?.[1]]))
      .toEqual([['critical', 'true'], ['warning', 'false']]);
    expect(rules.find(r => r.alert === 'MeshSidecarDown')?.expr).toBe('((up{mesh="shop-mesh", job="mesh/sidecars", endpoint="stats"} == 0) or '
      + '(envoy_server_live{mesh="shop-mesh", job="mesh/sidecars", endpoint="stats"} == 0)) and on (mesh, namespace, mesh_service) '
      + `mesh_service:alert_setting:value{mesh="shop-mesh", setting="error_ratio", alert_profile="${PROFILE_ID}"}`);
  });

  test('one alert set per profile; the defaults make one', () => {
    const other = { ...PROFILE, for: '10m', severities: { page: 'p1', ticket: 'p3', info: 'p5' } };
    const groups = meshAlertRules(MESH, { profiles: [PROFILE, other, { ...PROFILE }] });
    expect(groups.map(g => g.name)).toEqual([expect.stringMatching(/^mesh-alerts\/shop-mesh\/p[0-9a-f]{8}$/), expect.stringMatching(/^mesh-alerts\/shop-mesh\/p[0-9a-f]{8}$/)]);
    expect(groups.map(g => g.rules.length)).toEqual([groups[0].rules.length, groups[0].rules.length]);
    expect(meshAlertRules(MESH).map(g => g.name)).toEqual(['mesh-alerts/shop-mesh']);
    expect(meshAlertRules(MESH, { profiles: [{}, { severities: { page: 'critical', ticket: 'warning', info: 'info' }, for: '5m' }] })).toHaveLength(1);
    expect(PROFILE_ID).toBe(groups.find(g => g.rules.some(r => r.for === '5m'))!.name.split('/')[2]);
  });

  test.each([
    [{ errorRatio: 0 }, 'errorRatio 0 is invalid'],
    [{ errorRatio: 1.5 }, 'errorRatio 1.5 is invalid'],
    [{ latencyP99Ms: -1 }, 'latencyP99Ms -1 is invalid'],
    [{ latencyP99Ms: Infinity }, 'latencyP99Ms Infinity is invalid'],
    [{ profile: { for: '5 minutes' } }, "for '5 minutes' is invalid"],
  ])('rejects %j', (bad, message) => {
    expect(() => alertSettingRules(ORDERS, { ...ALERT_SETTINGS, ...bad })).toThrow(message);
  });

  test('rejects a profile with an invalid for, and invalid names', () => {
    expect(() => meshAlertRules(MESH, { profiles: [{ for: '5 minutes' }] })).toThrow("for '5 minutes' is invalid");
    expect(() => alertSettingRules({ name: 'Orders', namespace: 'shop' }, ALERT_SETTINGS)).toThrow(/'Orders' is not a valid DNS label/);
    expect(() => meshAlertRules('Shop Mesh')).toThrow(/mesh label 'Shop Mesh' is invalid/);
  });
});

describe('alerts under promtool', () => {
  scenarioTest('healthy traffic, with failing services elsewhere, raises no alert', 'healthy', {},
    ['10m', '25m', `${MINUTES}m`].flatMap(at => ALERT_NAMES.map(alert => ({ at, alert, alerts: [] }))));

  scenarioTest('MeshHighErrorRatio fires on an error burst, after its for period', 'error-burst',
    { inbound: [healthy(10), { minutes: LATER, perMinute: 600, errorRatio: 0.1 }] }, [
      { at: '13m', alert: 'MeshHighErrorRatio', alerts: [] },
      {
        at: '25m',
        alert: 'MeshHighErrorRatio',
        alerts: [firing({ ...own, mesh: MESH, severity: 'critical' }, 'shop/order-service answers too many requests with 5xx',
          '10% of the requests to shop/order-service failed with 5xx over 5m (threshold 5%).')],
      },
      { at: '25m', alert: 'MeshEdgeHighErrorRatio', alerts: [] },
    ]);

  scenarioTest('MeshHighLatency fires on a latency regression seen in the histogram buckets', 'latency-regression',
    { inbound: [healthy(10), { minutes: LATER, perMinute: 600, errorRatio: 0.01, latency: SLOW }] }, [
      { at: '12m', alert: 'MeshHighLatency', alerts: [] },
      {
        at: '25m',
        alert: 'MeshHighLatency',
        alerts: [firing({ ...own, mesh: MESH, severity: 'critical' }, 'shop/order-service is slow',
          'The 99th percentile latency of shop/order-service is 2470ms over 5m (threshold 500ms).')],
      },
    ]);

  scenarioTest('MeshNoTraffic fires when requests stop', 'traffic-stops',
    { inbound: [healthy(10), { minutes: LATER, perMinute: 0 }] }, [
      { at: '12m', alert: 'MeshNoTraffic', alerts: [] },
      {
        at: '25m',
        alert: 'MeshNoTraffic',
        alerts: [firing({ ...own, mesh: MESH, severity: 'critical' }, 'shop/order-service receives no requests',
          'The sidecars of shop/order-service have received no request for at least 5m, although the service is expected to have traffic.')],
      },
      { at: '25m', alert: 'MeshHighErrorRatio', alerts: [] },
    ]);

  const down = (pod: string) => firing({ ...own, mesh: MESH, pod, mesh_version: 'v1', job: SIDECAR_JOB, endpoint: 'stats', severity: 'warning' },
    'A sidecar of shop/order-service is down',
    `The sidecar of pod ${pod} of shop/order-service cannot be scraped (up == 0) or is draining (envoy_server_live == 0).`);
  scenarioTest('MeshSidecarDown fires for a pod whose scrape fails or whose sidecar drains', 'sidecar-down', {
    up: { [ORDER_PODS[0]]: [[1, 10], [0, LATER]] },
    live: { [ORDER_PODS[1]]: [[1, 10], [0, LATER]] },
  }, [
    { at: '12m', alert: 'MeshSidecarDown', alerts: [] },
    { at: '25m', alert: 'MeshSidecarDown', alerts: [down(ORDER_PODS[0]), down(ORDER_PODS[1])] },
    { at: '25m', alert: 'MeshSidecarsAbsent', alerts: [] },
  ]);

  scenarioTest('MeshConfigRejected fires for a sidecar that refused a new listener file, and clears 15m later', 'config-rejected', {
    ldsRejected: { [ORDER_PODS[0]]: [[0, 10], [1, 1], [0, LATER - 1]] },
  }, [
    { at: '9m', alert: 'MeshConfigRejected', alerts: [] },
    {
      at: '17m',
      alert: 'MeshConfigRejected',
      alerts: [firing({ ...own, pod: ORDER_PODS[0], severity: 'warning' },
        'A sidecar of shop/order-service refused its new configuration',
        `The sidecar of pod ${ORDER_PODS[0]} of shop/order-service refused or could not read a listener, cluster, route or filter file; `
        + 'it keeps the previous version, though of a refused listener or cluster file it may apply the resources that were valid: '
        + 'see its log, or /config_dump on the admin port.')],
    },
    { at: '29m', alert: 'MeshConfigRejected', alerts: [] },
  ]);

  const gone: Array<[number | 'stale', number]> = [[1, 10], ['stale', 1]];
  scenarioTest('MeshSidecarsAbsent fires when every target of the service is gone', 'sidecars-gone',
    { up: { [ORDER_PODS[0]]: gone, [ORDER_PODS[1]]: gone } }, [
      { at: '12m', alert: 'MeshSidecarsAbsent', alerts: [] },
      {
        at: '25m',
        alert: 'MeshSidecarsAbsent',
        alerts: [firing({ ...own, severity: 'critical' }, 'shop/order-service has no sidecar',
          'Prometheus has no scrape target for shop/order-service: no pod runs, or the PodMonitor selects none.')],
      },
    ]);

  scenarioTest('MeshEdgeHighErrorRatio fires for the failing edge only', 'edge-errors',
    { outbound: { payment: [{ minutes: 10, perMinute: 300 }, { minutes: LATER, perMinute: 300, errorRatio: 0.2 }] } }, [
      {
        at: '25m',
        alert: 'MeshEdgeHighErrorRatio',
        alerts: [firing({ namespace: 'shop', mesh: MESH, caller: 'order-service', upstream: 'payment', severity: 'warning' },
          'Calls shop/order-service -> payment fail',
          '20% of the requests shop/order-service -> payment failed with 5xx over 5m, as the caller saw them (threshold 5%).')],
      },
      { at: '25m', alert: 'MeshHighErrorRatio', alerts: [] },
    ]);

  scenarioTest('MeshEdgeHighLatency fires for the slow edge only', 'edge-latency',
    { outbound: { inventory: [{ minutes: 10, perMinute: 300 }, { minutes: LATER, perMinute: 300, latency: SLOW }] } }, [
      {
        at: '25m',
        alert: 'MeshEdgeHighLatency',
        alerts: [firing({ namespace: 'shop', mesh: MESH, caller: 'order-service', upstream: 'inventory', severity: 'warning' },
          'Calls shop/order-service -> inventory are slow',
          'The 99th percentile latency of the requests shop/order-service -> inventory is 2470ms over 5m, as the caller saw it (threshold 500ms).')],
      },
      { at: '25m', alert: 'MeshHighLatency', alerts: [] },
    ]);

  scenarioTest('MeshOutlierEjections fires while hosts of an upstream are ejected, and stops after', 'ejections',
    { ejections: { payment_v1: [[0, 5], [2, 20], [0, MINUTES - 25]] } }, [
      {
        at: '20m',
        alert: 'MeshOutlierEjections',
        alerts: [firing({ ...own, envoy_cluster_name: 'payment_v1', upstream: 'payment', severity: 'info' },
          'Outlier detection ejected hosts: shop/order-service -> payment (cluster payment_v1)',
          'A sidecar of shop/order-service has ejected 2 hosts of cluster payment_v1.')],
      },
      { at: `${MINUTES}m`, alert: 'MeshOutlierEjections', alerts: [] },
    ]);

  scenarioTest('MeshCircuitBreakerOpen fires while a breaker is at its limit', 'breaker-open',
    { breakers: { 'inventory_v2/rq': [[0, 10], [1, LATER]] } }, [
      {
        at: '25m',
        alert: 'MeshCircuitBreakerOpen',
        alerts: [firing({ ...own, envoy_cluster_name: 'inventory_v2', upstream: 'inventory', breaker: 'rq', severity: 'info' },
          'Circuit breaker open: shop/order-service -> inventory (cluster inventory_v2)',
          'The rq circuit breaker of a sidecar of shop/order-service is at its limit for cluster inventory_v2.')],
      },
    ]);

  scenarioTest('MeshCircuitBreakerOverflow fires while a breaker rejects requests', 'breaker-overflow',
    { overflow: { payment_v1: [[0, 10], [30, LATER]] } }, [
      {
        at: '25m',
        alert: 'MeshCircuitBreakerOverflow',
        alerts: [firing({ ...own, envoy_cluster_name: 'payment_v1', upstream: 'payment', severity: 'warning' },
          'Circuit breaker rejects requests: shop/order-service -> payment (cluster payment_v1)',
          '1.00 requests/s from shop/order-service to cluster payment_v1 failed at a circuit breaker over 5m.')],
      },
    ]);
});
