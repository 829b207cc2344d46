import { FRONTEND, ORDERS } from './fixtures';
import { istioProxy, istioRequest, istioSeries, SLO_LABELS } from './istio-series';
import { RuleTestBatch, UnitTest, Workdir } from './promtool';
import { GatewayApiPolicies, Mesh, MeshEngine, MeshService, MonitoredWorkload, Objective } from '../../src';
import { PromRuleGroup } from '../../src/monitoring/types';
import { newChart, objectsOf, synth } from '../helpers';

/**
 * Monitoring of a mesh routed by Gateway API on Istio: routes send to a
 * Service per version (`order-service-v1`), which Istio's proxies report as
 * `destination_service_name`; the records count those calls as calls to
 * `order-service`, so the callers' view of its SLO still sees an outage.
 */
const chart = newChart();
const mesh = new Mesh(chart, 'mesh', { engine: MeshEngine.gatewayApi({ policies: GatewayApiPolicies.ISTIO }) });
const orders = new MeshService(chart, 'order-service', { mesh, image: 'example/orders:1.0.0', port: 8080 });
orders.addVersion('v2');
const frontend = new MeshService(chart, 'frontend', { mesh, image: 'example/frontend:1.0.0', port: 3000 });
frontend.callTo(orders);
new MonitoredWorkload(chart, 'orders-monitoring', { service: orders, objectives: [Objective.availability(99.9)] });
new MonitoredWorkload(chart, 'frontend-monitoring', { service: frontend });
const GROUPS: PromRuleGroup[] = objectsOf(synth(chart), 'PrometheusRule').flatMap(rule => rule.spec.groups);

const dir = new Workdir();
afterAll(() => dir.cleanup());
const batch = new RuleTestBatch(dir, 'gateway-api', GROUPS);
const at = '30m';
const EDGE = '{mesh="shop-mesh", namespace="shop", caller="frontend", upstream="order-service"}';

/** frontend's calls to both versions' Services, `calls` of them failing; order-service's own pods report nothing (they are gone, or not asked). */
function calls(errorRatio: number): UnitTest['input_series'] {
  return ['order-service-v1', 'order-service-v2'].flatMap(service =>
    istioSeries(istioProxy(FRONTEND, 'frontend-v1-1'), istioRequest('source', FRONTEND, ORDERS, service), [{ minutes: 30, perMinute: 600, errorRatio }]));
}

const OUTAGE: UnitTest = {
  interval: '1m',
  input_series: calls(1),
  promql_expr_test: [
    { expr: `round(caller_upstream:envoy_http_downstream_rq:rate5m${EDGE}, 0.000001)`, eval_time: at, exp_samples: [{ labels: EDGE, value: 20 }] },
    { expr: `round(caller_upstream:envoy_http_downstream_rq_errors:ratio_rate5m${EDGE}, 0.000001)`, eval_time: at, exp_samples: [{ labels: EDGE, value: 1 }] },
  ],
  alert_rule_test: [{
    eval_time: at,
    alertname: 'MeshAvailabilitySLOBurn',
    exp_alerts: ['fast', 'slow'].map(burn => ({
      exp_labels: {
        ...SLO_LABELS, severity: burn === 'fast' ? 'critical' : 'warning', burn,
      },
      exp_annotations: {
        summary: `shop/order-service burns the error budget of its availability SLO ${burn === 'fast' ? 'fast' : 'steadily'}`,
        description: 'shop/order-service burns the error budget of its objective "99.9% of requests without 5xx" over 30 days at 1000 times the sustainable '
          + `rate (${burn === 'fast' ? '1h and 5m windows above 14.4x, or 6h and 30m windows above 6x' : '1d and 2h windows above 3x, or 3d and 6h windows above 1x'}).`,
        runbook_url: '',
      },
    })),
  }],
};

/** The same calls, none failing: the burn alert must stay silent, so the outage's alert is not vacuous. */
const QUIET: UnitTest = { ...OUTAGE, input_series: calls(0), promql_expr_test: [], alert_rule_test: [{ eval_time: at, alertname: 'MeshAvailabilitySLOBurn', exp_alerts: [] }] };

describe('a Gateway API mesh on Istio under promtool', () => {
  batch.add('outage', OUTAGE);
  batch.add('quiet', QUIET);
  test('calls to the Services of the versions are calls to the service: the callers\' view pages on an outage', () => batch.verify('outage'));
  test('with no failed calls the burn alert stays silent', () => batch.verify('quiet'));
});
