import { FRONTEND, ORDERS, RUNBOOK } from './fixtures';
import { ExpectedAlert, RuleTestBatch, UnitTest, Workdir } from './promtool';
import { BUCKETS, counter, FAST, HistogramOptions, HttpPhase, httpSeries, LatencyProfile, MESH, series, sidecar, SLOW } from './series';
import { latencyBuckets, openMetricsFloat } from '../../src/monitoring/buckets';
import { edgeInfoRules } from '../../src/monitoring/edge-info';
import { ENVOY_REQUEST_METRICS } from '../../src/monitoring/request-metrics';
import { Objective, SLO_WINDOWS, sloRules, validateObjective } from '../../src/monitoring/slo';
import { meshSloRules } from '../../src/monitoring/slo-rules';
import { PromRuleGroup } from '../../src/monitoring/types';

const AVAILABILITY: Objective = { kind: 'availability', target: 99.9 };
const LATENCY: Objective = { kind: 'latency', target: 99, thresholdMs: 300 };
const ADMIN = { name: 'admin', namespace: 'ops' };
/** The mesh's SLO rules, order-service's objectives, and the edge info of its callers (admin, in namespace ops, calls order-service in shop). */
const MESH_SLOS = meshSloRules(MESH, { metrics: ENVOY_REQUEST_METRICS, latencyThresholdsMs: [300, 500] });
const CALLERS = [FRONTEND, ADMIN].map(caller => edgeInfoRules(MESH, caller, [ORDERS])!);
const GROUPS: PromRuleGroup[] = [MESH_SLOS, ...sloRules(ORDERS, [AVAILABILITY, LATENCY], { mesh: MESH, runbookUrl: RUNBOOK }), ...CALLERS];
const ALERT_NAMES = [...new Set(MESH_SLOS.rules.filter(r => r.alert).map(r => r.alert!))];

describe('validateObjective', () => {
  test.each([0, 100, 150, -1, NaN, Infinity])('rejects target %p', target => {
    expect(validateObjective({ kind: 'availability', target })).toEqual([
      `availability objective target ${target} is invalid: use a percentage between 0 and 100, both exclusive, e.g. 99.9`,
    ]);
    expect(validateObjective({ kind: 'latency', target, thresholdMs: 250 })).toHaveLength(1);
  });

  test.each([0, -250, NaN, Infinity])('rejects thresholdMs %p', thresholdMs => {
    expect(validateObjective({ kind: 'latency', target: 99, thresholdMs })).toEqual([
      `latency objective thresholdMs ${thresholdMs} is invalid: use a positive, finite number of milliseconds, e.g. 250`,
    ]);
  });

  test('rejects a missing threshold, a non-number and an unknown kind', () => {
    expect(validateObjective({ kind: 'latency', target: 99 } as any)).toEqual([
      'latency objective thresholdMs undefined is invalid: use a positive, finite number of milliseconds, e.g. 250',
    ]);
    expect(validateObjective({ kind: 'availability', target: '99.9' } as any)).toHaveLength(1);
    expect(validateObjective({ kind: 'throughput', target: 99 } as any)).toEqual([
      "objective kind 'throughput' is invalid: use 'availability' or 'latency'",
    ]);
  });

  test('accepts valid objectives', () => {
    expect(validateObjective(AVAILABILITY)).toEqual([]);
    expect(validateObjective(LATENCY)).toEqual([]);
    expect(validateObjective({ kind: 'latency', target: 0.5, thresholdMs: 0.5 })).toEqual([]);
  });
});

describe('sloRules and meshSloRules', () => {
  test('an objective is one constant rule; the mesh records each window once, then the alerts', () => {
    expect(GROUPS[1].rules.map(r => [r.record, r.expr, r.labels?.sloth_id])).toEqual([
      ['slo:objective:ratio', 'vector(0.999)', 'shop-order-service-availability'],
      ['slo:objective:ratio', 'vector(0.99)', 'shop-order-service-latency-300ms'],
    ]);
    expect(MESH_SLOS.rules.map(r => r.record ?? r.alert)).toEqual([
      'mesh_service:slo_errors:rate5m', 'mesh_service:slo_requests:rate5m',
      ...SLO_WINDOWS.map(w => `slo:sli_error:ratio_rate${w}`), 'slo:sli_error:ratio_rate30d',
      'slo:error_budget:ratio', 'slo:time_period:days', 'slo:current_burn_rate:ratio', 'slo:period_burn_rate:ratio',
      'slo:period_error_budget_remaining:ratio', 'sloth_slo_info',
      'MeshAvailabilitySLOBurn', 'MeshAvailabilitySLOBurn', 'MeshLatencySLOBurn', 'MeshLatencySLOBurn', 'MeshLatencySLOBucketMissing',
    ]);
    expect(MESH_SLOS.rules[0].expr).toContain('le=~"300|300\\\\.0"');
    // Windows of 2h and more are summed from the 5m rates, not read from raw counters.
    expect(MESH_SLOS.rules.find(r => r.record === 'slo:sli_error:ratio_rate3d')!.expr).not.toContain('rate(');
    expect(sloRules(ORDERS, [AVAILABILITY], { mesh: MESH, interval: '30s' })[0].interval).toBe('30s');
  });

  test('rejects invalid and duplicate objectives, naming each problem', () => {
    expect(() => sloRules(ORDERS, [{ kind: 'availability', target: 100 }], { mesh: MESH })).toThrow(/target 100 is invalid/);
    expect(() => sloRules(ORDERS, [AVAILABILITY, { kind: 'availability', target: 99 }], { mesh: MESH })).toThrow(/two objectives measure 'availability'/);
    expect(() => sloRules(ORDERS, [LATENCY, { ...LATENCY, target: 95 }], { mesh: MESH })).toThrow(/two objectives measure 'latency-300ms'/);
  });
});

const dir = new Workdir();
afterAll(() => dir.cleanup());
const batch = new RuleTestBatch(dir, 'slo', GROUPS);

/** Every bucket a sidecar with the 300ms threshold bucket has, among those the fixtures use. */
const WITH_THRESHOLD = latencyBuckets([300]).filter(b => b >= BUCKETS[0] && b <= BUCKETS[BUCKETS.length - 1]);
/** 20% of requests slower than 300ms. */
const FIFTH_SLOW: LatencyProfile = { 100: 0.8, 1000: 1 };

/**
 * Scenarios are short: with a constant error ratio from the start, every
 * window, up to 3d, sees that ratio as soon as it has samples.
 */
const MINUTES = 50;

interface Traffic { errorRatio?: number; latency?: LatencyProfile; minutes?: number }

/** Two pods of order-service at 2000 requests a minute each, phase after phase, and a failing staging copy. */
function inbound(phases: Traffic[], options: Array<HistogramOptions | undefined> = []) {
  const http = (t: Traffic): HttpPhase => ({ minutes: t.minutes ?? MINUTES, perMinute: 2000, errorRatio: t.errorRatio, latency: t.latency });
  return [
    ...['order-service-1', 'order-service-2'].flatMap((pod, i) =>
      httpSeries(sidecar(ORDERS, pod), 'inbound', phases.map(http), options[i] ?? { buckets: WITH_THRESHOLD })),
    ...httpSeries(sidecar({ name: ORDERS.name, namespace: 'staging' }, 'order-service-1'), 'inbound',
      [{ minutes: MINUTES, perMinute: 600, errorRatio: 0.5, latency: SLOW }], { buckets: WITH_THRESHOLD }),
  ];
}

type AlertCheck = { at: string; alert: string; alerts: ExpectedAlert[] };

function scenarioTest(title: string, name: string, input: ReturnType<typeof inbound>, checks: AlertCheck[], exprs: UnitTest['promql_expr_test'] = []) {
  batch.add(name, {
    interval: '1m',
    input_series: input,
    alert_rule_test: checks.map(c => ({ eval_time: c.at, alertname: c.alert, exp_alerts: c.alerts })),
    promql_expr_test: exprs,
  });
  test(title, () => batch.verify(name));
}

const silent = (at: string, ...alerts: string[]) => alerts.map(alert => ({ at, alert, alerts: [] }));
const PAGE_WINDOWS = '(1h and 5m windows above 14.4x, or 6h and 30m windows above 6x)';
const TICKET_WINDOWS = '(1d and 2h windows above 3x, or 3d and 6h windows above 1x)';

function burn(objective: Objective, fast: boolean, rate: number, mesh = MESH, runbook: string | null = RUNBOOK): ExpectedAlert {
  const availability = objective.kind === 'availability';
  const what = availability ? '99.9% of requests without 5xx' : '99% of requests within 300ms';
  const slo = availability ? 'availability' : 'latency-300ms';
  return {
    exp_labels: {
      mesh,
      namespace: 'shop',
      mesh_service: 'order-service',
      sloth_id: `shop-order-service-${slo}`,
      sloth_service: 'order-service',
      sloth_slo: slo,
      sloth_objective: availability ? '99.9' : '99',
      ...(runbook && { slo_runbook_url: `${runbook}` }),
      slo,
      slo_target: availability ? '99.9' : '99',
      severity: fast ? 'critical' : 'warning',
      burn: fast ? 'fast' : 'slow',
    },
    exp_annotations: {
      summary: `shop/order-service burns the error budget of its ${objective.kind} SLO ${fast ? 'fast' : 'steadily'}`,
      description: `shop/order-service burns the error budget of its objective "${what}" over 30 days at ${rate} times the sustainable rate `
        + `${fast ? PAGE_WINDOWS : TICKET_WINDOWS}.`,
      runbook_url: runbook ?? '',
    },
  };
}

describe('SLO alerts under promtool', () => {
  scenarioTest('healthy traffic, spending half the budget rate, raises no alert', 'healthy', inbound([{ errorRatio: 0.0005 }]),
    ['10m', '20m', '30m'].flatMap(at => silent(at, ...ALERT_NAMES)));

  scenarioTest('fast burn (20x): page and ticket', 'fast-burn', inbound([{ errorRatio: 0.02 }]), [
    { at: '10m', alert: 'MeshAvailabilitySLOBurn', alerts: [burn(AVAILABILITY, true, 20), burn(AVAILABILITY, false, 20)] },
    ...silent('10m', 'MeshLatencySLOBurn'),
  ]);

  scenarioTest('8x burn pages through the 6h and 30m windows', 'medium-burn', inbound([{ errorRatio: 0.008 }]), [
    { at: '15m', alert: 'MeshAvailabilitySLOBurn', alerts: [burn(AVAILABILITY, true, 8), burn(AVAILABILITY, false, 8)] },
  ]);

  scenarioTest('slow burn (5x): ticket, no page', 'slow-burn', inbound([{ errorRatio: 0.005 }]), [
    { at: '15m', alert: 'MeshAvailabilitySLOBurn', alerts: [burn(AVAILABILITY, false, 5)] },
  ]);

  scenarioTest('2x burn tickets through the 3d and 6h windows', 'very-slow-burn', inbound([{ errorRatio: 0.002 }]), [
    { at: '15m', alert: 'MeshAvailabilitySLOBurn', alerts: [burn(AVAILABILITY, false, 2)] },
  ]);

  scenarioTest('the page stops once the short windows are clean, though the long ones still burn', 'recovered',
    inbound([{ errorRatio: 0.05, minutes: 10 }, { errorRatio: 0, minutes: MINUTES - 10 }]), [
      { at: '8m', alert: 'MeshAvailabilitySLOBurn', alerts: [burn(AVAILABILITY, true, 50), burn(AVAILABILITY, false, 50)] },
      // Only the ticket remains: 1,000 of each pod's 90,000 requests failed, 11.11 times the budget; the 1d and 2h windows sum
      // the 5m rates, each of which carries a minute's errors for five minutes, and read 11.63 (raw counters would read 11.11).
      { at: '45m', alert: 'MeshAvailabilitySLOBurn', alerts: [burn(AVAILABILITY, false, 11.63)] },
    ], [{
      // 10 of 45 minutes at 50x: the 6h window still burns at 11-12x, above its 6x, but the 30m window is clean.
      expr: 'round(sum(slo:sli_error:ratio_rate6h{sloth_slo="availability"}) / 0.001)',
      eval_time: '45m',
      exp_samples: [{ labels: '{}', value: 12 }],
    }, {
      expr: 'sum(slo:sli_error:ratio_rate30m{sloth_slo="availability"})',
      eval_time: '45m',
      exp_samples: [{ labels: '{}', value: 0 }],
    }]);

  scenarioTest('latency fast burn: 20% of requests slower than the threshold', 'latency-fast-burn', inbound([{ latency: FIFTH_SLOW }]), [
    { at: '10m', alert: 'MeshLatencySLOBurn', alerts: [burn(LATENCY, true, 20), burn(LATENCY, false, 20)] },
    ...silent('10m', 'MeshAvailabilitySLOBurn', 'MeshLatencySLOBucketMissing'),
  ]);

  const prometheus3 = { buckets: WITH_THRESHOLD, le: openMetricsFloat };
  scenarioTest('latency fast burn with `le` as Prometheus 3 stores it (300.0)', 'latency-prometheus3',
    inbound([{ latency: FIFTH_SLOW }], [prometheus3, prometheus3]), [
      { at: '10m', alert: 'MeshLatencySLOBurn', alerts: [burn(LATENCY, true, 20), burn(LATENCY, false, 20)] },
    ]);

  scenarioTest('a pod without the threshold bucket is reported, not counted as slow', 'bucket-missing',
    inbound([{ latency: FAST }], [undefined, { buckets: BUCKETS }]), [
      {
        at: '20m',
        alert: 'MeshLatencySLOBucketMissing',
        alerts: [{
          exp_labels: {
            mesh: MESH,
            namespace: 'shop',
            mesh_service: 'order-service',
            pod: 'order-service-2',
            sloth_slo: 'latency-300ms',
            sloth_objective: '99',
            slo_bucket_runbook_url: RUNBOOK,
            slo: 'latency-300ms',
            slo_target: '99',
            severity: 'warning',
          },
          exp_annotations: {
            summary: 'shop/order-service cannot evaluate its latency SLO',
            description: 'The sidecar of pod order-service-2 of shop/order-service has no histogram bucket at 300ms, so its requests are left out '
              + 'of the objective "99% of requests within 300ms": add the threshold to the sidecar\'s histogram buckets (latencyBuckets).',
            runbook_url: RUNBOOK,
          },
        }],
      },
      ...silent('20m', 'MeshLatencySLOBurn'),
    ]);
});

describe('a page after about 17 minutes', () => {
  // Six healthy hours (so that the 6h window starts clean), then 5% errors: against a 0.1% budget they burn 50x,
  // and the 1h window passes 14.4x once 14.4/50 of its hour, 17.3 minutes, has failed.
  const HEALTHY = 370;
  const onset = httpSeries(sidecar(ORDERS, 'order-service-1'), 'inbound',
    [{ minutes: HEALTHY, perMinute: 2000 }, { minutes: 30, perMinute: 2000, errorRatio: 0.05 }], { buckets: WITH_THRESHOLD });
  const after = (minutes: number) => `${HEALTHY + minutes}m`;
  batch.add('onset', {
    interval: '1m',
    input_series: onset,
    // The ticket (2h window above 3x) fires earlier; the page is what must come in about 17 minutes.
    promql_expr_test: [17, 18].map(minutes => ({
      expr: 'count(ALERTS{alertname="MeshAvailabilitySLOBurn", burn="fast", alertstate="firing"})',
      eval_time: after(minutes),
      exp_samples: minutes < 18 ? [] : [{ labels: '{}', value: 1 }],
    })),
  });
  test('5% errors against 99.9% page 18 minutes after they start, not at 17', () => batch.verify('onset'));
});

describe("the availability SLO counts what callers' sidecars saw of the service, not what they answered themselves", () => {
  const callerBatch = new RuleTestBatch(dir, 'slo-callers', GROUPS);
  const frontend = sidecar(FRONTEND, 'frontend-1');
  /** order-service healthy for 10 minutes, then every one of its sidecars gone; frontend keeps calling it. */
  const outage = (callerErrorRatio: number) => [
    ...['order-service-1', 'order-service-2'].flatMap(pod => httpSeries(sidecar(ORDERS, pod), 'inbound', [{ minutes: 10, perMinute: 2000 }])
      .map(s => ({ ...s, values: `${s.values} stale` }))),
    ...httpSeries(frontend, 'outbound_order-service', [
      { minutes: 10, perMinute: 1000 }, { minutes: MINUTES - 10, perMinute: 1000, errorRatio: callerErrorRatio },
    ]),
    // Another service's call to an upstream of the same name elsewhere does not count.
    ...httpSeries(sidecar({ name: 'frontend', namespace: 'staging' }, 'frontend-1'), 'outbound_order-service', [{ minutes: MINUTES, perMinute: 500, errorRatio: 1 }]),
  ];
  callerBatch.add('sidecars-gone', {
    interval: '1m',
    input_series: outage(1),
    alert_rule_test: [
      { eval_time: '8m', alertname: 'MeshAvailabilitySLOBurn', exp_alerts: [] },
      // Over 1h at 25m, frontend saw 15 of its 25 minutes of requests fail: a ratio of 0.6, 600 times the 0.1% budget
      // (the 1d window, summed from 5m rates that started with the outage, reads 565.2).
      { eval_time: '25m', alertname: 'MeshAvailabilitySLOBurn', exp_alerts: [burn(AVAILABILITY, true, 600), burn(AVAILABILITY, false, 565.2)] },
    ],
  });
  test('an outage of every sidecar of the service, which its own sidecars cannot report, pages', () => callerBatch.verify('sidecars-gone'));

  callerBatch.add('callers-healthy', {
    interval: '1m',
    input_series: outage(0).filter(s => !s.series.includes('staging')),
    alert_rule_test: [{ eval_time: '25m', alertname: 'MeshAvailabilitySLOBurn', exp_alerts: [] }],
  });
  test('callers that see no failures add no burn', () => callerBatch.verify('callers-healthy'));

  // admin, in namespace ops, calls order-service in shop: its failures count for shop/order-service.
  callerBatch.add('other-namespace', {
    interval: '1m',
    input_series: [...outage(0).filter(s => !s.series.includes('frontend')),
      ...httpSeries(sidecar(ADMIN, 'admin-1'), 'outbound_order-service', [{ minutes: 10, perMinute: 1000 }, { minutes: MINUTES - 10, perMinute: 1000, errorRatio: 1 }])],
    alert_rule_test: [{ eval_time: '25m', alertname: 'MeshAvailabilitySLOBurn', exp_alerts: [burn(AVAILABILITY, true, 600), burn(AVAILABILITY, false, 565.2)] }],
  });
  test('a caller in another namespace counts for the upstream it calls', () => callerBatch.verify('other-namespace'));

  // The same, with a service of the same name in admin's namespace ops that has an objective too: admin's failing calls burn
  // the budget of shop/order-service, the upstream its own rules name, and not that of ops/order-service.
  const twin = { name: ORDERS.name, namespace: ADMIN.namespace };
  const twinBatch = new RuleTestBatch(dir, 'slo-twin', [...GROUPS, ...sloRules(twin, [AVAILABILITY], { mesh: MESH, runbookUrl: RUNBOOK })]);
  const adminFailing = (ratio: number) => [...outage(0).filter(s => !s.series.includes('frontend')),
    ...httpSeries(sidecar(ADMIN, 'admin-1'), 'outbound_order-service', [{ minutes: 10, perMinute: 1000 }, { minutes: MINUTES - 10, perMinute: 1000, errorRatio: ratio }])];
  twinBatch.add('twin', {
    interval: '1m',
    input_series: adminFailing(1),
    alert_rule_test: [{ eval_time: '25m', alertname: 'MeshAvailabilitySLOBurn', exp_alerts: [burn(AVAILABILITY, true, 600), burn(AVAILABILITY, false, 565.2)] }],
    promql_expr_test: [{
      expr: 'count by (namespace) (mesh_service:slo_requests:rate5m{slo_view="callers"})', eval_time: '25m', exp_samples: [{ labels: '{namespace="shop"}', value: 1 }],
    }],
  });
  test("a cross-namespace call's errors burn the upstream's objective in its namespace, not that of a namesake in the caller's", () => twinBatch.verify('twin'));

  /** order-service healthy, frontend's sidecar answering `share` of its calls itself, as 503s, for 4.5 hours. */
  const HOURS = 270;
  const callerLocal = (share: number, counter_: 'overflow' | 'active-overflow' | 'fault') => [
    ...['order-service-1', 'order-service-2'].flatMap(pod => httpSeries(sidecar(ORDERS, pod), 'inbound', [{ minutes: HOURS, perMinute: 400 * (1 - share) }])),
    ...httpSeries(frontend, 'outbound_order-service', [{ minutes: HOURS, perMinute: 1000, errorRatio: share }]),
    counter_ === 'fault'
      ? series('envoy_http_fault_aborts_injected', { ...frontend, envoy_http_conn_manager_prefix: 'outbound_order-service' }, counter([[1000 * share, HOURS]]))
      : series(`envoy_cluster_upstream_rq_${counter_ === 'overflow' ? 'pending' : 'active'}_overflow`,
        { ...frontend, envoy_cluster_name: 'order-service_v1' }, counter([[1000 * share, HOURS]])),
    // Envoy 1.38 and later export both overflow counters of every cluster; older sidecars only the pending one.
    ...(counter_ === 'active-overflow'
      ? [series('envoy_cluster_upstream_rq_pending_overflow', { ...frontend, envoy_cluster_name: 'order-service_v1' }, counter([[0, HOURS]])),
        series('envoy_cluster_upstream_rq_active_overflow', { ...frontend, envoy_cluster_name: 'order-service_v2' }, counter([[0, HOURS]]))]
      : []),
    series('envoy_cluster_upstream_rq_pending_overflow', { ...frontend, envoy_cluster_name: 'order-service_v2' }, counter([[0, HOURS]])),
  ];
  const quiet = (at: string) => ['MeshAvailabilitySLOBurn'].map(alertname => ({ eval_time: at, alertname, exp_alerts: [] }));
  callerBatch.add('caller-overflow', { interval: '1m', input_series: callerLocal(0.2, 'overflow'), alert_rule_test: [...quiet('30m'), ...quiet('4h30m')] });
  test("a caller's circuit breaker rejecting 20% of its calls does not burn the healthy upstream's budget", () => callerBatch.verify('caller-overflow'));
  callerBatch.add('caller-active-overflow', { interval: '1m', input_series: callerLocal(0.2, 'active-overflow'), alert_rule_test: [...quiet('30m'), ...quiet('4h30m')] });
  test("the same at a caller's request limit, which Envoy 1.38+ counts in upstream_rq_active_overflow", () => callerBatch.verify('caller-active-overflow'));
  callerBatch.add('caller-fault', { interval: '1m', input_series: callerLocal(0.01, 'fault'), alert_rule_test: [...quiet('30m'), ...quiet('4h30m')] });
  test("1% of a caller's calls aborted by fault injection do not burn the upstream's budget", () => callerBatch.verify('caller-fault'));
});

describe("SLO series in Sloth's conventions", () => {
  const slothBatch = new RuleTestBatch(dir, 'slo-sloth', GROUPS);
  const labels = `mesh="${MESH}", namespace="shop", mesh_service="order-service", sloth_id="shop-order-service-availability", sloth_service="order-service", sloth_slo="availability"`;
  const sample = (expr: string, value: number, extra = '') => ({ expr: `round(${expr}{sloth_slo="availability"}, 0.001)`, eval_time: '20m', exp_samples: [{ labels: `{${labels}${extra}}`, value }] });
  slothBatch.add('sloth', {
    interval: '1m',
    input_series: inbound([{ errorRatio: 0.02 }]),
    promql_expr_test: [
      sample('slo:objective:ratio', 0.999, ', slo_page_severity="critical", slo_runbook_url="https://runbooks.example.com/mesh", slo_ticket_severity="warning", sloth_objective="99.9"'),
      sample('slo:error_budget:ratio', 0.001, ', sloth_objective="99.9"'),
      sample('slo:time_period:days', 30, ', sloth_objective="99.9"'),
      sample('slo:sli_error:ratio_rate5m', 0.02, ', sloth_window="5m"'),
      sample('slo:sli_error:ratio_rate30d', 0.02, ', sloth_window="30d"'),
      // 2% errors against a 0.1% budget: burning 20 times too fast, the whole period's budget is spent 20 times over.
      sample('slo:current_burn_rate:ratio', 20),
      sample('slo:period_burn_rate:ratio', 20),
      sample('slo:period_error_budget_remaining:ratio', -19),
      sample('sloth_slo_info', 1, ', sloth_mode="cdk8s-mesh", sloth_objective="99.9", sloth_spec="prometheus/v1"'),
    ],
  });
  test('objective, budget, period, burn rates and budget remaining, for Sloth dashboards', () => slothBatch.verify('sloth'));
});

describe('two meshes in one Prometheus', () => {
  const groups = [...GROUPS, meshSloRules('other-mesh', { metrics: ENVOY_REQUEST_METRICS, latencyThresholdsMs: [] }),
    ...sloRules({ ...ORDERS, namespace: 'other' }, [AVAILABILITY], { mesh: 'other-mesh' }).map(g => ({ ...g, name: `${g.name}-other` })),
    ...sloRules(ORDERS, [AVAILABILITY], { mesh: 'other-mesh' }).map(g => ({ ...g, name: `${g.name}-other-mesh` }))];
  const meshBatch = new RuleTestBatch(dir, 'slo-meshes', groups);
  meshBatch.add('apart', {
    interval: '1m',
    input_series: [
      ...httpSeries(sidecar(ORDERS, 'order-service-1'), 'inbound', [{ minutes: MINUTES, perMinute: 2000 }], { buckets: WITH_THRESHOLD }),
      // The same namespace and service name in another mesh, failing: its own page only.
      ...httpSeries(sidecar(ORDERS, 'order-service-9', 'v1', 'other-mesh'), 'inbound', [{ minutes: MINUTES, perMinute: 2000, errorRatio: 0.5 }]),
    ],
    alert_rule_test: [{
      eval_time: '10m',
      alertname: 'MeshAvailabilitySLOBurn',
      exp_alerts: [
        burn(AVAILABILITY, true, 500, 'other-mesh', null), burn(AVAILABILITY, false, 500, 'other-mesh', null),
      ],
    }],
  });
  test('a failing namesake in another mesh pages for that mesh only', () => meshBatch.verify('apart'));
});
