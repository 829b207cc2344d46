import { ALERT_SETTINGS, MESH_ALERTS, MINUTES, ORDERS, PROFILE, RUNBOOK } from './fixtures';
import { ExpectedAlert, RuleTestBatch, Workdir } from './promtool';
import { counter, InputSeries, Labels, MESH, series, sidecar } from './series';
import { Mesh, MeshService, MonitoredWorkload, RouteTarget, WeightedRoute } from '../../src';
import { ISTIO_REQUEST_METRICS } from '../../src/engines/istio/request-metrics';
import { resolveProfile } from '../../src/monitoring/alert-profile';
import { alertSettingRules } from '../../src/monitoring/alert-settings';
import { meshAlertRules } from '../../src/monitoring/alerts';
import { envoyVersionGauge, xxHash64 } from '../../src/monitoring/envoy-version';
import { newChart, objectNamed, synth, TEST_MESH } from '../helpers';

/**
 * The alerts on a sidecar's configuration: `MeshConfigRejected` reads the
 * failure counters of every xDS subscription, `MeshConfigOutdated` compares
 * each subscription's `version` gauge with the ConfigMap's version. Stat
 * names: `ALL_SUBSCRIPTION_STATS` (envoy/config/subscription.h), set in
 * `FilesystemSubscriptionImpl::refresh`
 * (source/extensions/config_subscription/filesystem/filesystem_subscription_impl.cc);
 * ECDS adds `config_fail` under `extension_config_discovery.http_filter.<filter name>.`
 * (source/common/filter/config_discovery_impl.h), which no default tag
 * extracts (source/common/config/well_known_names.cc).
 */

const OLD = '03f8285ef3c66729';
const NEW = '13287eff6c2b8047';
/** The gauge as Envoy prints it: the exact uint64 (`generateNumericOutput`, source/server/admin/prometheus_stats.cc). */
const printed = (version: string) => xxHash64(Buffer.from(version, 'utf8')).toString();
const ECDS = 'envoy_extension_config_discovery_http_filter_envoy_filters_http_header_mutation';

/** One subscription of a sidecar: its stat name without the last part, and the tags Envoy extracts. */
const SUBSCRIPTIONS: Record<string, [string, Labels]> = {
  lds: ['envoy_listener_manager_lds', {}],
  cds: ['envoy_cluster_manager_cds', {}],
  rds: ['envoy_http_rds', { envoy_http_conn_manager_prefix: 'outbound_payment', envoy_rds_route_config: 'outbound_payment' }],
  ecds: [ECDS, {}],
};

/** Versions each file of a sidecar loaded, minute after minute: [version, minutes]; files not named keep `OLD`. */
function versionSeries(target: Labels, files: Partial<Record<string, Array<[string, number]>>>): InputSeries[] {
  return Object.entries(SUBSCRIPTIONS).map(([file, [name, tags]]) => {
    const phases = files[file] ?? [[OLD, MINUTES]];
    return series(`${name}_version`, { ...target, ...tags }, phases.map(([v, n], i) => `${printed(v)}x${i === 0 ? n : n - 1}`).join(' '));
  });
}

/** Failure counters of each sidecar, by pod and counter name (e.g. `envoy_cluster_manager_cds_update_failure`). */
function failureSeries(service: typeof ORDERS, failures: Record<string, Record<string, Array<[number, number]>>>): InputSeries[] {
  return Object.entries(failures).flatMap(([pod, counters]) => Object.entries(counters).map(([name, phases]) =>
    series(name, { ...sidecar(service, pod), ...(name.startsWith('envoy_http_rds') ? SUBSCRIPTIONS.rds[1] : {}) }, counter(phases))));
}

const dir = new Workdir();
afterAll(() => dir.cleanup());
const SETTINGS = { ...ALERT_SETTINGS, configVersion: NEW };
const ENVOY_ALERTS = meshAlertRules(MESH, { ...MESH_ALERTS, configOutdated: true });
const envoyBatch = new RuleTestBatch(dir, 'config-envoy', [...ENVOY_ALERTS, alertSettingRules(ORDERS, SETTINGS)]);
const istioBatch = new RuleTestBatch(dir, 'config-istio', [
  ...meshAlertRules(MESH, { ...MESH_ALERTS, metrics: ISTIO_REQUEST_METRICS }), alertSettingRules(ORDERS, ALERT_SETTINGS),
]);
const labels = (pod: string) => ({ mesh: MESH, namespace: 'shop', mesh_service: ORDERS.name, pod, severity: 'warning', alert_profile: resolveProfile(PROFILE).id });
const annotations = (summary: string, description: string) => ({ summary, description, runbook_url: RUNBOOK });

const once = (at: number): Array<[number, number]> => [[0, at], [1, 1], [0, MINUTES - at - 1]];
const rejected = (pod: string): ExpectedAlert => ({
  exp_labels: labels(pod),
  exp_annotations: annotations('A sidecar of shop/order-service refused its new configuration',
    `The sidecar of pod ${pod} of shop/order-service refused or could not read a listener, cluster, route or filter file; `
      + 'it keeps the previous version, though of a refused listener or cluster file it may apply the resources that were valid: '
      + 'see its log, or /config_dump on the admin port.'),
});

describe('MeshConfigRejected counts every way a sidecar fails to load a file', () => {
  envoyBatch.add('rejected', {
    interval: '1m',
    input_series: failureSeries(ORDERS, {
      'order-service-1': { envoy_cluster_manager_cds_update_failure: once(10) }, // a missing or unparseable file
      'order-service-2': { [`${ECDS}_config_fail`]: once(10) },
      'order-service-3': { envoy_http_rds_update_rejected: once(10) },
      'order-service-4': { [`${ECDS}_update_rejected`]: once(10), envoy_listener_manager_lds_update_rejected: [[0, MINUTES]] },
    }).concat(failureSeries({ name: 'frontend', namespace: 'shop' }, { 'frontend-1': { envoy_listener_manager_lds_update_failure: once(10) } })),
    alert_rule_test: [
      { eval_time: '9m', alertname: 'MeshConfigRejected', exp_alerts: [] },
      { eval_time: '17m', alertname: 'MeshConfigRejected', exp_alerts: ['order-service-1', 'order-service-2', 'order-service-3', 'order-service-4'].map(rejected) },
      { eval_time: '29m', alertname: 'MeshConfigRejected', exp_alerts: [] },
    ],
  });
  test('a file that cannot be read (update_failure), ECDS config_fail and update_rejected, RDS update_rejected', () => envoyBatch.verify('rejected'));

  // On Istio, update_failure counts lost connections to istiod (a fetch that failed), not a refused update.
  istioBatch.add('istio', {
    interval: '1m',
    input_series: failureSeries(ORDERS, {
      'order-service-1': { envoy_listener_manager_lds_update_failure: once(10) },
      'order-service-2': { envoy_cluster_manager_cds_update_rejected: once(10) },
    }),
    alert_rule_test: [{
      eval_time: '17m',
      alertname: 'MeshConfigRejected',
      exp_alerts: [{
        exp_labels: labels('order-service-2'),
        exp_annotations: annotations('A sidecar of shop/order-service refused its new configuration',
          'The sidecar of pod order-service-2 of shop/order-service refused a listener or cluster update from istiod; it keeps the previous version of what it refused: '
            + 'see its log, or /config_dump on the admin port.'),
      }],
    }],
  });
  test("on Istio's proxies only refused updates count", () => istioBatch.verify('istio'));
});

describe('MeshConfigOutdated fires for a sidecar that has not loaded its ConfigMap within `for`', () => {
  const outdated = (pod: string, files: number): ExpectedAlert => ({
    exp_labels: labels(pod),
    exp_annotations: annotations('A sidecar of shop/order-service does not run its current configuration',
      `${files} configuration files of the sidecar of pod ${pod} of shop/order-service are not at version ${NEW} `
        + "(the version_info of its ConfigMap's files): the kubelet has not updated the mounted ConfigMap, or Envoy refused a file "
        + '(see MeshConfigRejected and /config_dump on the admin port).'),
  });
  const updated: Array<[string, number]> = [[OLD, 2], [NEW, MINUTES - 2]];
  envoyBatch.add('outdated', {
    interval: '1m',
    input_series: [
      // Loads the new files two minutes after the rule expects them.
      ...versionSeries(sidecar(ORDERS, 'order-service-1'), { lds: updated, cds: updated, rds: updated, ecds: updated }),
      // Refused its new route file: it runs the new listeners and clusters with the old routes.
      ...versionSeries(sidecar(ORDERS, 'order-service-2'), { lds: updated, cds: updated, ecds: updated }),
      // Never got the new ConfigMap.
      ...versionSeries(sidecar(ORDERS, 'order-service-3'), {}),
      // Other services' and namespaces' sidecars have versions of their own.
      ...versionSeries(sidecar({ name: 'frontend', namespace: 'shop' }, 'frontend-1'), {}),
      ...versionSeries(sidecar({ name: ORDERS.name, namespace: 'staging' }, 'order-service-1'), {}),
    ],
    alert_rule_test: [
      { eval_time: '4m', alertname: 'MeshConfigOutdated', exp_alerts: [] },
      { eval_time: '10m', alertname: 'MeshConfigOutdated', exp_alerts: [outdated('order-service-2', 1), outdated('order-service-3', 4)] },
      { eval_time: `${MINUTES - 1}m`, alertname: 'MeshConfigOutdated', exp_alerts: [outdated('order-service-2', 1), outdated('order-service-3', 4)] },
    ],
  });
  test('a lagging or partly refused sidecar fires, naming how many files lag; an up-to-date one does not', () => envoyBatch.verify('outdated'));

  test('the expected value is the gauge rounded as Prometheus stores it, not the exact uint64 Envoy prints', () => {
    const expr = alertSettingRules(ORDERS, SETTINGS).rules[0].expr;
    expect(expr).toContain(`vector(${envoyVersionGauge(NEW)})`);
    expect(String(envoyVersionGauge(NEW))).not.toBe(printed(NEW)); // above 2^53: the series above are written exactly, and still match
  });
});

describe("Envoy's xxHash64", () => {
  test.each([
    // test/common/common/hash_test.cc (TEST(Hash, xxHash))
    ['foo', '3728699739546630719'], ['bar', '5234164152756840025'], ['foo\nbar', '8917841378505826757'],
    ['lyft', '4400747396090729504'], ['', '17241709254077376921'],
    // 39 bytes, through the 32-byte stripes: python-xxhash's README (xxh64 hexdigest fbcea83c8a378bf1)
    ['Nobody inspects the spammish repetition', '18144624926692707313'],
  ])('of %j is %s', (input, hash) => {
    expect(xxHash64(Buffer.from(input, 'utf8')).toString()).toBe(hash);
  });
});

describe('the alert of a MonitoredWorkload on the static Envoy engine', () => {
  function shop(canary: number) {
    const chart = newChart();
    const mesh = new Mesh(chart, 'mesh', TEST_MESH);
    const orders = new MeshService(chart, 'orders', { mesh, image: 'example/orders:1.0.0', port: 8080 });
    orders.addVersion('v2');
    const web = new MeshService(chart, 'web', { mesh, image: 'example/web:1.0.0', port: 3000 });
    web.callTo(orders);
    new WeightedRoute(chart, 'canary', { service: orders, targets: [RouteTarget.version('v1', 100 - canary), RouteTarget.version('v2', canary)] });
    new MonitoredWorkload(chart, 'web-monitoring', { service: web });
    const manifests = synth(chart);
    const version = JSON.parse(objectNamed(manifests, 'ConfigMap', 'web-envoy').data['lds.json']).version_info;
    const rule = objectNamed(manifests, 'PrometheusRule', 'web-mesh').spec.groups[0].rules[0];
    const alert = objectNamed(manifests, 'PrometheusRule', 'shop-mesh-recording').spec.groups.flatMap((g: any) => g.rules).find((r: any) => r.alert === 'MeshConfigOutdated');
    return { version, rule, alert };
  }

  test("expects the version of the service's ConfigMap, in the service's own rule, and moves with it; the mesh's alert stays", () => {
    const [before, after] = [shop(10), shop(20)];
    expect(before.version).not.toBe(after.version);
    for (const { version, rule } of [before, after]) {
      expect(rule.expr).toContain(`label_replace(vector(${envoyVersionGauge(version)}), "setting", "config_version", "", ""), "config_version", "${version}", "", "")`);
    }
    expect(before.alert).toEqual(after.alert);
    expect(before.alert.annotations.description).toContain('not at version {{ with printf');
  });

  test('is absent without a version, and a version that could break the annotation is refused', () => {
    expect(alertSettingRules(ORDERS, ALERT_SETTINGS).rules[0].expr).not.toContain('config_version');
    expect(meshAlertRules(MESH, MESH_ALERTS)[0].rules.map(r => r.alert)).not.toContain('MeshConfigOutdated');
    expect(ENVOY_ALERTS[0].rules.map(r => r.alert)).toContain('MeshConfigOutdated');
    expect(() => alertSettingRules(ORDERS, { ...ALERT_SETTINGS, configVersion: '{{ $value }}' })).toThrow(/configVersion "\{\{ \$value \}\}" is invalid/);
  });
});
