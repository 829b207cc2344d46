import { FRONTEND, ORDERS, PAYMENT } from './fixtures';
import { istioProxy, istioRequest, istioSeries, SLO_LABELS } from './istio-series';
import { ExpectedAlert, RuleTestBatch, UnitTest, Workdir } from './promtool';
import { GatewayApiPolicies, Mesh, MeshEngine, MeshService, MonitoredWorkload, Objective } from '../../src';
import { PromRuleGroup } from '../../src/monitoring/types';
import { newChart, objectsOf, synth } from '../helpers';

/**
 * Monitoring of a mesh routed by Gateway API on Istio: routes send to a
 * Service per version (`order-service-v1`), which Istio's proxies report as
 * `destination_service_name`; the records count those calls as calls to
 * `order-service`, so the callers' view of its SLO still sees an outage.
 * Which Services are versions of which service comes from the callers' own
 * rules (`mesh_edge:version_service:info`), so it also holds for an
 * upstream that is not monitored (`payment`, in another namespace).
 */
const chart = newChart();
const mesh = new Mesh(chart, 'mesh', { engine: MeshEngine.gatewayApi({ policies: GatewayApiPolicies.ISTIO }) });
const orders = new MeshService(chart, 'order-service', { mesh, image: 'example/orders:1.0.0', port: 8080 });
orders.addVersion('v2');
const frontend = new MeshService(chart, 'frontend', { mesh, image: 'example/frontend:1.0.0', port: 3000 });
frontend.callTo(orders);
const payment = new MeshService(chart, 'payment', { mesh, namespace: 'billing', image: 'example/payment:1.0.0', port: 8082 });
payment.addVersion('v2');
frontend.callTo(payment);
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

const round = (expr: string) => `round(${expr}, 0.000001)`;

function edgeAlert(upstream: string, ratio: string): ExpectedAlert {
  return {
    exp_labels: { mesh: 'shop-mesh', namespace: 'shop', mesh_service: 'frontend', caller: 'frontend', upstream, severity: 'warning' },
    exp_annotations: {
      summary: `Calls shop/frontend -> ${upstream} fail`,
      description: `${ratio} of the requests shop/frontend -> ${upstream} failed with 5xx over 5m, as the caller saw them (threshold 5%).`,
    },
  };
}

/**
 * frontend calls order-service at its own Service and at both versions'
 * (10 requests/s each, those to v2 failing), and payment (not monitored,
 * in billing) at its v2's Service (all failing): each call counts once, as
 * a call to the service, never to a phantom upstream `order-service-v2`.
 */
const VERSIONS: UnitTest = {
  interval: '1m',
  input_series: [
    ...[['order-service', 0], ['order-service-v1', 0], ['order-service-v2', 1]].flatMap(([service, errorRatio]) => istioSeries(
      istioProxy(FRONTEND, 'frontend-v1-1'), istioRequest('source', FRONTEND, ORDERS, service as string), [{ minutes: 30, perMinute: 600, errorRatio: errorRatio as number }])),
    ...istioSeries(istioProxy(FRONTEND, 'frontend-v1-1'), istioRequest('source', FRONTEND, PAYMENT, 'payment-v2'), [{ minutes: 30, perMinute: 600, errorRatio: 1 }]),
  ],
  promql_expr_test: [
    {
      expr: round('caller_upstream:envoy_http_downstream_rq:rate5m'),
      eval_time: at,
      exp_samples: [{ labels: EDGE, value: 30 }, { labels: EDGE.replace('order-service', 'payment'), value: 10 }],
    },
    {
      expr: round('caller_upstream:envoy_http_downstream_rq_errors:ratio_rate5m'),
      eval_time: at,
      exp_samples: [{ labels: EDGE, value: 0.333333 }, { labels: EDGE.replace('order-service', 'payment'), value: 1 }],
    },
    {
      expr: round('mesh_service:slo_requests:rate5m'),
      eval_time: at,
      exp_samples: [{ labels: '{mesh="shop-mesh", namespace="shop", mesh_service="order-service", sloth_slo="availability", slo_view="callers"}', value: 30 }],
    },
  ],
  alert_rule_test: [
    { eval_time: at, alertname: 'MeshEdgeHighErrorRatio', exp_alerts: [edgeAlert('order-service', '33.33%'), edgeAlert('payment', '100%')] },
    {
      eval_time: at,
      alertname: 'MeshAvailabilitySLOBurn',
      exp_alerts: OUTAGE.alert_rule_test![0].exp_alerts!.map(a => ({
        ...a, exp_annotations: { ...a.exp_annotations!, description: a.exp_annotations!.description.replace('1000 times', '333.3 times') },
      })),
    },
  ],
};

/** The same calls, none failing: the burn alert must stay silent, so the outage's alert is not vacuous. */
const QUIET: UnitTest = { ...OUTAGE, input_series: calls(0), promql_expr_test: [], alert_rule_test: [{ eval_time: at, alertname: 'MeshAvailabilitySLOBurn', exp_alerts: [] }] };

describe('a Gateway API mesh on Istio under promtool', () => {
  batch.add('outage', OUTAGE);
  batch.add('quiet', QUIET);
  batch.add('versions', VERSIONS);
  test('calls to the Services of the versions are calls to the service: the callers\' view pages on an outage', () => batch.verify('outage'));
  test('with no failed calls the burn alert stays silent', () => batch.verify('quiet'));
  test('a call to a version\'s Service counts once, for its service, also when the upstream is not monitored', () => batch.verify('versions'));
});
