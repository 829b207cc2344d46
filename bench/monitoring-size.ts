/**
 * Sizes of the monitoring a mesh emits, by number of services: Prometheus
 * rules (recording rules and alerts, every PrometheusRule) and the bytes and
 * panels of the MeshDashboard's ConfigMap. Each service of bench/graph.ts
 * calls 3 upstreams and has a MonitoredWorkload with two objectives
 * (availability 99.9%, latency p99 within 250 ms). `ruleJsonBytes` is the
 * PrometheusRule objects as compact JSON.
 *
 *   npx ts-node --transpile-only bench/monitoring-size.ts [--src=DIR] 10 100 1000
 *
 * `--src` measures another copy of src/ (e.g. an older commit's, extracted
 * with `git archive`), so that before and after come from the same run.
 */
import { resolve } from 'path';
import { App, Chart, Duration } from 'cdk8s';
import { NAMESPACE, nameOf, portOf, upstreamsOf } from './graph';

const args = process.argv.slice(2);
const src = resolve(args.find(a => a.startsWith('--src='))?.slice(6) ?? resolve(__dirname, '../src'));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lib = require(src);
const sizes = args.filter(a => /^\d+$/.test(a)).map(Number);

for (const n of sizes.length > 0 ? sizes : [10, 100, 1000]) {
  const app = new App({ outdir: '/tmp' });
  const chart = new Chart(app, 'mesh', { namespace: NAMESPACE });
  const mesh = new lib.Mesh(chart, 'mesh', { maxRetryAmplification: Infinity, mtls: lib.MtlsMode.DISABLED });
  const services: any[] = [];
  for (let i = 0; i < n; i++) {
    services.push(new lib.MeshService(chart, nameOf(i), { mesh, image: `registry.example.com/${nameOf(i)}:1.0.0`, port: portOf(i) }));
  }
  for (let i = 0; i < n; i++) for (const j of upstreamsOf(i, n)) services[i].callTo(services[j]);
  for (const service of services) {
    new lib.MonitoredWorkload(chart, `${service.name}-monitoring`, {
      service,
      objectives: [lib.Objective.availability(99.9), lib.Objective.latency({ percentile: 99, threshold: Duration.millis(250) })],
    });
  }
  new lib.MeshDashboard(chart, 'dashboard', { mesh });
  const objects: any[] = chart.toJson();
  const ruleObjects = objects.filter(o => o.kind === 'PrometheusRule');
  const rules = ruleObjects.flatMap(o => o.spec.groups.flatMap((g: any) => g.rules));
  const dashboard = objects.find(o => o.kind === 'ConfigMap' && o.metadata.labels?.grafana_dashboard === '1');
  const json = Object.values(dashboard.data)[0] as string;
  const panels = JSON.parse(json).panels.length;
  console.log(JSON.stringify({
    src, services: n, prometheusRules: ruleObjects.length, rules, perService: +(rules.length / n).toFixed(2),
    recordingRules: rules.filter((r: any) => r.record).length, alerts: rules.filter((r: any) => r.alert).length,
    ruleJsonBytes: ruleObjects.reduce((s, o) => s + JSON.stringify(o).length, 0),
    dashboardBytes: Buffer.byteLength(json), panels,
  }, (k, v) => (k === 'rules' ? v.length : v)));
}
