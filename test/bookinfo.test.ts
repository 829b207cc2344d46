/**
 * Bookinfo (examples/bookinfo), written for the static Envoy sidecars, runs on
 * Istio with only its engine changed; reviews v1 does not call ratings, v2
 * and v3 do (`callTo(ratings, { fromVersions: ['v2', 'v3'] })`).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Duration, Testing } from 'cdk8s';
import { assembleSidecar, envoyConfigOf, newChart, objectNamed, objectsOf, outputProblems, podSpecOf, synth, synthError, TEST_MESH } from './helpers';
import { rbacEngine } from './security/rbac-engine';
import { BookinfoChart } from '../examples/bookinfo/bookinfo';
import { GatewayApiPolicies, Mesh, MeshEngine, MeshService } from '../src';
import { NOTE_METADATA } from '../src/synth/mesh-synthesis';

const ENGINES: Array<[string, () => MeshEngine | undefined]> = [['static Envoy', () => undefined], ['Istio', () => MeshEngine.istio()]];

function bookinfo(engine?: MeshEngine) {
  const chart = new BookinfoChart(Testing.app(), 'bookinfo', { engine });
  const notes: string[] = [];
  const manifests = synth(chart);
  for (const c of chart.node.findAll()) notes.push(...c.node.metadata.filter(m => m.type === NOTE_METADATA).map(m => `[${c.node.path}] ${m.data}`));
  return { chart, manifests, notes };
}

/** The application container of a Deployment's pods. */
function app(manifests: any[], deployment: string) {
  return podSpecOf(manifests, deployment).containers.find((c: any) => c.name !== 'envoy');
}
const env = (manifests: any[], deployment: string) => Object.fromEntries((app(manifests, deployment).env ?? []).map((e: any) => [e.name, e.value]));
const aliases = (manifests: any[], deployment: string) => (podSpecOf(manifests, deployment).hostAliases ?? []).flatMap((a: any) => a.hostnames);

/** Whether a NetworkPolicy ingress rule admits pods with `labels` (in namespace bookinfo) on `port`. */
function admitsPods(policy: any, labels: Record<string, string>, port: number): boolean {
  return policy.spec.ingress.some((rule: any) => (rule.ports ?? []).some((p: any) => p.port === port) && (rule.from ?? []).some((peer: any) =>
    peer.ipBlock === undefined
    && (!peer.namespaceSelector || peer.namespaceSelector.matchLabels['kubernetes.io/metadata.name'] === 'bookinfo')
    && Object.entries(peer.podSelector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v)));
}

describe('examples/bookinfo: one program, every engine', () => {
  test('the chart differs between engines by its engine only', () => {
    const source = fs.readFileSync(path.join(__dirname, '..', 'examples', 'bookinfo', 'bookinfo.ts'), 'utf8');
    // No branch on the engine: the only use of `props.engine` is handing it to the Mesh.
    expect(source.match(/props\.engine/g)).toEqual(['props.engine']);
    expect(source).toContain('engine: props.engine,');
  });

  test.each(ENGINES)('on %s it synthesizes, and every object passes the Kubernetes, CRD, Pod Security and Envoy checks', (_name, engine) => {
    const { manifests } = bookinfo(engine());
    expect(outputProblems(manifests)).toEqual([]);
    expect(objectsOf(manifests, 'Deployment').map(d => d.metadata.name).sort())
      .toEqual(['details-v1', 'productpage-v1', 'ratings-v1', 'reviews-v1', 'reviews-v2', 'reviews-v3']);
  });

  test('static Envoy needs localPort (every application listens on 9080) and notes nothing', () => {
    const { manifests, notes } = bookinfo();
    expect(notes).toEqual([]);
    expect(env(manifests, 'productpage-v1')).toMatchObject({ DETAILS_URL: 'http://details:19081', REVIEWS_URL: 'http://reviews:19082' });
    const listener = envoyConfigOf(manifests, 'productpage').static_resources.listeners.find((l: any) => l.name === 'outbound_details');
    expect(listener.address.socket_address.port_value).toBe(19081);
    // Without localPort the same program is refused on static sidecars.
    const chart = newChart('bookinfo');
    const mesh = new Mesh(chart, 'mesh', TEST_MESH);
    const details = new MeshService(chart, 'details', { mesh, image: 'example/details:1', port: 9080 });
    new MeshService(chart, 'productpage', { mesh, image: 'example/productpage:1', port: 9080 }).callTo(details);
    expect(synthError(chart)).toContain('the upstream\'s port 9080 is also the port this application listens on');
  });

  test('Istio ignores localPort and the self-signed mesh CA, with a note at synth for each, and its variables give the upstreams\' own port', () => {
    const { manifests, notes } = bookinfo(MeshEngine.istio());
    expect(notes).toEqual([
      expect.stringMatching(/^\[bookinfo\/mesh\] certificates \(a self-signed mesh CA\) ignored on Istio: Istio's own CA/),
      expect.stringMatching(/^\[bookinfo\/productpage\] callTo\(details\) with localPort 19081 ignored on Istio: .* own port 9080/),
      expect.stringMatching(/^\[bookinfo\/productpage\] callTo\(reviews\) with localPort 19082 ignored on Istio/),
      expect.stringMatching(/^\[bookinfo\/reviews\] callTo\(ratings\) with localPort 19083 ignored on Istio/),
    ]);
    expect(env(manifests, 'productpage-v1')).toEqual({ DETAILS_URL: 'http://details:9080', REVIEWS_URL: 'http://reviews:9080' });
    expect(objectsOf(manifests, 'Certificate')).toEqual([]);
    expect(objectsOf(manifests, 'ConfigMap')).toEqual([]);
  });

  test.each([['Istio', MeshEngine.istio()], ['Gateway API with Istio policies', MeshEngine.gatewayApi({ policies: GatewayApiPolicies.ISTIO })]])('%s ignores the settings of the mesh\'s own sidecars, with a note naming each one given', (_name, engine) => {
    const chart = newChart();
    const mesh = new Mesh(chart, 'mesh', { engine, envoyImage: 'envoyproxy/envoy:v1.39.3', drainDuration: Duration.seconds(20) });
    new MeshService(chart, 'web', { mesh, image: 'example/web:1', port: 8080 });
    synth(chart);
    const notes = chart.node.findAll().flatMap(c => c.node.metadata.filter(m => m.type === NOTE_METADATA).map(m => `[${c.node.path}] ${m.data}`));
    expect(notes).toEqual([
      expect.stringMatching(/^\[test\/mesh\] envoyImage ignored on .*: it shapes the mesh's own Envoy sidecars, and the engine's injector decides its proxy's image/),
      expect.stringMatching(/^\[test\/mesh\] drainDuration ignored on .*its proxy's drain time/),
    ]);
    expect(objectsOf(synth(chart), 'Deployment')[0].spec.template.spec.containers.map((c: any) => c.image)).toEqual(['example/web:1']);
  });

  test('a note is written to standard error, which cdk8s synth shows, once per synthesis', () => {
    const lines: string[] = [];
    const write = jest.spyOn(process.stderr, 'write').mockImplementation((line: any) => !!lines.push(String(line)));
    try {
      const chart = new BookinfoChart(Testing.app(), 'bookinfo', { engine: MeshEngine.istio() });
      synth(chart);
      synth(chart);
    } finally {
      write.mockRestore();
    }
    expect(lines.filter(l => l.startsWith('[cdk8s-mesh] info: '))).toHaveLength(4);
  });
});

describe('examples/bookinfo: per-version calls (reviews v1 does not call ratings)', () => {
  test.each(ENGINES)('on %s, only v2 and v3 pods have ratings\' names and variables', (_name, engine) => {
    const { manifests } = bookinfo(engine());
    const staticEnvoy = engine() === undefined;
    expect(aliases(manifests, 'reviews-v1')).toEqual([]);
    expect(Object.keys(env(manifests, 'reviews-v1')).filter(v => v.startsWith('RATINGS'))).toEqual([]);
    for (const version of ['v2', 'v3']) {
      expect(aliases(manifests, `reviews-${version}`)).toEqual(staticEnvoy ? ['ratings', 'ratings.bookinfo', 'ratings.bookinfo.svc', 'ratings.bookinfo.svc.cluster.local'] : []);
      expect(env(manifests, `reviews-${version}`)).toMatchObject({ RATINGS_URL: staticEnvoy ? 'http://ratings:19083' : 'http://ratings:9080' });
    }
  });

  test.each(ENGINES)('on %s, ratings\' NetworkPolicy admits the pods of reviews v2 and v3, not v1 nor productpage', (_name, engine) => {
    const { manifests } = bookinfo(engine());
    const policy = objectNamed(manifests, 'NetworkPolicy', 'ratings-mesh');
    const port = engine() === undefined ? 15006 : 9080;
    const labelsOf = (deployment: string) => objectNamed(manifests, 'Deployment', deployment).spec.template.metadata.labels;
    expect(admitsPods(policy, labelsOf('reviews-v1'), port)).toBe(false);
    expect(admitsPods(policy, labelsOf('reviews-v2'), port)).toBe(true);
    expect(admitsPods(policy, labelsOf('reviews-v3'), port)).toBe(true);
    expect(admitsPods(policy, labelsOf('productpage-v1'), port)).toBe(false);
    // reviews itself is called by productpage from every version of productpage.
    expect(admitsPods(objectNamed(manifests, 'NetworkPolicy', 'reviews-mesh'), labelsOf('productpage-v1'), port)).toBe(true);
  });

  test('identity is per ServiceAccount, shared by every version: ratings\' RBAC (gRPC\'s engine) admits reviews as a whole, and no other caller', () => {
    const { manifests } = bookinfo();
    const listeners = assembleSidecar(objectNamed(manifests, 'ConfigMap', 'ratings-envoy').data).static_resources.listeners;
    const inbound = listeners.find((l: any) => l.name === 'inbound');
    const rbac = inbound.filter_chains.flatMap((c: any) => c.filters)
      .flatMap((f: any) => f.typed_config.route_config ? f.typed_config.http_filters : []).find((f: any) => f.name === 'envoy.filters.http.rbac').typed_config;
    const allows = rbacEngine(rbac);
    const as = (account: string) => ({ principal: `spiffe://cluster.local/ns/bookinfo/sa/${account}`, path: '/ratings/0', method: 'GET' });
    // Every reviews pod, v1's included, presents the reviews identity: RBAC cannot tell versions apart.
    expect(podSpecOf(manifests, 'reviews-v1').serviceAccountName).toBe(podSpecOf(manifests, 'reviews-v2').serviceAccountName);
    expect(allows(as('reviews'))).toBe(true);
    expect(allows(as('productpage'))).toBe(false);
    expect(allows(as('details'))).toBe(false);
  });

  test('the reviews sidecar\'s configuration (one per service) holds the ratings listener for every version', () => {
    const { manifests } = bookinfo();
    const listeners = envoyConfigOf(manifests, 'reviews').static_resources.listeners.map((l: any) => l.name);
    expect(listeners).toContain('outbound_ratings');
    for (const version of ['v1', 'v2', 'v3']) {
      const volumes = podSpecOf(manifests, `reviews-${version}`).volumes.filter((v: any) => v.configMap).map((v: any) => v.configMap.name);
      expect(volumes).toContain('reviews-envoy');
    }
  });

  test('fromVersions must name versions of the caller, at least one', () => {
    const chart = newChart('bookinfo');
    const mesh = new Mesh(chart, 'mesh', TEST_MESH);
    const ratings = new MeshService(chart, 'ratings', { mesh, image: 'example/ratings:1', port: 9080 });
    const reviews = new MeshService(chart, 'reviews', { mesh, image: 'example/reviews:1', port: 8080 });
    const details = new MeshService(chart, 'details', { mesh, image: 'example/details:1', port: 9081 });
    reviews.addVersion('v2');
    reviews.callTo(ratings, { fromVersions: ['v2', 'v4'] });
    reviews.callTo(details, { fromVersions: [] });
    const error = synthError(chart);
    expect(error).toContain('[test/reviews] callTo(test/ratings): fromVersions names version \'v4\', which this service does not have: use one of \'v1\', \'v2\'');
    expect(error).toContain('[test/reviews] callTo(test/details): fromVersions is empty');
  });
});
