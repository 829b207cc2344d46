import { MESH_LABEL, SERVICE_LABEL } from './metrics';
import { Matcher, selector } from './promql';
import { EDGE_RECORDS, INBOUND_RECORDS, QUANTILES, RedRecords } from './records';

export interface DashboardOptions {
  readonly title: string;
  /** Grafana dashboard uid: at most 40 letters, digits, `-` and `_`. */
  readonly uid: string;
  /** The `mesh` label of the mesh's series (`meshLabel`): every query selects it. */
  readonly mesh: string;
}

/** The Prometheus data source every panel uses: the dashboard variable `datasource`. */
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };
const WIDTH = 8;
const HEIGHT = 8;

/**
 * A Grafana dashboard (JSON model, schemaVersion 39) of one mesh, of the same
 * size whatever the number of services: its variables list the mesh's
 * namespaces and services (from the recorded series), and
 * - a row "Selected services" shows the request rate, 5xx ratio and latency
 *   (p50, p90, p99) of the selected services side by side, with their
 *   objectives' error budget remaining and burn rate;
 * - a row that Grafana repeats for each selected service (`repeat: service`)
 *   shows its inbound traffic, its calls (one series per upstream) and its
 *   objectives.
 * Every query selects the mesh's `mesh` label, so two meshes seen by one
 * Prometheus never mix. Panels read the series of `meshRecordingRules` and
 * `meshSloRules`, which must be loaded. The same input always gives the same JSON.
 */
export function meshDashboard(options: DashboardOptions): Record<string, unknown> {
  if (typeof options.uid !== 'string' || !/^[a-zA-Z0-9_-]{1,40}$/.test(options.uid)) {
    throw new Error(`dashboard uid '${options.uid}' is invalid: use 1 to 40 letters, digits, '-' and '_'`);
  }
  if (typeof options.title !== 'string' || options.title.trim() === '') {
    throw new Error('dashboard title is empty: give the dashboard a title');
  }
  if (typeof options.mesh !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(options.mesh)) {
    throw new Error(`mesh label '${options.mesh}' is invalid: use lower-case letters, digits and '-'`);
  }
  const mesh = { [MESH_LABEL]: options.mesh };
  const selected = { ...mesh, namespace: { regex: '$namespace' }, [SERVICE_LABEL]: { regex: '$service' } };
  const layout = new Layout();
  layout.row('Selected services');
  layout.redPanels('inbound by service', INBOUND_RECORDS, selected, `{{namespace}}/{{${SERVICE_LABEL}}}`, QUANTILES);
  layout.sloPanels(selected, `{{namespace}}/{{${SERVICE_LABEL}}} {{sloth_slo}}`);
  // One row per selected service, repeated by Grafana: the JSON does not grow with the mesh.
  layout.row('$service', { repeat: 'service' });
  layout.redPanels('inbound', INBOUND_RECORDS, selected, '{{namespace}}', QUANTILES);
  layout.redPanels('calls', EDGE_RECORDS, { ...mesh, namespace: { regex: '$namespace' }, caller: { regex: '$service' } },
    '{{namespace}} -> {{upstream}}', [99]);
  layout.sloPanels(selected, '{{namespace}} {{sloth_slo}}');

  const recorded = selector(INBOUND_RECORDS.rate, mesh);
  return {
    uid: options.uid,
    title: options.title,
    tags: ['cdk8s-mesh', 'service-mesh'],
    schemaVersion: 39,
    version: 1,
    editable: true,
    graphTooltip: 1,
    timezone: 'browser',
    time: { from: 'now-6h', to: 'now' },
    refresh: '1m',
    annotations: { list: [] },
    links: [],
    templating: {
      list: [{
        name: 'datasource',
        label: 'Data source',
        type: 'datasource',
        query: 'prometheus',
        current: {},
        hide: 0,
        includeAll: false,
        multi: false,
        options: [],
        refresh: 1,
        regex: '',
      },
      labelVariable('namespace', 'Namespace', `label_values(${recorded}, namespace)`),
      labelVariable('service', 'Service', `label_values(${selector(INBOUND_RECORDS.rate, { ...mesh, namespace: { regex: '$namespace' } })}, ${SERVICE_LABEL})`)],
    },
    panels: layout.panels,
  };
}

/** Places rows and panels top to bottom, three panels a line, numbering them. */
class Layout {
  public readonly panels: Array<Record<string, unknown>> = [];
  private y = 0;

  public row(title: string, extra: Record<string, unknown> = {}): void {
    this.panels.push({ id: this.panels.length + 1, type: 'row', title, collapsed: false, panels: [], gridPos: { h: 1, w: 24, x: 0, y: this.y }, ...extra });
    this.y += 1;
  }

  public redPanels(what: string, names: RedRecords, matchers: Record<string, Matcher>, legend: string, quantiles: readonly number[]): void {
    this.panel(0, `${what}: requests/s`, 'reqps', [{ expr: selector(names.rate, matchers), legendFormat: legend }]);
    this.panel(1, `${what}: 5xx ratio`, 'percentunit', [{ expr: selector(names.errorRatio, matchers), legendFormat: legend }]);
    this.panel(2, `${what}: latency`, 'ms', quantiles.map(q => ({
      expr: selector(names.latency[q as keyof RedRecords['latency']], matchers), legendFormat: `${legend} p${q}`,
    })));
    this.y += HEIGHT;
  }

  /** Error budget remaining over the period, and the current burn rate, of every objective (Sloth's series, see slo.ts). */
  public sloPanels(matchers: Record<string, Matcher>, legend: string): void {
    this.panel(0, 'SLO: error budget remaining (30 days)', 'percentunit',
      [{ expr: selector('slo:period_error_budget_remaining:ratio', matchers), legendFormat: legend }], { negative: true });
    this.panel(1, 'SLO: burn rate (5m)', 'none', [{ expr: selector('slo:current_burn_rate:ratio', matchers), legendFormat: legend }]);
    this.y += HEIGHT;
  }

  private panel(column: number, title: string, unit: string, queries: Query[], axis = { negative: false }): void {
    this.panels.push({
      id: this.panels.length + 1,
      type: 'timeseries',
      title,
      datasource: DATASOURCE,
      gridPos: { h: HEIGHT, w: WIDTH, x: column * WIDTH, y: this.y },
      fieldConfig: {
        defaults: { unit, ...(!axis.negative && { min: 0 }), custom: { drawStyle: 'line', lineWidth: 1, fillOpacity: 10, showPoints: 'never' } },
        overrides: [],
      },
      options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'none' } },
      targets: queries.map((q, i) => ({
        refId: String.fromCharCode(65 + i), datasource: DATASOURCE, expr: q.expr, legendFormat: q.legendFormat, range: true,
      })),
    });
  }
}

/** A panel query and the legend of its series. */
interface Query { readonly expr: string; readonly legendFormat: string }

/** A multi-value variable over the values of a label, all selected at first. */
function labelVariable(name: string, label: string, query: string): Record<string, unknown> {
  return {
    name,
    label,
    type: 'query',
    datasource: DATASOURCE,
    query: { query, refId: name },
    definition: query,
    current: {},
    hide: 0,
    includeAll: true,
    allValue: '.+',
    multi: true,
    options: [],
    refresh: 2,
    regex: '',
    sort: 1,
  };
}
