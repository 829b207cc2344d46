import { FRONTEND, ORDERS } from './fixtures';
import { RuleTestBatch, Workdir } from './promtool';
import { httpSeries, InputSeries, MESH, sidecar, SLOW } from './series';
import { meshRecordingRules } from '../../src/monitoring/recording-rules';
import { EDGE_RECORDS, INBOUND_RECORDS } from '../../src/monitoring/records';

const dir = new Workdir();
afterAll(() => dir.cleanup());
/** The mesh's recording rules, and those of another mesh in the same Prometheus. */
const batch = new RuleTestBatch(dir, 'recording', [meshRecordingRules(MESH), meshRecordingRules('staging-mesh')]);

const MINUTES = 15;
const withoutErrorSeries = (series: InputSeries[]) => series.filter(s => !s.series.includes('envoy_response_code_class="5"'));

/**
 * order-service: pod 1 gets 10 requests/s with 10% 5xx, pod 2 30/s without
 * 5xx; pod 1 sends payment 5/s with 20% 5xx, pod 2 5/s; both send inventory
 * 1/s, slowly and without any 5xx series (Envoy has not created it).
 * frontend gets 2/s from the mesh and 1/s from outside (edge listener),
 * and sends order-service 2/s. Scrapes (the `stats` listener) must not
 * count, and a staging order-service of another mesh counts only there.
 */
const INPUT: InputSeries[] = [
  ...httpSeries(sidecar(ORDERS, 'order-service-1'), 'inbound', [{ minutes: MINUTES, perMinute: 600, errorRatio: 0.1 }]),
  ...httpSeries(sidecar(ORDERS, 'order-service-2', 'v2'), 'inbound', [{ minutes: MINUTES, perMinute: 1800 }]),
  ...httpSeries(sidecar(ORDERS, 'order-service-1'), 'outbound_payment', [{ minutes: MINUTES, perMinute: 300, errorRatio: 0.2 }]),
  ...httpSeries(sidecar(ORDERS, 'order-service-2', 'v2'), 'outbound_payment', [{ minutes: MINUTES, perMinute: 300 }]),
  ...withoutErrorSeries(httpSeries(sidecar(ORDERS, 'order-service-1'), 'outbound_inventory', [{ minutes: MINUTES, perMinute: 60, latency: SLOW }])),
  ...withoutErrorSeries(httpSeries(sidecar(ORDERS, 'order-service-2', 'v2'), 'outbound_inventory', [{ minutes: MINUTES, perMinute: 60, latency: SLOW }])),
  ...httpSeries(sidecar(FRONTEND, 'frontend-1'), 'inbound', [{ minutes: MINUTES, perMinute: 120 }]),
  ...httpSeries(sidecar(FRONTEND, 'frontend-1'), 'edge_8443', [{ minutes: MINUTES, perMinute: 60 }]),
  ...httpSeries(sidecar(FRONTEND, 'frontend-1'), 'stats', [{ minutes: MINUTES, perMinute: 600, errorRatio: 0.5, latency: SLOW }]),
  ...httpSeries(sidecar(ORDERS, 'order-service-1'), 'stats', [{ minutes: MINUTES, perMinute: 600, errorRatio: 0.5, latency: SLOW }]),
  ...httpSeries(sidecar(FRONTEND, 'frontend-1'), 'outbound_order-service', [{ minutes: MINUTES, perMinute: 120 }]),
  ...httpSeries(sidecar({ name: 'order-service', namespace: 'staging' }, 'order-service-1', 'v1', 'staging-mesh'), 'inbound',
    [{ minutes: MINUTES, perMinute: 6000, errorRatio: 0.5, latency: SLOW }]),
];

const orders = 'mesh="shop-mesh", namespace="shop", mesh_service="order-service"';
const edge = (caller: string, upstream: string) => `caller="${caller}", mesh="shop-mesh", namespace="shop", upstream="${upstream}"`;

/** A jest test: at 10m, `expr` gives exactly `samples`, whose labels are those inside the braces of `expr`'s metric. */
function exprTest(title: string, name: string, expr: string, samples: Array<[labels: string, value: number]>) {
  const metric = expr.split('{')[0];
  batch.add(name, {
    interval: '1m',
    input_series: INPUT,
    promql_expr_test: [{ expr, eval_time: '10m', exp_samples: samples.map(([labels, value]) => ({ labels: `${metric}{${labels}}`, value })) }],
  });
  test(title, () => batch.verify(name));
}

describe('recorded values under promtool', () => {
  exprTest('inbound request rate sums the pods of one service, per service and mesh', 'inbound-rate', INBOUND_RECORDS.rate, [
    ['mesh="shop-mesh", mesh_service="frontend", namespace="shop"', 3],
    [orders, 40],
    ['mesh="staging-mesh", mesh_service="order-service", namespace="staging"', 100],
  ]);
  exprTest('inbound error ratio is 5xx over all requests of the service', 'inbound-errors', `${INBOUND_RECORDS.errorRatio}{${orders}}`, [
    [orders, 0.025],
  ]);
  exprTest('inbound error ratio is 0, not missing, without 5xx', 'inbound-no-errors', `${INBOUND_RECORDS.errorRatio}{mesh_service="frontend"}`, [
    ['mesh="shop-mesh", mesh_service="frontend", namespace="shop"', 0],
  ]);
  exprTest('inbound p50 interpolates in the histogram buckets', 'inbound-p50', `${INBOUND_RECORDS.latency[50]}{${orders}}`, [
    [orders, 50],
  ]);
  exprTest('inbound p90', 'inbound-p90', `${INBOUND_RECORDS.latency[90]}{${orders}}`, [
    [orders, 90],
  ]);
  exprTest('inbound p99', 'inbound-p99', `${INBOUND_RECORDS.latency[99]}{${orders}}`, [
    [orders, 99],
  ]);
  exprTest('edge request rate: one series per edge of the graph', 'edge-rate', EDGE_RECORDS.rate, [
    [edge('frontend', 'order-service'), 2],
    [edge('order-service', 'inventory'), 2],
    [edge('order-service', 'payment'), 10],
  ]);
  exprTest('edge error ratio, 0 without any 5xx series', 'edge-errors', `${EDGE_RECORDS.errorRatio}{caller="order-service"}`, [
    [edge('order-service', 'inventory'), 0],
    [edge('order-service', 'payment'), 0.1],
  ]);
  exprTest('edge p50', 'edge-p50', `${EDGE_RECORDS.latency[50]}{caller="order-service"}`, [
    [edge('order-service', 'inventory'), 1000],
    [edge('order-service', 'payment'), 50],
  ]);
  exprTest('edge p99', 'edge-p99', `${EDGE_RECORDS.latency[99]}{caller="order-service"}`, [
    [edge('order-service', 'inventory'), 2470],
    [edge('order-service', 'payment'), 99],
  ]);
});

describe('meshRecordingRules', () => {
  test('ten rules for the whole mesh, selecting its sidecars: rate, error ratio and three quantiles, inbound and per edge', () => {
    const group = meshRecordingRules(MESH);
    expect(group.name).toBe('mesh-recording/shop-mesh');
    expect(group.rules.map(r => r.record)).toEqual([
      'mesh_service:envoy_http_downstream_rq:rate5m',
      'mesh_service:envoy_http_downstream_rq_errors:ratio_rate5m',
      'mesh_service:envoy_http_downstream_rq_time:p50_rate5m',
      'mesh_service:envoy_http_downstream_rq_time:p90_rate5m',
      'mesh_service:envoy_http_downstream_rq_time:p99_rate5m',
      'caller_upstream:envoy_http_downstream_rq:rate5m',
      'caller_upstream:envoy_http_downstream_rq_errors:ratio_rate5m',
      'caller_upstream:envoy_http_downstream_rq_time:p50_rate5m',
      'caller_upstream:envoy_http_downstream_rq_time:p90_rate5m',
      'caller_upstream:envoy_http_downstream_rq_time:p99_rate5m',
    ]);
    for (const rule of group.rules) {
      expect(rule.expr).toContain('mesh="shop-mesh"');
      expect(rule.labels).toEqual({ mesh: 'shop-mesh' });
    }
  });

  test('rejects a mesh label that is not a DNS label', () => {
    expect(() => meshRecordingRules('Shop_Mesh')).toThrow(/mesh label 'Shop_Mesh' is invalid/);
  });
});
