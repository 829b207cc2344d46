import { SERVICE_LABEL } from './metrics';
import { Matcher, selector } from './promql';
import { EDGE_RECORDS, INBOUND_RECORDS, QUANTILES, RedRecords } from './recording-rules';
import { assertServices, qualifiedName } from './service-ref';
import { ServiceRef } from './types';

export interface DashboardOptions {
  readonly title: string;
  /** Grafana dashboard uid: at most 40 letters, digits, `-` and `_`. */
  readonly uid: string;
}

/** A service and the upstreams it calls. */
export interface GraphEntry {
  readonly service: ServiceRef;
  readonly upstreams: ServiceRef[];
}

/** The Prometheus data source every panel uses: the dashboard variable `datasource`. */
const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };
const WIDTH = 8;
const HEIGHT = 8;

/**
 * A Grafana dashboard (JSON model, schemaVersion 39): a row per service,
 * sorted by namespace and name, with request rate, error ratio and latency
 * (p50, p90, p99) panels for its inbound traffic and for each edge to an
 * upstream. Panels read the series of `meshRecordingRules`, which must be
 * loaded. The same input always gives the same JSON.
 */
export function meshDashboard(graph: GraphEntry[], options: DashboardOptions): Record<string, unknown> {
  if (typeof options.uid !== 'string' || !/^[a-zA-Z0-9_-]{1,40}$/.test(options.uid)) {
    throw new Error(`dashboard uid '${options.uid}' is invalid: use 1 to 40 letters, digits, '-' and '_'`);
  }
  if (typeof options.title !== 'string' || options.title.trim() === '') {
    throw new Error('dashboard title is empty: give the dashboard a title');
  }
  graph.forEach(entry => assertServices(entry.service, entry.upstreams));
  const entries = [...graph].sort((a, b) => compareRefs(a.service, b.service));
  entries.forEach((entry, i) => {
    if (i > 0 && compareRefs(entries[i - 1].service, entry.service) === 0) {
      throw new Error(`service '${qualifiedName(entry.service)}' appears twice in the dashboard graph: list each service once`);
    }
  });

  const layout = new Layout();
  // The services chosen with the dashboard's variables, side by side.
  layout.row('Selected services');
  layout.redPanels('inbound by service', INBOUND_RECORDS, SELECTED, `{{namespace}}/{{${SERVICE_LABEL}}}`);
  layout.sloPanels(SELECTED, `{{namespace}}/{{${SERVICE_LABEL}}} {{sloth_slo}}`);
  for (const { service, upstreams } of entries) {
    layout.row(qualifiedName(service));
    layout.redPanels('inbound', INBOUND_RECORDS, { namespace: service.namespace, [SERVICE_LABEL]: service.name });
    for (const upstream of [...upstreams].sort(compareRefs)) {
      layout.redPanels(`-> ${qualifiedName(upstream)}`, EDGE_RECORDS,
        { namespace: service.namespace, caller: service.name, upstream: upstream.name });
    }
  }

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
      labelVariable('namespace', 'Namespace', `label_values(${INBOUND_RECORDS.rate}, namespace)`),
      labelVariable('service', 'Service', `label_values(${INBOUND_RECORDS.rate}{namespace=~"$namespace"}, ${SERVICE_LABEL})`)],
    },
    panels: layout.panels,
  };
}

/** Places rows and panels top to bottom, three panels a line, numbering them. */
class Layout {
  public readonly panels: Array<Record<string, unknown>> = [];
  private y = 0;

  public row(title: string): void {
    this.panels.push({ id: this.panels.length + 1, type: 'row', title, collapsed: false, panels: [], gridPos: { h: 1, w: 24, x: 0, y: this.y } });
    this.y += 1;
  }

  public redPanels(what: string, names: RedRecords, matchers: Record<string, Matcher>, legend?: string): void {
    const series = legend ?? (what === 'inbound' ? 'inbound' : what.slice(3));
    this.panel(0, `${what}: requests/s`, 'reqps', [{ expr: selector(names.rate, matchers), legendFormat: series }]);
    this.panel(1, `${what}: 5xx ratio`, 'percentunit', [{ expr: selector(names.errorRatio, matchers), legendFormat: series }]);
    this.panel(2, `${what}: latency`, 'ms', QUANTILES.map(q => ({
      expr: selector(names.latency[q], matchers), legendFormat: legend ? `${legend} p${q}` : `p${q}`,
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

/** The series of the services the `namespace` and `service` variables select. */
const SELECTED: Record<string, Matcher> = { namespace: { regex: '$namespace' }, [SERVICE_LABEL]: { regex: '$service' } };

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

function compareRefs(a: ServiceRef, b: ServiceRef): number {
  const key = (r: ServiceRef) => `${r.namespace}/${r.name}`;
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
}
