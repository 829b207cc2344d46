import { Duration } from 'cdk8s';
import { Mesh, MeshDashboard, MeshService, MonitoredWorkload, Objective, Protocol } from '../src';
import { envoyConfigOf, newChart, objectNamed, objectsOf, outputProblems, synth, synthError, TEST_MESH } from './helpers';
import { checkRules, promtool, Workdir } from './monitoring/promtool';

function shop() {
  const chart = newChart();
  const mesh = new Mesh(chart, 'mesh', TEST_MESH);
  const orders = new MeshService(chart, 'order-service', { mesh, image: 'example/orders:1.0.0', port: 8080 });
  const users = new MeshService(chart, 'user-service', { mesh, image: 'example/users:1.0.0', port: 3000 });
  users.callTo(orders);
  return { chart, mesh, orders, users };
}

describe('MonitoredWorkload', () => {
  const { chart, mesh, orders, users } = shop();
  new MonitoredWorkload(chart, 'orders-monitoring', {
    service: orders,
    metricsPort: 9464,
    monitorLabels: { release: 'kube-prometheus-stack' },
    objectives: [Objective.availability(99.9), Objective.latency({ percentile: 99, threshold: Duration.millis(300) })],
    alerts: { runbookUrl: 'https://runbooks.example.com/orders' },
  });
  new MonitoredWorkload(chart, 'users-monitoring', { service: users, monitorLabels: { release: 'kube-prometheus-stack' } });
  new MeshDashboard(chart, 'dashboard', { mesh });
  const manifests = synth(chart);

  test("the application's metrics port is open to the monitoring namespace, like the sidecar's", () => {
    const ingress = objectNamed(manifests, 'NetworkPolicy', 'order-service-mesh').spec.ingress;
    const fromMonitoring = ingress.find((rule: any) => rule.from?.[0]?.namespaceSelector?.matchLabels['kubernetes.io/metadata.name'] === 'monitoring');
    expect(fromMonitoring.ports).toEqual([{ protocol: 'TCP', port: 15090 }, { protocol: 'TCP', port: 9464 }]);
    const usersIngress = objectNamed(manifests, 'NetworkPolicy', 'user-service-mesh').spec.ingress;
    expect(usersIngress.find((rule: any) => rule.from?.[0]?.namespaceSelector?.matchLabels['kubernetes.io/metadata.name'] === 'monitoring').ports)
      .toEqual([{ protocol: 'TCP', port: 15090 }]);
  });

  test('every manifest passes the CRD and Kubernetes schemas', () => {
    expect(outputProblems(manifests)).toEqual([]);
  });

  test("one PodMonitor per namespace scrapes every monitored service's sidecars, labelled by mesh service; an app port gets its own", () => {
    const sidecars = objectNamed(manifests, 'PodMonitor', 'shop-mesh-sidecars');
    expect(sidecars.metadata.labels).toEqual({ release: 'kube-prometheus-stack' });
    expect(sidecars.spec.selector).toEqual({ matchExpressions: [{ key: 'mesh.cdk8s.io/service', operator: 'In', values: ['order-service', 'user-service'] }] });
    expect(sidecars.spec.podMetricsEndpoints.map((e: any) => [e.port, e.path, e.interval])).toEqual([['stats', '/stats/prometheus', '30s']]);
    expect(sidecars.spec.podMetricsEndpoints[0].relabelings.map((r: any) => r.targetLabel)).toEqual(['mesh_service', 'mesh_version', 'mesh_target', 'mesh']);
    expect(sidecars.spec.podMetricsEndpoints[0].relabelings[3].replacement).toBe('shop-mesh');
    const app = objectNamed(manifests, 'PodMonitor', 'order-service-app');
    expect(app.spec.selector).toEqual({ matchLabels: { 'mesh.cdk8s.io/service': 'order-service' } });
    expect(app.spec.podMetricsEndpoints.map((e: any) => [e.portNumber, e.path, e.interval])).toEqual([[9464, '/metrics', '30s']]);
    expect(objectsOf(manifests, 'PodMonitor')).toHaveLength(2);
  });

  test('the rule groups pass promtool check rules', async () => {
    const dir = new Workdir();
    try {
      for (const rule of objectsOf(manifests, 'PrometheusRule')) {
        const result = await checkRules(dir, `${rule.metadata.name}.yml`, rule.spec.groups);
        expect(result.output).toContain('SUCCESS');
        expect(result.code).toBe(0);
      }
    } finally {
      dir.cleanup();
    }
  });

  test("one fixed set of recording rules covers the mesh's services and edges; SLO burn-rate alerts exist", () => {
    const recording = objectNamed(manifests, 'PrometheusRule', 'shop-mesh-recording');
    expect(recording.metadata.labels).toEqual({ release: 'kube-prometheus-stack' });
    // The alerts: one set for the default profile (user-service), one for order-service's runbook.
    const profile = objectNamed(manifests, 'PrometheusRule', 'order-service-mesh').spec.groups[0].rules[0].labels.alert_profile;
    expect(recording.spec.groups.map((g: any) => [g.name, g.rules.length])).toEqual([
      ['mesh-recording/shop-mesh', 10], ['mesh-alerts/shop-mesh/default', 13], [`mesh-alerts/shop-mesh/${profile}`, 13], ['mesh-slo/shop-mesh', 21],
    ]);
    expect(objectsOf(manifests, 'PrometheusRule').flatMap((r: any) => r.spec.groups).filter((g: any) => g.name.startsWith('mesh-recording'))).toHaveLength(1);
    const meshAlerts = recording.spec.groups[3].rules.filter((r: any) => r.alert).map((r: any) => r.alert);
    expect(meshAlerts.filter((a: string) => a === 'MeshAvailabilitySLOBurn')).toHaveLength(2);
    const ordersRules = objectNamed(manifests, 'PrometheusRule', 'order-service-mesh').spec.groups.flatMap((g: any) => g.rules);
    expect(ordersRules.map((r: any) => [r.record, r.labels.sloth_slo, r.labels.slo_runbook_url])).toEqual([
      ['mesh_service:alert_setting:value', undefined, undefined],
      ['slo:objective:ratio', 'availability', 'https://runbooks.example.com/orders'], ['slo:objective:ratio', 'latency-300ms', 'https://runbooks.example.com/orders'],
    ]);
    expect(ordersRules.filter((r: any) => r.alert)).toEqual([]);
    expect(recording.spec.groups[2].rules.every((r: any) => r.annotations.runbook_url === 'https://runbooks.example.com/orders')).toBe(true);
  });

  test("a latency objective's threshold becomes a histogram bound of the service's sidecar", () => {
    const buckets = envoyConfigOf(manifests, 'order-service').stats_config.histogram_bucket_settings[0].buckets;
    expect(buckets).toContain(300);
    expect(envoyConfigOf(manifests, 'user-service').stats_config).toBeUndefined();
  });

  test('the dashboard ConfigMap carries the Grafana label and expressions that parse', async () => {
    const configMap = objectsOf(manifests, 'ConfigMap').find(c => c.metadata.labels?.grafana_dashboard === '1');
    expect(configMap.metadata.namespace).toBe('monitoring');
    const dashboard = JSON.parse(Object.values<string>(configMap.data)[0]);
    const exprs: string[] = JSON.stringify(dashboard).match(/"expr":"((?:[^"\\]|\\.)*)"/g)!.map(m => JSON.parse(m.slice(7)));
    expect(exprs.length).toBeGreaterThan(0);
    const dir = new Workdir();
    try {
      const groups = [{ name: 'dashboard', rules: exprs.map((expr, i) => ({ record: `dashboard:expr:${i}`, expr })) }];
      const result = await checkRules(dir, 'dashboard.yml', groups);
      expect(result.code).toBe(0);
    } finally {
      dir.cleanup();
    }
    expect(promtool).toBeDefined();
  });
});

test("severities follow kube-prometheus-stack by default, or the user's mapping; a runbook template names each alert", () => {
  const rulesOf = (alerts: object) => {
    const { chart, orders } = shop();
    new MonitoredWorkload(chart, 'orders-monitoring', { service: orders, objectives: [Objective.availability(99.9)], alerts });
    const manifests = synth(chart);
    // The service's own rules (its settings and objectives), and the mesh's alerts, one set for its one profile.
    const meshAlerts = objectNamed(manifests, 'PrometheusRule', 'shop-mesh-recording').spec.groups.filter((g: any) => g.name.startsWith('mesh-alerts/'));
    expect(meshAlerts.map((g: any) => g.name)).toEqual(['mesh-alerts/shop-mesh']);
    return [...objectNamed(manifests, 'PrometheusRule', 'order-service-mesh').spec.groups, ...meshAlerts].flatMap((g: any) => g.rules);
  };
  // The mesh's burn alerts take the severities and runbook of each objective from its series' labels.
  const severityOf = (rules: any[], alert: string) => (alert === 'MeshAvailabilitySLOBurn'
    ? rules.filter(r => r.record === 'slo:objective:ratio').flatMap(r => [r.labels.slo_page_severity, r.labels.slo_ticket_severity])
    : rules.filter(r => r.alert === alert).map(r => r.labels.severity));
  const defaults = rulesOf({ runbookUrl: 'https://runbooks.example.com/mesh/{alert}' });
  expect(severityOf(defaults, 'MeshHighErrorRatio')).toEqual(['critical']);
  expect(severityOf(defaults, 'MeshSidecarDown')).toEqual(['warning']);
  expect(severityOf(defaults, 'MeshOutlierEjections')).toEqual(['info']); // mesh-wide, whether order-service calls anybody or not
  expect(severityOf(defaults, 'MeshAvailabilitySLOBurn')).toEqual(['critical', 'warning']);
  for (const rule of defaults.filter(r => r.alert)) expect(rule.annotations.runbook_url).toBe(`https://runbooks.example.com/mesh/${rule.alert}`);
  expect(defaults.find(r => r.record === 'slo:objective:ratio').labels.slo_runbook_url).toBe('https://runbooks.example.com/mesh/MeshAvailabilitySLOBurn');

  const mapped = rulesOf({ severities: { page: 'P1' } });
  expect(severityOf(mapped, 'MeshAvailabilitySLOBurn')).toEqual(['P1', 'warning']);
  expect(mapped.every((r: any) => r.annotations?.runbook_url === undefined && r.labels?.slo_runbook_url === undefined)).toBe(true);
});

test('two meshes that share a construct id, in two namespaces, get dashboards of their own', () => {
  const dashboardOf = (namespace: string) => {
    const chart = newChart(namespace);
    new MeshDashboard(chart, 'dashboard', { mesh: new Mesh(chart, 'mesh', TEST_MESH) });
    const configMap = objectsOf(synth(chart), 'ConfigMap').find((c: any) => c.metadata.labels?.grafana_dashboard === '1');
    return { name: configMap.metadata.name, uid: JSON.parse(Object.values<string>(configMap.data)[0]).uid };
  };
  const [inShop, billing] = [dashboardOf('shop'), dashboardOf('billing')];
  expect(inShop.name).toBe('shop-mesh-mesh-dashboard');
  expect(billing.name).not.toBe(inShop.name);
  expect(billing.uid).not.toBe(inShop.uid);
  expect(inShop.uid).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
});

test('MonitoredWorkloads of one namespace that scrape differently are refused: they share the sidecar PodMonitor', () => {
  const { chart, orders, users } = shop();
  new MonitoredWorkload(chart, 'orders-monitoring', { service: orders, scrapeInterval: Duration.seconds(30) });
  new MonitoredWorkload(chart, 'users-monitoring', { service: users, scrapeInterval: Duration.seconds(15) });
  expect(synthError(chart)).toMatch(/\[test\/users-monitoring\] the sidecars of namespace shop are scraped by one PodMonitor, .*scrapeInterval 30s: give every MonitoredWorkload of the namespace the same/);
});

describe('MonitoredWorkload of a TCP service', () => {
  const chart = newChart();
  const mesh = new Mesh(chart, 'mesh', TEST_MESH);
  const orders = new MeshService(chart, 'order-service', { mesh, image: 'example/orders:1.0.0', port: 8080, namespace: 'billing' });
  const worker = new MeshService(chart, 'queue-worker', { mesh, image: 'example/worker:1.0.0', port: 5672, protocol: Protocol.TCP });
  worker.callTo(orders);
  new MonitoredWorkload(chart, 'worker-monitoring', { service: worker, alerts: { expectTraffic: false } });
  const manifests = synth(chart);
  const rules = objectNamed(manifests, 'PrometheusRule', 'queue-worker-mesh').spec.groups.flatMap((g: any) => g.rules);

  test('its own rules hold its alert settings, so the alerts on its sidecars (down, absent, configuration) cover it', () => {
    expect(rules.find((r: any) => r.record === 'mesh_service:alert_setting:value').labels)
      .toMatchObject({ namespace: 'shop', mesh_service: 'queue-worker', expect_traffic: 'false' });
    const alerts = objectsOf(manifests, 'PrometheusRule').flatMap((o: any) => o.spec.groups.flatMap((g: any) => g.rules)).map((r: any) => r.alert);
    expect(alerts).toEqual(expect.arrayContaining(['MeshSidecarDown', 'MeshSidecarsAbsent', 'MeshConfigRejected', 'MeshConfigOutdated']));
  });

  test('its HTTP upstream in another namespace is listed, so the callers\' view counts its calls in the upstream\'s namespace', () => {
    expect(rules.find((r: any) => r.record === 'mesh_edge:upstream:info').expr).toContain('"upstream_namespace", "billing"');
  });

  test('every manifest passes the CRD and Kubernetes schemas, and promtool checks the rules', async () => {
    expect(outputProblems(manifests)).toEqual([]);
    const dir = new Workdir();
    try {
      for (const rule of objectsOf(manifests, 'PrometheusRule')) {
        const result = await checkRules(dir, `${rule.metadata.name}.yml`, rule.spec.groups);
        expect(result.code).toBe(0);
      }
    } finally {
      dir.cleanup();
    }
  });
});
