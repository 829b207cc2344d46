import { FRONTEND, GRAPH, INVENTORY, ORDERS, PAYMENT } from './fixtures';
import { checkRules, expectSuccess, RuleTestBatch, Workdir } from './promtool';
import { httpSeries, MESH, sidecar } from './series';
import { Mesh, MeshDashboard, MeshService, MonitoredWorkload } from '../../src';
import { meshDashboard } from '../../src/monitoring/dashboard';
import { meshRecordingRules } from '../../src/monitoring/recording-rules';
import { ENVOY_REQUEST_METRICS } from '../../src/monitoring/request-metrics';
import { sloRules } from '../../src/monitoring/slo';
import { meshSloRules } from '../../src/monitoring/slo-rules';
import { newChart, objectsOf, synth, TEST_MESH } from '../helpers';

const OPTIONS = { title: 'Mesh', uid: 'cdk8s-mesh', mesh: MESH };
const DASHBOARD: any = meshDashboard(OPTIONS);
const PANELS: any[] = DASHBOARD.panels.filter((p: any) => p.type === 'timeseries');
const ROWS: any[] = DASHBOARD.panels.filter((p: any) => p.type === 'row');
/** The panels below the row Grafana repeats per service. */
const REPEATED = PANELS.filter(p => p.gridPos.y > ROWS[1].gridPos.y);
const OVERVIEW = PANELS.filter(p => !REPEATED.includes(p));
const exprs = (panels: any[]) => panels.flatMap(p => p.targets.map((t: any) => t.expr as string));
/** A query as Grafana runs it with every namespace selected and `service` set to `service` (`.+`: all of them). */
const expand = (expr: string, service = '.+') => expr.replace(/\$namespace/g, '.+').replace(/\$service/g, service);
/** The objective of the sample graph: order-service only. */
const SLO_GROUPS = [meshSloRules(MESH, { metrics: ENVOY_REQUEST_METRICS, latencyThresholdsMs: [] }), ...sloRules(ORDERS, [{ kind: 'availability', target: 99.9 }], { mesh: MESH })];

const dir = new Workdir();
afterAll(() => dir.cleanup());

describe('meshDashboard', () => {
  test('has variables for the data source, the namespaces and the services of its mesh', () => {
    expect(DASHBOARD).toMatchObject({ uid: 'cdk8s-mesh', title: 'Mesh', schemaVersion: 39 });
    expect(DASHBOARD.templating.list).toEqual([
      expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' }),
      expect.objectContaining({ name: 'namespace', type: 'query', multi: true, includeAll: true, definition: 'label_values(mesh_service:envoy_http_downstream_rq:rate5m{mesh="shop-mesh"}, namespace)' }),
      expect.objectContaining({ name: 'service', type: 'query', multi: true, includeAll: true, definition: 'label_values(mesh_service:envoy_http_downstream_rq:rate5m{mesh="shop-mesh", namespace=~"$namespace"}, mesh_service)' }),
    ]);
    for (const panel of PANELS) {
      expect(panel.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
      for (const target of panel.targets) expect(target.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
    }
  });

  test('every query is scoped to its mesh and the selected namespaces', () => {
    for (const expr of exprs(PANELS)) expect(expr).toMatch(/\{mesh="shop-mesh", namespace=~"\$namespace", (mesh_service|caller)=~"\$service"\}$/);
  });

  test('an overview row, then a row Grafana repeats for each selected service: inbound, calls and objectives', () => {
    expect(ROWS.map(r => [r.title, r.repeat])).toEqual([['Selected services', undefined], ['$service', 'service']]);
    expect(OVERVIEW.map(p => p.title)).toEqual([
      'inbound by service: requests/s', 'inbound by service: 5xx ratio', 'inbound by service: latency',
      'SLO: error budget remaining (30 days)', 'SLO: burn rate (5m)',
    ]);
    expect(REPEATED.map(p => p.title)).toEqual([
      'inbound: requests/s', 'inbound: 5xx ratio', 'inbound: latency',
      'calls: requests/s', 'calls: 5xx ratio', 'calls: latency',
      'SLO: error budget remaining (30 days)', 'SLO: burn rate (5m)',
    ]);
    expect(REPEATED.slice(3, 6).map(p => p.fieldConfig.defaults.unit)).toEqual(['reqps', 'percentunit', 'ms']);
    expect(REPEATED[2].targets.map((t: any) => t.legendFormat)).toEqual(['{{namespace}} p50', '{{namespace}} p90', '{{namespace}} p99']);
    expect(REPEATED[5].targets.map((t: any) => t.legendFormat)).toEqual(['{{namespace}} -> {{upstream}} p99']);
  });

  test('panels have unique ids and do not overlap', () => {
    const ids = DASHBOARD.panels.map((p: any) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Set<string>();
    const problems: string[] = [];
    for (const { id, gridPos: g } of DASHBOARD.panels) {
      if (g.x + g.w > 24) problems.push(`panel ${id} is wider than the dashboard`);
      for (let x = g.x; x < g.x + g.w; x++) {
        for (let y = g.y; y < g.y + g.h; y++) {
          if (cells.has(`${x},${y}`)) problems.push(`panel ${id} overlaps another at ${x},${y}`);
          cells.add(`${x},${y}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  test('panels read only series the recording rules write', () => {
    const recorded = new Set([meshRecordingRules(MESH), ...SLO_GROUPS].flatMap(g => g.rules.map(r => r.record)));
    for (const expr of exprs(PANELS)) expect(recorded).toContain(expr.split('{')[0]);
  });

  test('rejects a bad uid, an empty title and a bad mesh label', () => {
    expect(() => meshDashboard({ ...OPTIONS, uid: 'a uid with spaces' })).toThrow(/uid 'a uid with spaces' is invalid/);
    expect(() => meshDashboard({ ...OPTIONS, title: ' ' })).toThrow(/title is empty/);
    expect(() => meshDashboard({ ...OPTIONS, mesh: 'Shop Mesh' })).toThrow(/mesh label 'Shop Mesh' is invalid/);
  });
});

describe('MeshDashboard at any mesh size', () => {
  /** The dashboard ConfigMap's JSON for a mesh of `n` monitored services, each calling the next. */
  const dashboardOf = (n: number) => {
    const chart = newChart();
    const mesh = new Mesh(chart, 'mesh', TEST_MESH);
    const services = Array.from({ length: n }, (_, i) => new MeshService(chart, `svc-${i}`, { mesh, image: 'example/svc:1.0.0', port: 10000 + i }));
    services.forEach((service, i) => {
      service.callTo(services[(i + 1) % n]);
      new MonitoredWorkload(chart, `svc-${i}-monitoring`, { service });
    });
    new MeshDashboard(chart, 'dashboard', { mesh });
    const configMap = objectsOf(synth(chart), 'ConfigMap').find((c: any) => c.metadata.labels?.grafana_dashboard === '1');
    return Object.values<string>(configMap.data)[0];
  };

  test('is the same, and below 64 KiB, for 10 and 300 services', () => {
    const [small, large] = [dashboardOf(10), dashboardOf(300)];
    expect(Buffer.byteLength(large)).toBe(Buffer.byteLength(small));
    expect(large).toBe(small);
    expect(Buffer.byteLength(large)).toBeLessThan(64 * 1024);
  });
});

describe('dashboard queries under promtool', () => {
  test('every panel and variable expression parses', async () => {
    const variables = DASHBOARD.templating.list.filter((v: any) => v.type === 'query').map((v: any) => v.definition.replace(/^label_values\((.*), \w+\)$/, '$1'));
    expectSuccess(await checkRules(dir, 'dashboard.rules.yml', [{
      name: 'dashboard-expressions',
      rules: [...exprs(PANELS), ...variables].map((expr, i) => ({ record: `dashboard_expr_${i}`, expr: expand(expr) })),
    }]));
  });

  // Traffic on every service and edge of two meshes; each query sees only its own mesh's.
  const batch = new RuleTestBatch(dir, 'dashboard', [meshRecordingRules(MESH), meshRecordingRules('other-mesh'), ...SLO_GROUPS]);
  const traffic = (service: typeof ORDERS, prefix: string, mesh = MESH) =>
    httpSeries(sidecar(service, `${service.name}-1`, 'v1', mesh), prefix, [{ minutes: 10, perMinute: 60 }]);
  const count = (expr: string, value: number) => ({ expr: `count(${expr})`, eval_time: '10m', exp_samples: [{ labels: '{}', value }] });
  batch.add('one-series-each', {
    interval: '1m',
    input_series: [
      ...[FRONTEND, ORDERS, INVENTORY, PAYMENT].flatMap(s => traffic(s, 'inbound')),
      ...GRAPH.flatMap(g => g.upstreams.flatMap(u => traffic(g.service, `outbound_${u.name}`))),
      // The same services in another mesh, which this dashboard must not show.
      ...[FRONTEND, ORDERS].flatMap(s => traffic(s, 'inbound', 'other-mesh')),
      ...traffic(FRONTEND, 'outbound_order-service', 'other-mesh'),
    ],
    promql_expr_test: [
      // With every service selected, the overview shows each of the four services once, the objective of order-service once.
      ...exprs(OVERVIEW.slice(0, 3)).map(expr => count(expand(expr), 4)),
      ...exprs(OVERVIEW.slice(3)).map(expr => count(expand(expr), 1)),
      // The row of order-service: its inbound traffic, its calls to payment and inventory, its objective.
      ...exprs(REPEATED.slice(0, 3)).map(expr => count(expand(expr, 'order-service'), 1)),
      ...exprs(REPEATED.slice(3, 6)).map(expr => count(expand(expr, 'order-service'), 2)),
      ...exprs(REPEATED.slice(6)).map(expr => count(expand(expr, 'order-service'), 1)),
    ],
  });
  test('each query finds its mesh\'s series: one per selected service, one per call of the repeated service', () => batch.verify('one-series-each'));
});
