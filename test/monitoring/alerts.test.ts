import { ALERT_OPTIONS, INVENTORY, MINUTES, ORDER_PODS, ORDERS, orderServiceSeries, PAYMENT, RUNBOOK, Scenario, SLOW } from './fixtures';
import { ExpectedAlert, RuleTestBatch, Workdir } from './promtool';
import { MESH, SIDECAR_JOB } from './series';
import { alertRules } from '../../src/monitoring/alerts';
import { meshRecordingRules } from '../../src/monitoring/recording-rules';

const UPSTREAMS = [PAYMENT, INVENTORY];
const GROUPS = [meshRecordingRules(MESH), alertRules(ORDERS, UPSTREAMS, ALERT_OPTIONS)];
const ALERT_NAMES = GROUPS[1].rules.map(r => r.alert!);
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
  return { exp_labels: { mesh_service: ORDERS.name, ...labels }, exp_annotations: { summary, description, runbook_url: RUNBOOK } };
}

const own = { namespace: 'shop', mesh_service: 'order-service' };
const healthy = (minutes: number) => ({ minutes, perMinute: 600, errorRatio: 0.01 });
/** Minutes of a scenario after its first 10. */
const LATER = MINUTES - 10;

describe('alertRules', () => {
  test('has the documented alerts, each with a severity, summary, description and runbook', () => {
    expect(ALERT_NAMES).toEqual([
      'MeshHighErrorRatio', 'MeshHighLatency', 'MeshNoTraffic', 'MeshSidecarDown', 'MeshSidecarsAbsent', 'MeshConfigRejected',
      'MeshEdgeHighErrorRatio', 'MeshEdgeHighLatency', 'MeshOutlierEjections', 'MeshCircuitBreakerOpen', 'MeshCircuitBreakerOverflow',
    ]);
    for (const rule of GROUPS[1].rules) {
      expect(['critical', 'warning', 'info']).toContain(rule.labels?.severity);
      expect(rule.labels?.mesh_service).toBe('order-service');
      expect(rule.labels?.namespace).toBe('shop');
      expect(Object.keys(rule.annotations ?? {}).sort()).toEqual(['description', 'runbook_url', 'summary']);
      expect(rule.for).toBe('5m');
    }
  });

  test('without expected traffic there is no MeshNoTraffic and a missing service is a ticket', () => {
    const group = alertRules(ORDERS, [], { errorRatio: 0.01, latencyP99Ms: 250, expectTraffic: false, for: '10m' });
    expect(group.rules.map(r => r.alert)).toEqual(['MeshHighErrorRatio', 'MeshHighLatency', 'MeshSidecarDown', 'MeshSidecarsAbsent', 'MeshConfigRejected']);
    expect(group.rules.find(r => r.alert === 'MeshSidecarsAbsent')?.labels?.severity).toBe('warning');
    expect(group.rules.every(r => r.for === '10m' && r.annotations?.runbook_url === undefined)).toBe(true);
    expect(group.rules[0].expr).toContain('> 0.01');
    expect(group.rules.find(r => r.alert === 'MeshSidecarDown')?.expr).toBe('(up{namespace="shop", mesh_service="order-service"} == 0) or '
      + '(envoy_server_live{namespace="shop", mesh_service="order-service"} == 0)');
  });

  test.each([
    [{ errorRatio: 0 }, 'errorRatio 0 is invalid'],
    [{ errorRatio: 1.5 }, 'errorRatio 1.5 is invalid'],
    [{ latencyP99Ms: -1 }, 'latencyP99Ms -1 is invalid'],
    [{ latencyP99Ms: Infinity }, 'latencyP99Ms Infinity is invalid'],
    [{ for: '5 minutes' }, "for '5 minutes' is invalid"],
  ])('rejects %j', (bad, message) => {
    expect(() => alertRules(ORDERS, UPSTREAMS, { ...ALERT_OPTIONS, ...bad })).toThrow(message);
  });

  test('rejects two upstreams with one name and invalid names', () => {
    expect(() => alertRules(ORDERS, [PAYMENT, { name: 'payment', namespace: 'shop' }], ALERT_OPTIONS)).toThrow(/two upstreams named 'payment'/);
    expect(() => alertRules({ name: 'Orders', namespace: 'shop' }, [], ALERT_OPTIONS)).toThrow(/'Orders' is not a valid DNS label/);
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
        alerts: [firing({ ...own, job: SIDECAR_JOB, endpoint: 'stats', severity: 'critical' }, 'shop/order-service has no sidecar',
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
