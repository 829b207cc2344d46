import { FRONTEND, GRAPH, INVENTORY, ORDERS, PAYMENT } from './fixtures';
import { checkRules, expectSuccess, RuleTestBatch, Workdir } from './promtool';
import { httpSeries, MESH, sidecar } from './series';
import { meshDashboard } from '../../src/monitoring/dashboard';
import { meshRecordingRules } from '../../src/monitoring/recording-rules';
import { sloRules } from '../../src/monitoring/slo';

const OPTIONS = { title: 'Mesh', uid: 'cdk8s-mesh' };
const DASHBOARD: any = meshDashboard(GRAPH, OPTIONS);
const PANELS: any[] = DASHBOARD.panels.filter((p: any) => p.type === 'timeseries');
/** Panel queries as Grafana runs them with every namespace and service selected (the variables' "All" value). */
const selectAll = (expr: string) => expr.replace(/\$namespace|\$service/g, '.+');
const OVERVIEW = PANELS.filter(p => p.title.startsWith('inbound by service'));
const SLO_PANELS = PANELS.filter(p => p.title.startsWith('SLO'));
const EXPRS: string[] = PANELS.filter(p => !OVERVIEW.includes(p) && !SLO_PANELS.includes(p)).flatMap(p => p.targets.map((t: any) => t.expr));
const OVERVIEW_EXPRS: string[] = OVERVIEW.flatMap(p => p.targets.map((t: any) => selectAll(t.expr)));
const SLO_EXPRS: string[] = SLO_PANELS.flatMap(p => p.targets.map((t: any) => selectAll(t.expr)));
/** The objective of the sample graph: order-service only. */
const SLO_GROUPS = sloRules(ORDERS, [{ kind: 'availability', target: 99.9 }]);

const dir = new Workdir();
afterAll(() => dir.cleanup());

describe('meshDashboard', () => {
  test('is a Grafana dashboard with variables for the data source, the namespaces and the services', () => {
    expect(DASHBOARD).toMatchObject({ uid: 'cdk8s-mesh', title: 'Mesh', schemaVersion: 39 });
    expect(DASHBOARD.templating.list).toEqual([
      expect.objectContaining({ name: 'datasource', type: 'datasource', query: 'prometheus' }),
      expect.objectContaining({ name: 'namespace', type: 'query', multi: true, includeAll: true, definition: 'label_values(mesh_service:envoy_http_downstream_rq:rate5m, namespace)' }),
      expect.objectContaining({ name: 'service', type: 'query', definition: 'label_values(mesh_service:envoy_http_downstream_rq:rate5m{namespace=~"$namespace"}, mesh_service)' }),
    ]);
    expect(OVERVIEW.map(p => p.targets[0].expr)).toContain('mesh_service:envoy_http_downstream_rq:rate5m{namespace=~"$namespace", mesh_service=~"$service"}');
    for (const panel of PANELS) {
      expect(panel.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
      for (const target of panel.targets) expect(target.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
    }
  });

  test('has a row per service, sorted, with rate, error and latency panels inbound and per edge', () => {
    const rows = DASHBOARD.panels.filter((p: any) => p.type === 'row').map((p: any) => p.title);
    expect(rows).toEqual(['Selected services', 'billing/payment', 'shop/frontend', 'shop/inventory', 'shop/order-service']);
    const titles = (row: string) => {
      const start = DASHBOARD.panels.findIndex((p: any) => p.title === row);
      const end = DASHBOARD.panels.findIndex((p: any, i: number) => i > start && p.type === 'row');
      return DASHBOARD.panels.slice(start + 1, end === -1 ? undefined : end).map((p: any) => p.title);
    };
    expect(titles('shop/order-service')).toEqual([
      'inbound: requests/s', 'inbound: 5xx ratio', 'inbound: latency',
      '-> billing/payment: requests/s', '-> billing/payment: 5xx ratio', '-> billing/payment: latency',
      '-> shop/inventory: requests/s', '-> shop/inventory: 5xx ratio', '-> shop/inventory: latency',
    ]);
    expect(titles('billing/payment')).toEqual(['inbound: requests/s', 'inbound: 5xx ratio', 'inbound: latency']);
    expect(SLO_PANELS.map(p => p.title)).toEqual(['SLO: error budget remaining (30 days)', 'SLO: burn rate (5m)']);
    const units = PANELS.slice(5, 8).map(p => p.fieldConfig.defaults.unit);
    expect(units).toEqual(['reqps', 'percentunit', 'ms']);
    expect(PANELS[7].targets.map((t: any) => t.legendFormat)).toEqual(['p50', 'p90', 'p99']);
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

  test('is deterministic: the same for the same graph in any order', () => {
    const shuffled = [...GRAPH].reverse().map(g => ({ ...g, upstreams: [...g.upstreams].reverse() }));
    expect(JSON.stringify(meshDashboard(shuffled, OPTIONS))).toBe(JSON.stringify(DASHBOARD));
  });

  test('panels read only series the recording rules write', () => {
    const groups = [meshRecordingRules(MESH), ...SLO_GROUPS];
    const recorded = new Set(groups.flatMap(g => g.rules.map(r => r.record)));
    for (const expr of [...EXPRS, ...OVERVIEW_EXPRS, ...SLO_EXPRS]) expect(recorded).toContain(expr.split('{')[0]);
  });

  test('rejects a bad uid, an empty title and a service listed twice', () => {
    expect(() => meshDashboard(GRAPH, { title: 'Mesh', uid: 'a uid with spaces' })).toThrow(/uid 'a uid with spaces' is invalid/);
    expect(() => meshDashboard(GRAPH, { title: ' ', uid: 'mesh' })).toThrow(/title is empty/);
    expect(() => meshDashboard([...GRAPH, { service: ORDERS, upstreams: [] }], OPTIONS)).toThrow(/'shop\/order-service' appears twice/);
  });
});

describe('dashboard queries under promtool', () => {
  test('every panel expression parses', async () => {
    expectSuccess(await checkRules(dir, 'dashboard.rules.yml', [{
      name: 'dashboard-expressions',
      rules: [...EXPRS, ...OVERVIEW_EXPRS, ...SLO_EXPRS].map((expr, i) => ({ record: `dashboard_expr_${i}`, expr })),
    }]));
  });

  // With traffic on every service and edge, each query of each panel finds exactly one recorded series.
  const batch = new RuleTestBatch(dir, 'dashboard', [meshRecordingRules(MESH), ...SLO_GROUPS]);
  const traffic = (service: typeof ORDERS, prefix: string) => httpSeries(sidecar(service, `${service.name}-1`), prefix, [{ minutes: 10, perMinute: 60 }]);
  batch.add('one-series-each', {
    interval: '1m',
    input_series: [
      ...[FRONTEND, ORDERS, INVENTORY, PAYMENT].flatMap(s => traffic(s, 'inbound')),
      ...GRAPH.flatMap(g => g.upstreams.flatMap(u => traffic(g.service, `outbound_${u.name}`))),
    ],
    promql_expr_test: [
      ...EXPRS.map(expr => ({ expr: `count(${expr})`, eval_time: '10m', exp_samples: [{ labels: '{}', value: 1 }] })),
      // With every namespace and service selected, the overview shows each of the four services.
      ...OVERVIEW_EXPRS.map(expr => ({ expr: `count(${expr})`, eval_time: '10m', exp_samples: [{ labels: '{}', value: 4 }] })),
      // The SLO panels show each objective: order-service's availability.
      ...SLO_EXPRS.map(expr => ({ expr: `count(${expr})`, eval_time: '10m', exp_samples: [{ labels: '{}', value: 1 }] })),
    ],
  });
  test('every panel query finds exactly one series; the overview one per selected service', () => batch.verify('one-series-each'));
});
