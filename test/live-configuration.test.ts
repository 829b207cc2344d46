import { Duration } from 'cdk8s';
import {
  AuthorizationPolicy, FailoverPolicy, HttpMethod, Mesh, MeshService, OutlierDetection, PathMatch, RateLimit, Retry, RouteTarget, WeightedRoute,
} from '../src';
import { assembleSidecar, newChart, objectsOf, outputProblems, synth, TEST_MESH } from './helpers';
import { validateEnvoyMessage } from './validate/envoy';

/** The shop with a canary of orders at `canary` percent, and knobs for the other changes a user makes in code. */
function shop(options: { canary?: number; attempts?: number; authorizedPaths?: string[]; upstreams?: number; rateLimit?: number } = {}) {
  const chart = newChart();
  const mesh = new Mesh(chart, 'mesh', TEST_MESH);
  const orders = new MeshService(chart, 'orders', { mesh, image: 'example/orders:1.0.0', port: 8080 });
  orders.addVersion('v2', { image: 'example/orders:2.0.0' });
  const users = new MeshService(chart, 'users', { mesh, image: 'example/users:1.0.0', port: 3000 });
  users.callTo(orders);
  if ((options.upstreams ?? 1) > 1) users.callTo(new MeshService(chart, 'stock', { mesh, image: 'example/stock:1.0.0', port: 8081 }));
  const canary = options.canary ?? 10;
  new WeightedRoute(chart, 'canary', { service: orders, targets: [RouteTarget.version('v1', 100 - canary), RouteTarget.version('v2', canary)] });
  new FailoverPolicy(chart, 'failover', {
    service: orders,
    retry: Retry.onGatewayErrors({ attempts: options.attempts ?? 2 }),
    timeout: Duration.seconds(2),
    outlierDetection: OutlierDetection.consecutiveGatewayErrors(5),
  });
  new AuthorizationPolicy(chart, 'users-read', {
    service: orders, caller: users, paths: (options.authorizedPaths ?? ['/orders/']).map(p => PathMatch.prefix(p)), methods: [HttpMethod.GET],
  });
  new RateLimit(chart, 'orders-limit', { service: orders, requests: options.rateLimit ?? 100 });
  const manifests = synth(chart);
  expect(outputProblems(manifests)).toEqual([]);
  return manifests;
}

const podTemplates = (manifests: any[]) => objectsOf(manifests, 'Deployment').map(d => JSON.stringify(d.spec.template));
const configMaps = (manifests: any[]) => objectsOf(manifests, 'ConfigMap').map(c => JSON.stringify(c));

describe('live configuration: what user code changes reaches sidecars without a restart', () => {
  const before = shop();

  test.each([
    ['a canary step (route weights)', { canary: 20 }],
    ['a retry policy', { attempts: 3 }],
    ['an authorization rule', { authorizedPaths: ['/orders/', '/carts/'] }],
    ['a rate limit', { rateLimit: 200 }],
  ])('%s changes sidecar ConfigMaps and no pod template', (_change, options) => {
    const after = shop(options);
    expect(podTemplates(after)).toEqual(podTemplates(before));
    expect(configMaps(after)).not.toEqual(configMaps(before));
  });

  test('a new upstream changes the callers\' pod templates (their host aliases), so they restart', () => {
    const after = shop({ upstreams: 2 });
    const users = (m: any[]) => objectsOf(m, 'Deployment').find(d => d.metadata.name === 'users-v1').spec.template;
    expect(users(after).spec.hostAliases.length).toBe(users(before).spec.hostAliases.length + 1);
  });

  test('the bootstrap names the files Envoy reloads, from the mounted ConfigMap\'s directory', () => {
    const data = objectsOf(before, 'ConfigMap').find(c => c.metadata.name === 'users-envoy').data;
    expect(Object.keys(data).sort()).toEqual([
      'cds.json', 'ecds.strip-control-headers.json', 'envoy.json', 'lds.json', 'rds.outbound_orders.json', 'sds-ca.json', 'sds-cert.json',
    ]);
    const bootstrap = JSON.parse(data['envoy.json']);
    for (const [source, file] of [[bootstrap.dynamic_resources.lds_config, 'lds.json'], [bootstrap.dynamic_resources.cds_config, 'cds.json']]) {
      expect(source).toEqual({ path_config_source: { path: `/etc/mesh/envoy/${file}`, watched_directory: { path: '/etc/mesh/envoy' } }, resource_api_version: 'V3' });
    }
  });
});

/**
 * Envoy reads the LDS, CDS and each RDS file as separate subscriptions, in no
 * order, so for a while a sidecar may hold any mix of the files before and
 * after a change. What decides whether a mix works, in Envoy's terms:
 * - a listener whose inline `route_config` names an unknown cluster is rejected
 *   (`validate_clusters` defaults to true for inline routes), so the mesh puts
 *   every route to an upstream in RDS, where it defaults to false;
 * - a route naming a cluster the sidecar does not hold answers 503 until CDS catches up;
 * - a listener naming an RDS file that does not exist waits (warms) forever.
 */
describe('any mix of old and new files loads, and routes only to clusters the sidecar holds', () => {
  const files = (manifests: any[]) => objectsOf(manifests, 'ConfigMap').find(c => c.metadata.name === 'users-envoy').data as Record<string, string>;
  const changes: Array<[string, Parameters<typeof shop>[0]]> = [['a canary step', { canary: 20 }], ['a retry change', { attempts: 3 }]];

  test.each(changes)('%s', (_change, options) => {
    const [old, next] = [files(shop()), files(shop(options))];
    const kinds = (key: string) => (key.startsWith('rds.') ? 'rds' : key);
    for (const lds of [old, next]) {
      for (const cds of [old, next]) {
        for (const rds of [old, next]) {
          const mix: Record<string, string> = { ...next };
          for (const key of Object.keys(mix)) mix[key] = ({ 'lds.json': lds, 'cds.json': cds, 'rds': rds } as any)[kinds(key)]?.[key] ?? mix[key];
          const sidecar = assembleSidecar(mix); // throws when a listener names an RDS file the ConfigMap does not hold
          const clusters = new Set(sidecar.static_resources.clusters.map((c: any) => c.name));
          for (const listener of JSON.parse(mix['lds.json']).resources) {
            for (const filter of listener.filter_chains.flatMap((chain: any) => chain.filters)) {
              const hcm = filter.typed_config;
              if (hcm.route_config) expect(routedClusters(hcm.route_config).every(c => clusters.has(c))).toBe(true); // inline: only static clusters
              if (hcm.cluster) expect(clusters.has(hcm.cluster)).toBe(true);
            }
          }
          for (const listener of sidecar.static_resources.listeners) {
            for (const filter of listener.filter_chains.flatMap((chain: any) => chain.filters)) {
              const routes = filter.typed_config.route_config;
              const missing = routes ? routedClusters(routes).filter(c => !clusters.has(c)) : [];
              expect({ listener: listener.name, missing }).toEqual({ listener: listener.name, missing: [] });
            }
          }
        }
      }
    }
    // The listeners did not change: only RDS and CDS files differ, so no listener is drained and replaced (Envoy skips
    // a listener equal to the one it runs: `addOrUpdateListener` returns false, LdsApiImpl::onConfigUpdate in
    // source/common/listener_manager/lds_api.cc). Only the file's version_info differs, as every file's does.
    const parsed = (data: Record<string, string>, key: string) => JSON.parse(data[key]);
    expect(parsed(next, 'lds.json').resources).toEqual(parsed(old, 'lds.json').resources);
    expect(parsed(next, 'lds.json').version_info).not.toEqual(parsed(old, 'lds.json').version_info);
  });
});

function routedClusters(routeConfig: any): string[] {
  return routeConfig.virtual_hosts.flatMap((vh: any) => vh.routes.flatMap((r: any) => [
    ...(r.route.cluster ? [r.route.cluster] : []),
    ...(r.route.weighted_clusters?.clusters ?? []).map((c: any) => c.name),
    ...(r.route.request_mirror_policies ?? []).map((m: any) => m.cluster),
  ]));
}

describe('every file a sidecar reloads names the configuration version', () => {
  const dataOf = (manifests: any[], service: string) => objectsOf(manifests, 'ConfigMap').find(c => c.metadata.name === `${service}-envoy`).data;
  // The SDS files watch the certificates' directory, not the ConfigMap's: they are reloaded with a rotation instead.
  const versions = (data: Record<string, string>) => Object.fromEntries(Object.entries(data)
    .filter(([key]) => key !== 'envoy.json' && !key.startsWith('sds-')).map(([key, text]) => [key, JSON.parse(text).version_info]));

  test('one version per ConfigMap, in each discovery file; a change moves it only where files change', () => {
    const [before, after, again] = [shop(), shop({ canary: 20 }), shop()];
    const users = versions(dataOf(before, 'users'));
    expect(Object.keys(users).sort()).toEqual(['cds.json', 'ecds.strip-control-headers.json', 'lds.json', 'rds.outbound_orders.json']);
    expect(new Set(Object.values(users)).size).toBe(1);
    expect(Object.values(users)[0]).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.parse(dataOf(before, 'users')['envoy.json']).version_info).toBeUndefined();
    expect(versions(dataOf(again, 'users'))).toEqual(users); // deterministic
    // The canary is applied by the caller's sidecar: its files all move to a new version; the routed service's do not.
    const moved = versions(dataOf(after, 'users'));
    expect(Object.values(moved).every(v => v === moved['lds.json'] && v !== users['lds.json'])).toBe(true);
    expect(versions(dataOf(after, 'orders'))).toEqual(versions(dataOf(before, 'orders')));
  });

  test("the files are checked as Envoy's DiscoveryResponse, resources included", () => {
    const lds = JSON.parse(dataOf(shop(), 'users')['lds.json']);
    const type = 'envoy.service.discovery.v3.DiscoveryResponse';
    expect(validateEnvoyMessage(type, lds)).toEqual([]);
    const [first, ...rest] = lds.resources;
    expect(validateEnvoyMessage(type, { ...lds, resources: [{ ...first, no_such_field: 1 }, ...rest] }).join('\n')).toMatch(/no_such_field/);
    expect(validateEnvoyMessage(type, { ...lds, version_info: 7 }).join('\n')).toMatch(/version_info/);
  });
});
