import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Duration, Testing } from 'cdk8s';
import { CanaryChart } from '../../examples/canary/canary';
import {
  AuthorizationPolicy, CertificateSource, FailoverPolicy, HttpMethod, Mesh, MeshEngine, MeshService, MonitoredWorkload, MtlsMode, PathMatch, Retry,
} from '../../src';
import { main } from '../../src/cli';
import { ENVOY_RELEASE_IMAGE } from '../../src/engines/envoy/image';
import { diffMeshes, MeshChange, snapshotOf, changesMarkdown } from '../../src/review/diff';
import { INTENT_ANNOTATION } from '../../src/review/intent';
import { envoyConfigOf, objectNamed, routesOf, listenerNamed } from '../helpers';

interface ShopOptions {
  readonly attempts?: number;
  readonly mtls?: MtlsMode;
  readonly image?: string;
  readonly billingCalls?: boolean;
  readonly adminPaths?: string[];
  readonly monitored?: boolean;
}

/** A shop with knobs for each kind of change a reviewer must see. */
function shop(options: ShopOptions = {}): Chart {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop', disableResourceNameHashes: true });
  const mesh = new Mesh(chart, 'mesh', {
    certificates: CertificateSource.selfSignedCa(), mtls: options.mtls ?? MtlsMode.STRICT, ...(options.image && { envoyImage: options.image }),
  });
  const orders = new MeshService(chart, 'order-service', { mesh, image: 'example/orders:1.0.0', port: 8080 });
  const users = new MeshService(chart, 'user-service', { mesh, image: 'example/users:1.0.0', port: 3000 });
  const billing = new MeshService(chart, 'billing', { mesh, image: 'example/billing:1.0.0', port: 9090 });
  users.callTo(orders);
  if (options.billingCalls) billing.callTo(orders);
  new FailoverPolicy(chart, 'orders-failover', {
    service: orders,
    retry: Retry.onGatewayErrors({ attempts: options.attempts ?? 2, perTryTimeout: Duration.millis(250) }),
    timeout: Duration.seconds(1),
  });
  if (options.mtls !== MtlsMode.PERMISSIVE) {
    new AuthorizationPolicy(chart, 'users-read', {
      service: orders, caller: users, paths: (options.adminPaths ?? ['/orders/']).map(p => PathMatch.prefix(p)), methods: [HttpMethod.GET],
    });
  }
  if (options.monitored) new MonitoredWorkload(chart, 'orders-monitoring', { service: orders });
  return chart;
}

const snapshot = (chart: Chart) => snapshotOf(Testing.synth(chart));
const texts = (changes: MeshChange[]) => changes.map(c => `${c.risky ? 'RISKY ' : ''}${c.service}: ${c.text}`);

describe('cdk8s-mesh diff, from the manifests alone', () => {
  test('a re-synth of the same program has no changes', () => {
    const changes = diffMeshes(snapshot(shop()), snapshot(shop()));
    expect(changes).toEqual([]);
    expect(changesMarkdown(changes)).toBe('No changes.\n');
  });

  test('a canary step shows the new weights, not risky', () => {
    const step = (canaryPercent: number) => snapshot(new CanaryChart(Testing.app(), 'canary', { canaryPercent }));
    expect(texts(diffMeshes(step(10), step(25)))).toEqual([
      'shop/user-service: order-service: x-canary=true: v2 100%; v1 90% / v2 10% → x-canary=true: v2 100%; v1 75% / v2 25% (from user-service)',
    ]);
  });

  test('an identity gaining access, or more paths, is risky; losing access is not', () => {
    expect(texts(diffMeshes(snapshot(shop()), snapshot(shop({ billingCalls: true })))))
      .toEqual(expect.arrayContaining(['RISKY shop/order-service: billing.shop may now call order-service (*)', 'RISKY shop/billing: billing now calls order-service',
        'RISKY shop/order-service: NetworkPolicy now admits port 15006 from service billing in shop',
        expect.stringMatching(/^RISKY shop\/billing: pods of deployment billing-v1 restart \(pod template: .*spec.hostAliases/)]));
    expect(texts(diffMeshes(snapshot(shop()), snapshot(shop({ adminPaths: ['/orders/', '/admin/'] })))))
      .toEqual(['RISKY shop/order-service: user-service.shop → order-service: may request GET /orders/*|/admin/* (was GET /orders/*)']);
    expect(texts(diffMeshes(snapshot(shop({ billingCalls: true })), snapshot(shop()))))
      .toContain('shop/order-service: billing.shop may no longer call order-service');
  });

  test('more retries are risky (they amplify load), with the timeouts that changed', () => {
    expect(texts(diffMeshes(snapshot(shop()), snapshot(shop({ attempts: 4 }))))).toEqual(['RISKY shop/user-service: user-service → order-service: retries 1 → 3']);
    expect(texts(diffMeshes(snapshot(shop({ attempts: 4 })), snapshot(shop())))).toEqual(['shop/user-service: user-service → order-service: retries 3 → 1']);
  });

  test('mTLS loosening is risky, tightening is not; a new sidecar image restarts every pod', () => {
    const changes = texts(diffMeshes(snapshot(shop({ mtls: MtlsMode.PERMISSIVE })), snapshot(shop())));
    expect(changes).toEqual(expect.arrayContaining(['shop/order-service: mTLS PERMISSIVE → STRICT']));
    expect(texts(diffMeshes(snapshot(shop()), snapshot(shop({ mtls: MtlsMode.PERMISSIVE })))))
      .toEqual(expect.arrayContaining(['RISKY shop/order-service: mTLS STRICT → PERMISSIVE']));
    expect(texts(diffMeshes(snapshot(shop()), snapshot(shop({ image: 'envoyproxy/envoy:v1.40.0' })))))
      .toContain(`RISKY shop/order-service: sidecar image ${ENVOY_RELEASE_IMAGE} → envoyproxy/envoy:v1.40.0: every pod restarts`);
  });

  test('new alerts are listed', () => {
    expect(texts(diffMeshes(snapshot(shop()), snapshot(shop({ monitored: true }))))).toContain('shop/shop-mesh-recording: new alert MeshHighErrorRatio');
  });
});

test("the intent summary agrees with the sidecar's Envoy configuration, and sits on the ConfigMap, not on a pod template", () => {
  const manifests = Testing.synth(new CanaryChart(Testing.app(), 'canary', { canaryPercent: 10 }));
  const intent = JSON.parse(objectNamed(manifests, 'ConfigMap', 'user-service-envoy').metadata.annotations[INTENT_ANNOTATION]);
  const routes = routesOf(listenerNamed(envoyConfigOf(manifests, 'user-service'), 'outbound_order-service'));
  expect(intent.calls['order-service'].routes.map((r: any) => r.weights)).toEqual(routes.map((r: any) => (r.route.weighted_clusters
    ? Object.fromEntries(r.route.weighted_clusters.clusters.map((c: any) => [c.name, c.weight])) : { [r.route.cluster]: 100 })));
  const ordersIntent = JSON.parse(objectNamed(manifests, 'ConfigMap', 'order-service-envoy').metadata.annotations[INTENT_ANNOTATION]);
  const rbac = listenerNamed(envoyConfigOf(manifests, 'order-service'), 'inbound').filter_chains[0].filters[0].typed_config.http_filters
    .find((f: any) => f.name === 'envoy.filters.http.rbac').typed_config.rules.policies;
  expect(Object.keys(ordersIntent.callers).sort()).toEqual(Object.keys(rbac).filter(k => !k.includes('health')).map(k => k.split(/[/:]/).pop()).sort());
  for (const deployment of manifests.filter(m => m.kind === 'Deployment')) {
    expect(JSON.stringify(deployment.spec.template)).not.toContain(INTENT_ANNOTATION);
  }
});

describe('the cdk8s-mesh bin', () => {
  const dirs: string[] = [];
  const synthTo = (chart: (app: App) => Chart) => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-mesh-diff-'));
    dirs.push(outdir);
    const app = new App({ outdir });
    chart(app);
    app.synth();
    return outdir;
  };
  afterAll(() => dirs.forEach(dir => fs.rmSync(dir, { recursive: true, force: true })));
  const run = (args: string[]) => {
    let output = '';
    const code = main(args, text => { output += text; }, () => undefined);
    return { code, output };
  };

  test('prints Markdown, exits 1 on risky changes with --fail-on risky, and prints JSON with --json', () => {
    const before = synthTo(app => new CanaryChart(app, 'canary', { canaryPercent: 10 }));
    const after = synthTo(app => new CanaryChart(app, 'canary', { canaryPercent: 25 }));
    const markdown = run(['diff', before, after, '--fail-on', 'risky']);
    expect(markdown.code).toBe(0);
    expect(markdown.output).toContain('## Mesh changes (1)');
    expect(JSON.parse(run(['diff', before, after, '--json']).output)).toHaveLength(1);
    expect(run(['diff', before, before]).output).toBe('No changes.\n');
    expect(run(['diff', before])).toMatchObject({ code: 2 });
  });

  test('reads a mesh on Istio from its own resources: a re-synth has no changes', () => {
    const istio = synthTo(app => new CanaryChart(app, 'canary', { engine: MeshEngine.istio() }));
    expect(run(['diff', istio, istio, '--fail-on', 'risky'])).toEqual({ code: 0, output: 'No changes.\n' });
  });
});
