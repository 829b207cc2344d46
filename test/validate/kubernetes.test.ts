import { ApiObject, JsonPatch, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  checkRestrictedPodSecurity,
  podSpecsOf,
  validateAll,
  validateManifest,
  validateManifests,
} from '.';

/** Deep copy, so that every test mutates its own manifest. */
function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x));
}

/** Asserts that `errors` contains an entry matching every pattern. */
function expectErrors(errors: string[], ...patterns: RegExp[]): void {
  expect(errors).toEqual(expect.arrayContaining(patterns.map(p => expect.stringMatching(p))));
}

function find(manifests: any[], kind: string): any {
  const found = manifests.find(m => m.kind === kind);
  if (!found) throw new Error(`no ${kind} in manifests`);
  return found;
}

/** A small app built with cdk8s-plus-27, with its defaults untouched. */
function synthPlusApp(): any[] {
  const chart = Testing.chart();
  const deployment = new kplus.Deployment(chart, 'web', {
    containers: [{ image: 'nginx:1.27', portNumber: 8080, name: 'app' }],
  });
  deployment.exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] });
  new kplus.ConfigMap(chart, 'config', { data: { 'app.yaml': 'level: info' } });
  new kplus.Secret(chart, 'secret', { stringData: { token: 's3cr3t' } });
  new kplus.NetworkPolicy(chart, 'deny', {
    selector: deployment,
    ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
  });
  return Testing.synth(chart);
}

/**
 * A Deployment that meets the restricted Pod Security Standard. cdk8s-plus-27
 * has no API for seccomp profiles, and its Capability enum has no 'ALL', so
 * both are set through escape hatches.
 */
function synthRestrictedDeployment(): any {
  const chart = Testing.chart();
  const deployment = new kplus.Deployment(chart, 'web', {
    containers: [{
      image: 'nginx:1.27',
      name: 'app',
      portNumber: 8080,
      securityContext: { user: 1000, group: 1000, capabilities: { drop: ['ALL' as kplus.Capability] } },
    }],
    securityContext: { user: 1000, group: 1000 },
  });
  ApiObject.of(deployment).addJsonPatch(
    JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }));
  return find(Testing.synth(chart), 'Deployment');
}

describe('validateManifest: core kinds', () => {
  const manifests = synthPlusApp();

  test('a cdk8s-plus-27 Deployment, Service, ConfigMap, Secret and NetworkPolicy are valid', () => {
    expect(manifests.map(m => m.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'NetworkPolicy', 'Secret', 'Service']);
    expect(validateManifests(manifests)).toEqual([]);
  });

  test('other core kinds are valid', () => {
    const podTemplate = {
      metadata: { labels: { app: 'db' } },
      spec: { containers: [{ name: 'db', image: 'postgres:16', resources: { requests: { cpu: 0.5, memory: '1Gi' } } }] },
    };
    const objects = [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'mesh' } },
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'db', namespace: 'mesh' }, automountServiceAccountToken: false },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'db-0', labels: { 'app.kubernetes.io/name': 'db' } }, spec: podTemplate.spec },
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'db' },
        spec: { serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: podTemplate },
      },
      {
        apiVersion: 'apps/v1',
        kind: 'DaemonSet',
        metadata: { name: 'agent' },
        spec: { selector: { matchLabels: { app: 'db' } }, template: podTemplate },
      },
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: { name: 'web' },
        spec: {
          rules: [{
            host: 'example.com',
            http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { number: 80 } } } }] },
          }],
        },
      },
      {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: 'db' },
        spec: { maxUnavailable: '50%', selector: { matchLabels: { app: 'db' } } },
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: { name: 'read' },
        rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: { name: 'system:read' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'read' },
        subjects: [{ kind: 'ServiceAccount', name: 'db', namespace: 'mesh' }],
      },
      {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'web' },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
          minReplicas: 2,
          maxReplicas: 5,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
        },
      },
    ];
    expect(validateManifests(objects)).toEqual([]);
  });

  test('unknown field in a container', () => {
    const d = clone(find(manifests, 'Deployment'));
    d.spec.template.spec.containers[0].imagePullSecret = 'regcred';
    expect(validateManifest(d)).toEqual([
      `Deployment/${d.metadata.name}: spec.template.spec.containers[0].imagePullSecret: unknown field`,
    ]);
  });

  test('unknown top-level field', () => {
    const cm = clone(find(manifests, 'ConfigMap'));
    cm.spec = { data: {} };
    expect(validateManifest(cm)).toEqual([`ConfigMap/${cm.metadata.name}: spec: unknown field`]);
  });

  test('wrong type: replicas as a string', () => {
    const d = clone(find(manifests, 'Deployment'));
    d.spec.replicas = '3';
    expect(validateManifest(d)).toEqual([`Deployment/${d.metadata.name}: spec.replicas: must be number (got "3")`]);
  });

  test('missing required field: container without name', () => {
    const d = clone(find(manifests, 'Deployment'));
    delete d.spec.template.spec.containers[0].name;
    expect(validateManifest(d)).toEqual([
      `Deployment/${d.metadata.name}: spec.template.spec.containers[0].name: required field missing`,
    ]);
  });

  test('missing required field: Service port without port', () => {
    const s = clone(find(manifests, 'Service'));
    delete s.spec.ports[0].port;
    expect(validateManifest(s)).toEqual([`Service/${s.metadata.name}: spec.ports[0].port: required field missing`]);
  });

  test('bad label value', () => {
    const cm = clone(find(manifests, 'ConfigMap'));
    cm.metadata.labels = { app: 'web server' };
    expectErrors(validateManifest(cm), /^ConfigMap\/test-config-\w+: metadata\.labels\.app: invalid label value "web server"/);
  });

  test('bad label key, label value too long, non-string label value', () => {
    const cm = clone(find(manifests, 'ConfigMap'));
    cm.metadata.labels = { '-app': 'x', 'a': 'x'.repeat(64), 'Example.com/x': 'y' };
    const errors = validateManifest(cm);
    expectErrors(errors,
      /metadata\.labels: invalid label key "-app"/,
      /metadata\.labels\.a: must be no more than 63 characters/,
      /metadata\.labels: invalid label key "Example\.com\/x": prefix part must be a lowercase RFC 1123 subdomain/);
    cm.metadata.labels = { replicas: 3 };
    expectErrors(validateManifest(cm), /metadata\.labels\.replicas: must be string \(got 3\)/);
  });

  test('labels in pod templates and selectors are checked too', () => {
    const d = clone(find(manifests, 'Deployment'));
    d.spec.template.metadata.labels.tier = 'front end';
    expectErrors(validateManifest(d), /spec\.template\.metadata\.labels\.tier: invalid label value/);
  });

  test('unknown kind and unknown version', () => {
    expect(validateManifest({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toEqual([
      'Widget/w: no schema for apiVersion/kind example.com/v1/Widget',
    ]);
    const d = clone(find(manifests, 'Deployment'));
    d.apiVersion = 'apps/v1beta1';
    expect(validateManifest(d)).toEqual([`Deployment/${d.metadata.name}: no schema for apiVersion/kind apps/v1beta1/Deployment`]);
    expectErrors(validateManifest({ kind: 'ConfigMap', metadata: { name: 'x' } }), /apiVersion and kind must be strings/);
  });

  test('invalid object names', () => {
    const s = clone(find(manifests, 'Service'));
    s.metadata.name = '1-web';
    expectErrors(validateManifest(s), /^Service\/1-web: metadata\.name: "1-web" must be an RFC 1035 label/);
    s.metadata.name = 'web.mesh';
    expectErrors(validateManifest(s), /metadata\.name: "web\.mesh" must be an RFC 1035 label/);
    s.metadata.name = 'w'.repeat(64);
    expectErrors(validateManifest(s), /metadata\.name: "w+" must be no more than 63 characters/);

    const cm = clone(find(manifests, 'ConfigMap'));
    cm.metadata.name = 'My_Config';
    expectErrors(validateManifest(cm), /metadata\.name: "My_Config" must be a lowercase RFC 1123 subdomain/);
    cm.metadata.name = 'config.v1';
    expect(validateManifest(cm)).toEqual([]);
    delete cm.metadata.name;
    expectErrors(validateManifest(cm), /metadata\.name: required field missing/);
  });

  test('quantities, int-or-string and timestamps', () => {
    const d = clone(find(manifests, 'Deployment'));
    const container = d.spec.template.spec.containers[0];
    container.resources.limits.memory = '2 Gi';
    d.spec.strategy.rollingUpdate.maxSurge = true;
    d.metadata.creationTimestamp = 'yesterday';
    expectErrors(validateManifest(d),
      /spec\.template\.spec\.containers\[0\]\.resources\.limits\.memory: must match pattern .* \(got "2 Gi"\)/,
      /spec\.strategy\.rollingUpdate\.maxSurge: must be number or string \(got true\)/,
      /metadata\.creationTimestamp: must match format "date-time" \(got "yesterday"\)/);

    const ok = clone(find(manifests, 'Deployment'));
    ok.spec.template.spec.containers[0].resources.limits = { 'cpu': 2, 'memory': '1.5Gi', 'nvidia.com/gpu': '1' };
    ok.spec.strategy.rollingUpdate.maxSurge = 1;
    ok.metadata.creationTimestamp = '2024-05-01T10:00:00Z';
    expect(validateManifest(ok)).toEqual([]);
  });

  test('wrong scalar type deep in a pod spec', () => {
    const d = clone(find(manifests, 'Deployment'));
    d.spec.template.spec.containers[0].ports[0].protocol = 7;
    expectErrors(validateManifest(d), /containers\[0\]\.ports\[0\]\.protocol: must be string \(got 7\)/);
  });

  test('selector must match template labels', () => {
    const d = clone(find(manifests, 'Deployment'));
    d.spec.selector.matchLabels = { app: 'other' };
    expectErrors(validateManifest(d), /spec\.template\.metadata\.labels: selector does not match template labels/);
  });

  test('pod spec naming rules and volume mounts', () => {
    const d = clone(find(manifests, 'Deployment'));
    const spec = d.spec.template.spec;
    spec.containers.push({ name: 'app', image: 'envoy' });
    spec.containers[0].ports[0].name = 'envoy-admin-port';
    spec.containers[0].volumeMounts = [{ name: 'config', mountPath: '/etc/app' }];
    expectErrors(validateManifest(d),
      /spec\.template\.spec\.containers\[1\]\.name: duplicate container name "app"/,
      /containers\[0\]\.ports\[0\]\.name: "envoy-admin-port" must be no more than 15 characters/,
      /containers\[0\]\.volumeMounts\[0\]\.name: volume "config" not found/);
  });

  test('a Service with several ports needs port names', () => {
    const s = clone(find(manifests, 'Service'));
    s.spec.ports.push({ port: 9901, targetPort: 'admin' });
    expectErrors(validateManifest(s), /spec\.ports\[0\]\.name: required when a Service has more than one port/);
  });

  test('duplicate objects and non-objects', () => {
    const cm = find(manifests, 'ConfigMap');
    expectErrors(validateManifests([cm, clone(cm)]), /^ConfigMap\/test-config-\w+: duplicate object/);
    expect(validateManifests([null])).toEqual(['null: a manifest must be a JSON object']);
  });
});

describe('validateManifest: custom resources', () => {
  const serviceMonitor = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: { name: 'web', labels: { release: 'prometheus' } },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      endpoints: [{ port: 'metrics', interval: '30s', path: '/stats/prometheus' }, { targetPort: 9901 }],
    },
  };
  const prometheusRule = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: { name: 'mesh-alerts' },
    spec: {
      groups: [{
        name: 'mesh',
        partial_response_strategy: 'ABORT',
        rules: [
          { alert: 'HighErrorRate', expr: 'sum(rate(envoy_http_5xx[5m])) > 1', for: '5m', labels: { severity: 'page' } },
          { record: 'mesh:requests:rate5m', expr: 'sum(rate(envoy_http_rq_total[5m]))' },
        ],
      }],
    },
  };
  const certificate = {
    apiVersion: 'cert-manager.io/v1',
    kind: 'Certificate',
    metadata: { name: 'web-mtls', namespace: 'mesh' },
    spec: {
      secretName: 'web-mtls',
      duration: '24h',
      dnsNames: ['web.mesh.svc.cluster.local'],
      usages: ['server auth', 'client auth'],
      privateKey: { algorithm: 'ECDSA', size: 256, rotationPolicy: 'Always' },
      issuerRef: { name: 'mesh-ca', kind: 'Issuer', group: 'cert-manager.io' },
    },
  };
  const httpRoute = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'web' },
    spec: {
      parentRefs: [{ name: 'gateway' }],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'web', port: 80 }] }],
    },
  };

  test('valid ServiceMonitor, PrometheusRule, Certificate and HTTPRoute pass', () => {
    expect(validateManifests([serviceMonitor, prometheusRule, certificate, httpRoute])).toEqual([]);
  });

  test('unknown field inside spec', () => {
    const sm = clone(serviceMonitor) as any;
    sm.spec.endpoints[0].scrapeInterval = '30s';
    expect(validateManifest(sm)).toEqual(['ServiceMonitor/web: spec.endpoints[0].scrapeInterval: unknown field']);
    const cert = clone(certificate) as any;
    cert.spec.privateKey.bits = 256;
    expect(validateManifest(cert)).toEqual(['Certificate/web-mtls: spec.privateKey.bits: unknown field']);
    const rule = clone(prometheusRule) as any;
    rule.spec.groups[0].rules[0].severity = 'page';
    expect(validateManifest(rule)).toEqual(['PrometheusRule/mesh-alerts: spec.groups[0].rules[0].severity: unknown field']);
  });

  test('wrong enum value', () => {
    const cert = clone(certificate) as any;
    cert.spec.privateKey.algorithm = 'FOO';
    expect(validateManifest(cert)).toEqual([
      'Certificate/web-mtls: spec.privateKey.algorithm: must be one of "RSA", "ECDSA", "Ed25519" (got "FOO")',
    ]);
  });

  test('required fields, types, patterns and RE2 inline flags', () => {
    const cert = clone(certificate) as any;
    delete cert.spec.issuerRef;
    cert.spec.privateKey.size = '256';
    expectErrors(validateManifest(cert),
      /spec\.issuerRef: required field missing/,
      /spec\.privateKey\.size: must be integer \(got "256"\)/);
    const rule = clone(prometheusRule) as any;
    rule.spec.groups[0].rules[0].for = '5 minutes';
    rule.spec.groups[0].partial_response_strategy = 'retry';
    expectErrors(validateManifest(rule),
      /spec\.groups\[0\]\.rules\[0\]\.for: must match pattern/,
      /spec\.groups\[0\]\.partial_response_strategy: must match pattern/);
  });

  test('x-kubernetes-int-or-string accepts integers and strings only', () => {
    const sm = clone(serviceMonitor) as any;
    sm.spec.endpoints[1].targetPort = 'metrics';
    expect(validateManifest(sm)).toEqual([]);
    sm.spec.endpoints[1].targetPort = true;
    expectErrors(validateManifest(sm), /spec\.endpoints\[1\]\.targetPort: must be integer or string \(got true\)/);
  });

  test('metadata is validated as ObjectMeta; apiVersion must be a served version', () => {
    const sm = clone(serviceMonitor) as any;
    sm.metadata.label = { app: 'web' };
    sm.metadata.name = 'Web';
    expectErrors(validateManifest(sm),
      /^ServiceMonitor\/Web: metadata\.label: unknown field$/,
      /metadata\.name: "Web" must be a lowercase RFC 1123 subdomain/);
    expect(validateManifest({ ...serviceMonitor, apiVersion: 'monitoring.coreos.com/v1alpha1' })).toEqual([
      'ServiceMonitor/web: no schema for apiVersion/kind monitoring.coreos.com/v1alpha1/ServiceMonitor',
    ]);
    // gateway-api serves HTTPRoute as v1 and v1beta1
    expect(validateManifest({ ...httpRoute, apiVersion: 'gateway.networking.k8s.io/v1beta1' })).toEqual([]);
  });

  test('x-kubernetes-list-type: map keys must be unique', () => {
    const rule = clone(prometheusRule) as any;
    rule.spec.groups.push({ name: 'mesh', rules: [] });
    expect(validateManifest(rule)).toEqual([
      'PrometheusRule/mesh-alerts: spec.groups: duplicate entries for list-map keys ["name"]',
    ]);
  });
});

describe('checkRestrictedPodSecurity', () => {
  const compliant = synthRestrictedDeployment();

  test('a compliant cdk8s-plus-27 Deployment passes schema and restricted PSS', () => {
    expect(validateAll([compliant])).toEqual([]);
  });

  test('cdk8s-plus-27 defaults are not restricted: no seccomp profile, capabilities not dropped', () => {
    const where = 'Deployment/test-web-c8ba1bf5 spec.template.spec';
    const plain = find(synthPlusApp(), 'Deployment');
    expect(plain.spec.template.spec.securityContext).toEqual({ fsGroupChangePolicy: 'Always', runAsNonRoot: true });
    expect(plain.spec.template.spec.containers[0].securityContext).toEqual({
      allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true,
    });
    expect(validateAll([plain]).sort()).toEqual([
      `${where}: seccompProfile: pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
      `${where}: unrestricted capabilities: container "app" must set securityContext.capabilities.drop=["ALL"]`,
    ]);
  });

  test('podSpecsOf finds pod specs in workloads', () => {
    const template = compliant.spec.template;
    const objects = [
      compliant,
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: template.spec },
      { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 's' }, spec: { template } },
      { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'd' }, spec: { template } },
      { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template } },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template } } } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } },
    ];
    expect(objects.flatMap(podSpecsOf).map(s => s.where)).toEqual([
      `Deployment/${compliant.metadata.name} spec.template.spec`,
      'Pod/p spec',
      'StatefulSet/s spec.template.spec',
      'DaemonSet/d spec.template.spec',
      'Job/j spec.template.spec',
      'CronJob/c spec.jobTemplate.spec.template.spec',
    ]);
    expect(objects.flatMap(podSpecsOf).every(s => s.spec === template.spec)).toBe(true);
  });

  /** Applies `mutate` to a copy of the compliant pod spec and returns the PSS errors. */
  function violations(mutate: (spec: any, container: any) => void): string[] {
    const spec = clone(compliant.spec.template.spec);
    mutate(spec, spec.containers[0]);
    return checkRestrictedPodSecurity(spec, 'pod');
  }

  const cases: Array<[string, (spec: any, c: any) => void, RegExp]> = [
    ['privileged', (_, c) => c.securityContext.privileged = true, /^pod: privileged: container "app" must not set securityContext\.privileged=true$/],
    ['hostNetwork', s => s.hostNetwork = true, /^pod: host namespaces: pod must not set hostNetwork=true$/],
    ['hostPID', s => s.hostPID = true, /^pod: host namespaces: pod must not set hostPID=true$/],
    ['missing runAsNonRoot', (s, c) => {
      delete s.securityContext.runAsNonRoot; delete c.securityContext.runAsNonRoot;
    }, /^pod: runAsNonRoot != true: pod or container "app" must set securityContext\.runAsNonRoot=true$/],
    ['runAsNonRoot false on a container', (_, c) => c.securityContext.runAsNonRoot = false,
      /^pod: runAsNonRoot != true: container "app" must not set securityContext\.runAsNonRoot=false$/],
    ['runAsUser 0', (_, c) => c.securityContext.runAsUser = 0, /^pod: runAsUser=0: container "app" must not set runAsUser=0$/],
    ['allowPrivilegeEscalation true', (_, c) => c.securityContext.allowPrivilegeEscalation = true,
      /^pod: allowPrivilegeEscalation != false: container "app" must set securityContext\.allowPrivilegeEscalation=false$/],
    ['allowPrivilegeEscalation missing', (_, c) => delete c.securityContext.allowPrivilegeEscalation,
      /^pod: allowPrivilegeEscalation != false: container "app"/],
    ['allowPrivilegeEscalation missing on an init container', s => {
      const init = clone(s.containers[0]);
      delete init.securityContext.allowPrivilegeEscalation;
      s.initContainers = [{ ...init, name: 'init' }];
    },
    /^pod: allowPrivilegeEscalation != false: initContainer "init"/],
    ['capabilities not dropping ALL', (_, c) => c.securityContext.capabilities.drop = ['NET_RAW'],
      /^pod: unrestricted capabilities: container "app" must set securityContext\.capabilities\.drop=\["ALL"\]$/],
    ['adding NET_ADMIN', (_, c) => c.securityContext.capabilities.add = ['NET_ADMIN'],
      /^pod: unrestricted capabilities: container "app" must not add NET_ADMIN \(only NET_BIND_SERVICE may be added\)$/],
    ['adding CAP_NET_BIND_SERVICE (cdk8s-plus-27 spelling)',
      (_, c) => c.securityContext.capabilities.add = [kplus.Capability.NET_BIND_SERVICE],
      /^pod: unrestricted capabilities: container "app" must not add CAP_NET_BIND_SERVICE/],
    ['adding CHOWN (baseline, not restricted)', (_, c) => c.securityContext.capabilities.add = ['CHOWN'],
      /^pod: unrestricted capabilities: container "app" must not add CHOWN \(only NET_BIND_SERVICE may be added\)$/],
    ['unsafe sysctl', s => s.securityContext.sysctls = [{ name: 'net.core.somaxconn', value: '1024' }],
      /^pod: forbidden sysctls: "net\.core\.somaxconn" is not in the safe set$/],
    ['hostPath volume', s => s.volumes = [{ name: 'host', hostPath: { path: '/var/run' } }],
      /^pod: hostPath volumes: volume "host" must not use hostPath$/],
    ['nfs volume', s => s.volumes = [{ name: 'share', nfs: { server: 'nfs', path: '/' } }],
      /^pod: restricted volume types: volume "share" uses nfs/],
    ['hostPort', (_, c) => c.ports[0].hostPort = 8080, /^pod: hostPort: container "app" must not set hostPort \(got 8080\)$/],
    ['seccomp Unconfined on a container', (_, c) => c.securityContext.seccompProfile = { type: 'Unconfined' },
      /^pod: seccompProfile: container "app" must not set securityContext\.seccompProfile\.type="Unconfined"$/],
    ['seccomp missing', s => delete s.securityContext.seccompProfile,
      /^pod: seccompProfile: pod or container "app" must set securityContext\.seccompProfile\.type/],
    ['SELinux custom type', s => s.securityContext.seLinuxOptions = { type: 'spc_t' },
      /^pod: seLinuxOptions: pod must not set seLinuxOptions\.type="spc_t"$/],
    ['procMount Unmasked', (_, c) => c.securityContext.procMount = 'Unmasked',
      /^pod: procMount: container "app" must not set securityContext\.procMount="Unmasked"$/],
    ['AppArmor Unconfined', (_, c) => c.securityContext.appArmorProfile = { type: 'Unconfined' },
      /^pod: appArmorProfile: container "app"/],
    ['hostProcess', s => s.securityContext.windowsOptions = { hostProcess: true }, /^pod: hostProcess: pod must not set/],
    ['probe host', (_, c) => c.startupProbe.tcpSocket.host = '10.0.0.1',
      /^pod: probe or lifecycle host: container "app" must not set host "10\.0\.0\.1"$/],
  ];

  test.each(cases)('%s fails', (_name, mutate, expected) => {
    const errors = violations(mutate);
    expect(errors).toEqual([expect.stringMatching(expected)]);
  });

  test('seccomp Unconfined on the pod fails, and leaves containers without a profile', () => {
    expect(violations(s => s.securityContext.seccompProfile.type = 'Unconfined')).toEqual([
      'pod: seccompProfile: pod must not set securityContext.seccompProfile.type="Unconfined"',
      'pod: seccompProfile: pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"',
    ]);
  });

  test('safe sysctls, NET_BIND_SERVICE, Localhost seccomp and container-level settings pass', () => {
    expect(violations((s, c) => {
      s.securityContext.sysctls = [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }];
      c.securityContext.capabilities.add = ['NET_BIND_SERVICE'];
      delete s.securityContext.seccompProfile;
      delete s.securityContext.runAsNonRoot;
      c.securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'profiles/envoy.json' };
    })).toEqual([]);
  });

  test('AppArmor annotations on the pod template are checked', () => {
    const spec = compliant.spec.template.spec;
    const metadata = { annotations: { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' } };
    expect(checkRestrictedPodSecurity(spec, 'pod', metadata)).toEqual([
      'pod: appArmorProfile: annotation container.apparmor.security.beta.kubernetes.io/app="unconfined" is not runtime/default or localhost/*',
    ]);
  });

  test('Windows pods are exempt from the Linux-only restricted checks', () => {
    expect(violations((s, c) => {
      s.os = { name: 'windows' };
      delete s.securityContext.seccompProfile;
      delete c.securityContext.allowPrivilegeEscalation;
      delete c.securityContext.capabilities;
    })).toEqual([]);
  });
});

describe('scope', () => {
  test('a cluster-scoped custom resource with a namespace is rejected', () => {
    const issuer = { apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'ca', namespace: 'shop' }, spec: { selfSigned: {} } };
    expect(validateManifest(issuer).join('\n')).toMatch(/a cluster-scoped object has no namespace/);
    const { namespace: _ns, ...metadata } = issuer.metadata;
    expect(validateManifest({ ...issuer, metadata })).toEqual([]);
  });
});
