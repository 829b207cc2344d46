import { FRONTEND, ORDERS, RUNBOOK } from './fixtures';
import { ExpectedAlert, RuleTestBatch, UnitTest, Workdir } from './promtool';
import { BUCKETS, FAST, HistogramOptions, HttpPhase, httpSeries, LatencyProfile, sidecar, SLOW } from './series';
import { latencyBuckets, openMetricsFloat } from '../../src/monitoring/buckets';
import { Objective, SLO_WINDOWS, sloRules, validateObjective } from '../../src/monitoring/slo';

const AVAILABILITY: Objective = { kind: 'availability', target: 99.9 };
const LATENCY: Objective = { kind: 'latency', target: 99, thresholdMs: 300 };
const GROUPS = sloRules(ORDERS, [AVAILABILITY, LATENCY], { runbookUrl: RUNBOOK });
const ALERT_NAMES = GROUPS.flatMap(g => g.rules.filter(r => r.alert).map(r => r.alert!));

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

describe('sloRules', () => {
  test('one group per objective: seven windows recorded, then the alerts', () => {
    expect(GROUPS.map(g => g.name)).toEqual(['mesh-slo/shop/order-service/availability', 'mesh-slo/shop/order-service/latency-300ms']);
    for (const group of GROUPS) {
      expect(group.rules.slice(0, 7).map(r => r.record)).toEqual(SLO_WINDOWS.map(w => `mesh_service:slo_errors:ratio_rate${w}`));
    }
    expect(ALERT_NAMES).toEqual([
      'MeshAvailabilitySLOBurn', 'MeshAvailabilitySLOBurn',
      'MeshLatencySLOBurn', 'MeshLatencySLOBurn', 'MeshLatencySLOBucketMissing',
    ]);
    expect(GROUPS[1].rules[0].expr).toContain('le=~"300|300\\\\.0"');
    expect(sloRules(ORDERS, [AVAILABILITY], { interval: '30s' })[0].interval).toBe('30s');
  });

  test('rejects invalid and duplicate objectives, naming each problem', () => {
    expect(() => sloRules(ORDERS, [{ kind: 'availability', target: 100 }])).toThrow(/target 100 is invalid/);
    expect(() => sloRules(ORDERS, [AVAILABILITY, { kind: 'availability', target: 99 }])).toThrow(/two objectives measure 'availability'/);
    expect(() => sloRules(ORDERS, [LATENCY, { ...LATENCY, target: 95 }])).toThrow(/two objectives measure 'latency-300ms'/);
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

function burn(objective: Objective, fast: boolean, rate: number): ExpectedAlert {
  const availability = objective.kind === 'availability';
  const what = availability ? '99.9% of requests without 5xx' : '99% of requests within 300ms';
  return {
    exp_labels: {
      namespace: 'shop',
      mesh_service: 'order-service',
      slo: availability ? 'availability' : 'latency-300ms',
      slo_target: availability ? '99.9' : '99',
      severity: fast ? 'critical' : 'warning',
      burn: fast ? 'fast' : 'slow',
    },
    exp_annotations: {
      summary: `shop/order-service burns the error budget of its ${objective.kind} SLO ${fast ? 'fast' : 'steadily'}`,
      description: `shop/order-service burns the error budget of its objective "${what}" over 30 days at ${rate} times the sustainable rate `
        + `${fast ? PAGE_WINDOWS : TICKET_WINDOWS}.`,
      runbook_url: RUNBOOK,
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
      // Only the ticket remains: 1,000 of each pod's 90,000 requests failed in the 1d and 2h windows, 11.11 times the budget.
      { at: '45m', alert: 'MeshAvailabilitySLOBurn', alerts: [burn(AVAILABILITY, false, 11.11)] },
    ], [{
      // 10 of 45 minutes at 50x: the 6h window still burns at 11x, above its 6x, but the 30m window is clean.
      expr: 'round(mesh_service:slo_errors:ratio_rate6h{slo="availability"} / 0.001)',
      eval_time: '45m',
      exp_samples: [{ labels: '{namespace="shop", mesh_service="order-service", slo="availability"}', value: 11 }],
    }, {
      expr: 'mesh_service:slo_errors:ratio_rate30m{slo="availability"}',
      eval_time: '45m',
      exp_samples: [{ labels: 'mesh_service:slo_errors:ratio_rate30m{namespace="shop", mesh_service="order-service", slo="availability"}', value: 0 }],
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
          exp_labels: { namespace: 'shop', mesh_service: 'order-service', pod: 'order-service-2', slo: 'latency-300ms', slo_target: '99', severity: 'warning' },
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

describe("the availability SLO counts what callers' sidecars saw", () => {
  const groups = sloRules(ORDERS, [AVAILABILITY], { runbookUrl: RUNBOOK, callers: [FRONTEND, { name: 'admin', namespace: 'ops' }] });
  const callerBatch = new RuleTestBatch(dir, 'slo-callers', groups);
  /** order-service healthy for 10 minutes, then every one of its sidecars gone; frontend keeps calling it. */
  const outage = (callerErrorRatio: number) => [
    ...['order-service-1', 'order-service-2'].flatMap(pod => httpSeries(sidecar(ORDERS, pod), 'inbound', [{ minutes: 10, perMinute: 2000 }])
      .map(s => ({ ...s, values: `${s.values} stale` }))),
    ...httpSeries(sidecar(FRONTEND, 'frontend-1'), 'outbound_order-service', [
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
      // Over 1h at 25m, frontend saw 15 of its 25 minutes of requests fail: a ratio of 0.6, 600 times the 0.1% budget.
      { eval_time: '25m', alertname: 'MeshAvailabilitySLOBurn', exp_alerts: [burn(AVAILABILITY, true, 600), burn(AVAILABILITY, false, 600)] },
    ],
  });
  test('an outage of every sidecar of the service, which its own sidecars cannot report, pages', () => callerBatch.verify('sidecars-gone'));

  callerBatch.add('callers-healthy', {
    interval: '1m',
    input_series: outage(0).filter(s => !s.series.includes('staging')),
    alert_rule_test: [{ eval_time: '25m', alertname: 'MeshAvailabilitySLOBurn', exp_alerts: [] }],
  });
  test('callers that see no failures add no burn', () => callerBatch.verify('callers-healthy'));
});

describe("SLO series in Sloth's conventions", () => {
  const groups = sloRules(ORDERS, [AVAILABILITY]);
  const slothBatch = new RuleTestBatch(dir, 'slo-sloth', groups);
  const labels = 'namespace="shop", mesh_service="order-service", sloth_id="shop-order-service-availability", sloth_service="order-service", sloth_slo="availability"';
  const sample = (expr: string, value: number) => ({ expr: `round(${expr}, 0.001)`, eval_time: '20m', exp_samples: [{ labels: `{${labels}}`, value }] });
  slothBatch.add('sloth', {
    interval: '1m',
    input_series: inbound([{ errorRatio: 0.02 }]),
    promql_expr_test: [
      sample('slo:objective:ratio', 0.999),
      sample('slo:error_budget:ratio', 0.001),
      sample('slo:time_period:days', 30),
      sample('slo:sli_error:ratio_rate5m', 0.02),
      sample('slo:sli_error:ratio_rate30d', 0.02),
      // 2% errors against a 0.1% budget: burning 20 times too fast, the whole period's budget is spent 20 times over.
      sample('slo:current_burn_rate:ratio', 20),
      sample('slo:period_burn_rate:ratio', 20),
      sample('slo:period_error_budget_remaining:ratio', -19),
    ],
  });
  test('objective, budget, period, burn rates and budget remaining, for Sloth dashboards', () => slothBatch.verify('sloth'));
});
