/**
 * The routing we emit, run by a client nobody here wrote: gRPC's own xDS
 * client (`@grpc/grpc-js-xds` 1.14.1).
 *
 * There is no Envoy binary in this repository's tests. gRPC's xDS client is an
 * independent implementation of the same xDS route semantics Envoy applies to
 * our files — `weighted_clusters`, header matchers, `hash_policy` with a
 * `RING_HASH` cluster, EDS priorities — so serving it the route configurations
 * a sidecar's ConfigMap holds, UNCHANGED, and counting where real requests
 * land checks what those files mean, not only their shape:
 *
 * 1. canary (examples/canary) at 10%: ~1000 requests split ~90/10 between the
 *    v1 and v2 backends, every `x-canary: true` request reaches v2;
 * 2. the 50% step pushed as a live RDS update on the same ADS stream (the way a
 *    sidecar reloads its rds file): the split moves to ~50/50;
 * 3. ring hash on a header: one key always reaches one backend, different keys
 *    spread, and a later retry change in RDS keeps every key where it was;
 * 4. failover (examples/failover): traffic stays on priority 0 while it is up,
 *    moves to priority 1 when priority 0 is unhealthy (EDS) or down (its
 *    servers stopped), comes back, and reaches priority 2 only when 1 is down.
 *
 * Split tolerances: each request picks v2 independently with the configured
 * probability p (gRPC's WeightedClusterRouteAction draws Math.random per
 * call), so the v2 count is Binomial(n, p); a count within 5 standard
 * deviations of n·p passes (a false alarm about once in 1.7 million runs),
 * and 10% vs 20% or vs 50% is still 10 and 42 deviations away.
 *
 * What gRPC is served, and why (grpc-js-xds build/src files):
 * - Each route configuration of `rds.<name>.json`, unchanged, over RDS by its
 *   emitted name (xds-resource-type/route-config-resource-type.js validates
 *   it; resolver-xds.js turns it into the config selector; route.js matches).
 * - The emitted outbound Listener becomes an `api_listener` wrapping its own
 *   HttpConnectionManager, with `rds.config_source` switched from the file to
 *   `ads` (listener-resource-type.js accepts only `ads` or `self`). Its
 *   `header_mutation` filter (which strips x-envoy-* headers, shared by the
 *   sidecar's outbound listeners through its ECDS file, which gRPC does not
 *   read, so the test inlines it as Envoy does) is marked
 *   `is_optional`: gRPC's filter registry (http-filter.js) knows only the
 *   router, fault and RBAC filters and refuses any other non-optional one.
 * - Each cluster the route names is the emitted cluster (lb_policy,
 *   ring_hash_lb_config, outlier_detection, circuit_breakers kept) turned into
 *   an EDS cluster: cluster-resource-type.js refuses `STRICT_DNS` ("Unsupported
 *   type"), and refuses our mTLS transport socket (tls_params, SDS secret
 *   configs) since gRPC only takes certificate-provider instances; so `type`,
 *   `load_assignment`, `dns_lookup_family`, `transport_socket(_matches)` are
 *   replaced by `type: EDS, eds_cluster_config: {eds_config: {ads: {}}}`.
 * - Each emitted priority group of `load_assignment.endpoints` becomes one EDS
 *   locality with the same priority, whose endpoints are the local backends
 *   standing in for that group's DNS name. A locality and a weight are added:
 *   endpoint-resource-type.js refuses a group without a locality and
 *   xds-dependency-manager.js (getEdsResource) skips one without
 *   load_balancing_weight; EDS endpoints must be IP addresses. The cluster's
 *   active HTTP health check is stood in for by EDS `health_status`: gRPC
 *   keeps only HEALTHY/UNKNOWN endpoints and drops a locality left empty, so
 *   the next declared priority takes over (as Envoy sends everything to
 *   priority 1 when no priority-0 host is healthy).
 * - gRPC does not implement Envoy's `retry_on: gateway-error` (resolver-xds.js
 *   maps only gRPC status names such as `unavailable`), per-try timeouts,
 *   retry host predicates, route `timeout` (it reads max_stream_duration) nor
 *   consecutive-error outlier detection: those parts are accepted and ignored,
 *   which the failover assertions do not rely on.
 * - gRPC's priority policy leaves a 15-minute timer behind a closed channel
 *   (load-balancer-priority.js); see clearLongTimersLater in ./xds-server.
 */
import { Testing } from 'cdk8s';
import { CanaryChart } from '../../examples/canary/canary';
import { FailoverChart } from '../../examples/failover/failover';
import { FailoverPolicy, HashKey, LoadBalancer, Mesh, MeshService, Retry, RetryCondition } from '../../src';
import { newChart, objectNamed, synth, TEST_MESH } from '../helpers';
import {
  AdsServer, Backend, clearLongTimersLater, CLUSTER, CLUSTER_LOAD_ASSIGNMENT, JsonResource, LISTENER, ROUTE_CONFIGURATION, startBackends, XdsClient,
} from './xds-server';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const grpcXds = require('@grpc/grpc-js-xds');

jest.setTimeout(20_000);

// ---------------------------------------------------------------------------
// The emitted files as gRPC's xDS client takes them
// ---------------------------------------------------------------------------

type SidecarFiles = Record<string, string>;
type Health = 'HEALTHY' | 'UNHEALTHY';

/** HTTP filters gRPC implements (http-filter.js registry); others are served as is_optional. */
const GRPC_HTTP_FILTERS = new Set([
  'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router',
  'type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault',
]);

/** The resources of one discovery file of a sidecar's ConfigMap, `@type` included. */
function discoveryFile(files: SidecarFiles, file: string): any[] {
  if (files[file] === undefined) throw new Error(`the sidecar's ConfigMap holds no ${file}`);
  return JSON.parse(files[file]).resources;
}

/** A filter as Envoy runs it: inline, or the one resource of its ECDS file. */
function sharedFilter(files: SidecarFiles, filter: any): any {
  if (!filter.config_discovery) return filter;
  const [config] = discoveryFile(files, filter.config_discovery.config_source.path_config_source.path.split('/').pop());
  return { name: filter.name, typed_config: config.typed_config };
}

/** The files of `<service>-envoy`. */
function sidecarFiles(manifests: any[], service: string): SidecarFiles {
  return objectNamed(manifests, 'ConfigMap', `${service}-envoy`).data;
}

/** The emitted outbound listener's HTTP connection manager and its route configuration, as the files hold them. */
function outbound(files: SidecarFiles, upstream: string): { listener: any; hcm: any; route: JsonResource } {
  const listener = discoveryFile(files, 'lds.json').find(l => l.name === `outbound_${upstream}`);
  if (!listener) throw new Error(`no outbound listener for ${upstream} in lds.json`);
  const hcm = listener.filter_chains[0].filters[0].typed_config;
  const routeFile = hcm.rds.config_source.path_config_source.path.split('/').pop();
  const route = discoveryFile(files, routeFile).find(r => r.name === hcm.rds.route_config_name);
  if (!route) throw new Error(`${routeFile} holds no route configuration ${hcm.rds.route_config_name}`);
  return { listener, hcm, route };
}

/** The emitted route configuration for `upstream`, unchanged. */
function emittedRoute(files: SidecarFiles, upstream: string): JsonResource {
  return outbound(files, upstream).route;
}

/** The cluster names a route configuration sends to. */
function clustersOf(route: any): string[] {
  const routes = route.virtual_hosts.flatMap((vh: any) => vh.routes);
  return [...new Set<string>(routes.flatMap((r: any) => r.route.weighted_clusters?.clusters.map((c: any) => c.name) ?? [r.route.cluster]))];
}

/** The emitted cluster `name` of cds.json. */
function emittedCluster(files: SidecarFiles, name: string): any {
  const cluster = discoveryFile(files, 'cds.json').find(c => c.name === name);
  if (!cluster) throw new Error(`no cluster ${name} in cds.json`);
  return cluster;
}

/** The emitted priority groups of a cluster: `[priority, DNS names]`. */
function priorityGroups(cluster: any): Array<[number, string[]]> {
  return cluster.load_assignment.endpoints.map((group: any) =>
    [group.priority ?? 0, group.lb_endpoints.map((e: any) => e.endpoint.address.socket_address.address)]);
}

/**
 * Every resource gRPC needs to call `upstream` as the sidecar would: the
 * listener (api_listener), the emitted route configuration unchanged, and an
 * EDS stand-in (cluster + load assignment) for each cluster it names, whose
 * priority groups are served by `backends[<emitted DNS name>]`.
 */
function grpcResources(
  files: SidecarFiles, upstream: string, backends: Record<string, readonly Backend[]>, health: (host: string) => Health = () => 'HEALTHY',
): { listenerName: string; route: JsonResource; all: JsonResource[] } {
  const { listener, hcm, route } = outbound(files, upstream);
  const apiListener: JsonResource = {
    '@type': LISTENER,
    'name': listener.name,
    'api_listener': {
      api_listener: {
        ...hcm,
        rds: { route_config_name: hcm.rds.route_config_name, config_source: { ads: {} } },
        http_filters: hcm.http_filters.map((f: any) => sharedFilter(files, f))
          .map((f: any) => (GRPC_HTTP_FILTERS.has(f.typed_config['@type']) ? f : { ...f, is_optional: true })),
      },
    },
  };
  const clusters = clustersOf(route).flatMap(name => edsStandIn(emittedCluster(files, name), backends, health));
  return { listenerName: listener.name, route, all: [apiListener, route, ...clusters] };
}

const REPLACED_CLUSTER_FIELDS = new Set(['type', 'load_assignment', 'dns_lookup_family', 'transport_socket', 'transport_socket_matches']);

function edsStandIn(cluster: any, backends: Record<string, readonly Backend[]>, health: (host: string) => Health): JsonResource[] {
  const kept = Object.fromEntries(Object.entries(cluster).filter(([field]) => !REPLACED_CLUSTER_FIELDS.has(field)));
  const endpoints = priorityGroups(cluster).map(([priority, hosts], i) => ({
    locality: { sub_zone: hosts.join(',') },
    priority,
    load_balancing_weight: cluster.load_assignment.endpoints[i].load_balancing_weight ?? 1,
    lb_endpoints: hosts.flatMap(host => {
      if (!backends[host]) throw new Error(`no local backends stand in for ${host} (cluster ${cluster.name})`);
      return backends[host].map(b => ({
        endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: b.port } } },
        health_status: health(host),
      }));
    }),
  }));
  return [
    { ...kept, '@type': CLUSTER, 'type': 'EDS', 'eds_cluster_config': { eds_config: { ads: {} } } },
    { '@type': CLUSTER_LOAD_ASSIGNMENT, 'cluster_name': cluster.name, endpoints },
  ];
}

// ---------------------------------------------------------------------------
// Counting
// ---------------------------------------------------------------------------

/** Answers per backend, summed per group (the part of a backend's name before `#`). */
function byGroup(counts: Map<string, number>): Record<string, number> {
  const groups: Record<string, number> = {};
  for (const [name, count] of counts) groups[name.split('#')[0]] = (groups[name.split('#')[0]] ?? 0) + count;
  return groups;
}

/** `count` of `n` Bernoulli(p) trials lies within 5 standard deviations of n·p. */
function expectBinomial(count: number, n: number, p: number): void {
  const mean = n * p;
  const tolerance = 5 * Math.sqrt(n * p * (1 - p));
  expect(count).toBeGreaterThanOrEqual(Math.floor(mean - tolerance));
  expect(count).toBeLessThanOrEqual(Math.ceil(mean + tolerance));
}

/** Polls `check` (each call sends requests; a failed request counts as not yet) until it holds or `ms` pass. */
async function eventually(check: () => Promise<boolean>, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > until) throw new Error(`not reached within ${ms}ms`);
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

/** The ACK is sent right after gRPC's watchers are queued (xds-client.js); let the new config selector take over. */
async function settled(): Promise<void> {
  await new Promise(resolve => setTimeout(resolve, 100));
}

// ---------------------------------------------------------------------------
// Setup: one ADS server for the file (gRPC reads its bootstrap once per process)
// ---------------------------------------------------------------------------

const ads = new AdsServer();
const backends: Backend[] = [];
const clients: XdsClient[] = [];
let clearGrpcRetentionTimers: () => void;

async function backendsFor(prefix: string, count: number): Promise<Backend[]> {
  const started = await startBackends(prefix, count);
  backends.push(...started);
  return started;
}

function clientOf(listener: string): XdsClient {
  const client = new XdsClient(listener);
  clients.push(client);
  return client;
}

beforeAll(async () => {
  clearGrpcRetentionTimers = clearLongTimersLater(60_000);
  await ads.start();
  process.env.GRPC_XDS_BOOTSTRAP_CONFIG = ads.bootstrap();
  grpcXds.register();
});

afterAll(() => {
  for (const client of clients) client.close();
  for (const backend of backends) backend.stop();
  ads.stop();
  clearGrpcRetentionTimers();
  delete process.env.GRPC_XDS_BOOTSTRAP_CONFIG;
});

afterEach(() => {
  // gRPC accepted every resource it was served during the test.
  expect(ads.takeNacks()).toEqual([]);
});

// ---------------------------------------------------------------------------
// 1 and 2: canary
// ---------------------------------------------------------------------------

function canaryFiles(canaryPercent: number): SidecarFiles {
  return sidecarFiles(Testing.synth(new CanaryChart(Testing.app(), 'canary', { canaryPercent })), 'user-service');
}

describe('canary (examples/canary) through gRPC xDS', () => {
  const N = 1000;
  let client: XdsClient;
  let canaryBackends: Record<string, Backend[]>;
  let firstStream: number;

  beforeAll(async () => {
    canaryBackends = {
      'order-service-v1.shop.svc.cluster.local': await backendsFor('order-service_v1', 2),
      'order-service-v2.shop.svc.cluster.local': await backendsFor('order-service_v2', 2),
    };
    const { listenerName, all } = grpcResources(canaryFiles(10), 'order-service', canaryBackends);
    ads.serve(all);
    client = clientOf(listenerName);
    await client.call({}, { waitForReady: true });
    firstStream = await ads.acked(ROUTE_CONFIGURATION);
  });

  test('at 10%: ~90/10 between v1 and v2 without the header; every x-canary: true request on v2', async () => {
    const route: any = emittedRoute(canaryFiles(10), 'order-service');
    expect(route.virtual_hosts[0].routes[1].route.weighted_clusters.clusters).toEqual([
      { name: 'order-service_v1', weight: 90 }, { name: 'order-service_v2', weight: 10 },
    ]);

    const split = byGroup(await client.tally(N));
    expect((split['order-service_v1'] ?? 0) + (split['order-service_v2'] ?? 0)).toBe(N);
    expectBinomial(split['order-service_v2'] ?? 0, N, 0.10);

    expect(byGroup(await client.tally(200, { 'x-canary': 'true' }))).toEqual({ 'order-service_v2': 200 });
    // Another value is no match: those requests take the weighted split, so v1 gets some.
    expect(byGroup(await client.tally(100, { 'x-canary': 'false' }))['order-service_v1']).toBeGreaterThan(0);
  });

  test('the 50% step, pushed as a live RDS update on the same ADS stream: ~50/50', async () => {
    const next = grpcResources(canaryFiles(50), 'order-service', canaryBackends);
    expect((next.route as any).virtual_hosts[0].routes[1].route.weighted_clusters.clusters).toEqual([
      { name: 'order-service_v1', weight: 50 }, { name: 'order-service_v2', weight: 50 },
    ]);
    const streams = ads.streamsOpened;

    const [ackedOn] = await ads.update([next.route]);
    await settled();
    expect(ackedOn).toBe(firstStream);
    expect(ads.streamsOpened).toBe(streams);

    const split = byGroup(await client.tally(N));
    expect((split['order-service_v1'] ?? 0) + (split['order-service_v2'] ?? 0)).toBe(N);
    expectBinomial(split['order-service_v2'] ?? 0, N, 0.50);
    expect(byGroup(await client.tally(200, { 'x-canary': 'true' }))).toEqual({ 'order-service_v2': 200 });
  });
});

// ---------------------------------------------------------------------------
// 3: ring hash on a header
// ---------------------------------------------------------------------------

/** `web` calls `carts`, which hashes `x-user-id` on a ring; `retry` is the edge's retry policy. */
function ringHashFiles(retry: Retry): SidecarFiles {
  const chart = newChart();
  const mesh = new Mesh(chart, 'mesh', TEST_MESH);
  const carts = new MeshService(chart, 'carts', {
    mesh, image: 'example/carts:1.0.0', port: 8080, replicas: 4, loadBalancer: LoadBalancer.ringHash({ key: HashKey.header('x-user-id') }),
  });
  new MeshService(chart, 'web', { mesh, image: 'example/web:1.0.0', port: 3000 }).callTo(carts);
  new FailoverPolicy(chart, 'carts-failover', { service: carts, retry });
  return sidecarFiles(synth(chart), 'web');
}

describe('consistent hashing on a header through gRPC xDS', () => {
  const USERS = Array.from({ length: 24 }, (_, i) => `user-${i}`);
  const PER_USER = 8;
  let client: XdsClient;
  let cartsBackends: Record<string, Backend[]>;

  /** The one backend each user's requests reached; fails if a user's requests reached two. */
  async function backendPerUser(): Promise<Record<string, string>> {
    const placement: Record<string, string> = {};
    await Promise.all(USERS.map(async user => {
      const reached = await client.tally(PER_USER, { 'x-user-id': user });
      expect({ user, backends: [...reached.keys()] }).toEqual({ user, backends: [expect.any(String)] });
      placement[user] = [...reached.keys()][0];
    }));
    return placement;
  }

  beforeAll(async () => {
    cartsBackends = { 'carts-v1.shop.svc.cluster.local': await backendsFor('carts_v1', 4) };
    const { listenerName, all } = grpcResources(ringHashFiles(Retry.onGatewayErrors()), 'carts', cartsBackends);
    ads.serve(all);
    client = clientOf(listenerName);
    await client.call({}, { waitForReady: true });
    await ads.acked(ROUTE_CONFIGURATION);
  });

  test('the same x-user-id always reaches one backend; different ones spread; a retry change in RDS keeps every user in place', async () => {
    const files = ringHashFiles(Retry.onGatewayErrors());
    const route: any = emittedRoute(files, 'carts');
    expect(route.virtual_hosts[0].routes[0].route.hash_policy).toEqual([{ header: { header_name: 'x-user-id' } }]);
    expect(emittedCluster(files, 'carts_v1')).toMatchObject({ lb_policy: 'RING_HASH', ring_hash_lb_config: { minimum_ring_size: 1024 } });

    const placement = await backendPerUser();
    expect(new Set(Object.values(placement)).size).toBeGreaterThan(1);
    // Without the header gRPC hashes a random number (route-action.js), so requests spread.
    expect((await client.tally(100)).size).toBeGreaterThan(1);

    // Next release: retry on gRPC UNAVAILABLE, 4 tries. Only the route changes; the ring does not.
    const next = grpcResources(ringHashFiles(Retry.on({ conditions: [RetryCondition.GRPC_UNAVAILABLE], attempts: 4 })), 'carts', cartsBackends);
    expect((next.route as any).virtual_hosts[0].routes[0].route).toMatchObject({
      hash_policy: [{ header: { header_name: 'x-user-id' } }], retry_policy: { retry_on: 'unavailable', num_retries: 3 },
    });
    await ads.update([next.route]);
    await settled();
    expect(await backendPerUser()).toEqual(placement);
  });
});

// ---------------------------------------------------------------------------
// 4: failover priorities
// ---------------------------------------------------------------------------

describe('failover (examples/failover) through gRPC xDS', () => {
  const LOCAL = 'order-service-v1.shop.svc.cluster.local';
  const STANDBY = 'order-service-v1.shop-standby.svc.cluster.local';
  const REMOTE = 'order-service.eu-west.example.com';
  const files = sidecarFiles(Testing.synth(new FailoverChart(Testing.app(), 'failover')), 'user-service');
  let client: XdsClient;
  let failoverBackends: Record<string, Backend[]>;

  /** Where 100 requests land, per priority group. */
  async function landing(): Promise<Record<string, number>> {
    return byGroup(await client.tally(100));
  }

  /** Serves the load assignments with the given health, waiting for gRPC to ACK. */
  async function health(of: (host: string) => Health): Promise<void> {
    const { all } = grpcResources(files, 'order-service', failoverBackends, of);
    await ads.update(all.filter(r => r['@type'] === CLUSTER_LOAD_ASSIGNMENT));
    await settled();
  }

  beforeAll(async () => {
    failoverBackends = {
      [LOCAL]: await backendsFor('p0-local', 2),
      [STANDBY]: await backendsFor('p1-standby', 2),
      [REMOTE]: await backendsFor('p2-remote', 1),
    };
    const { listenerName, all } = grpcResources(files, 'order-service', failoverBackends);
    ads.serve(all);
    client = clientOf(listenerName);
    await client.call({}, { waitForReady: true });
    await ads.acked(CLUSTER_LOAD_ASSIGNMENT);
  });

  test('the emitted cluster declares local pods, then the standby namespace, then the remote host', () => {
    expect(priorityGroups(emittedCluster(files, 'order-service_v1'))).toEqual([[0, [LOCAL]], [1, [STANDBY]], [2, [REMOTE]]]);
    expect(clustersOf(emittedRoute(files, 'order-service'))).toEqual(['order-service_v1']);
  });

  test('priority 0 while healthy; priority 1 while priority 0 is unhealthy in EDS; back to 0 when it recovers', async () => {
    expect(await landing()).toEqual({ 'p0-local': 100 });

    await health(host => (host === LOCAL ? 'UNHEALTHY' : 'HEALTHY'));
    expect(await landing()).toEqual({ 'p1-standby': 100 });

    await health(() => 'HEALTHY');
    expect(await landing()).toEqual({ 'p0-local': 100 });
  });

  test('priority 1 once the priority-0 servers are down, priority 2 only once priority 1 is down too', async () => {
    for (const backend of failoverBackends[LOCAL]) backend.stop();
    await eventually(async () => (await client.call({}, { waitForReady: true })).startsWith('p1-standby'));
    expect(await landing()).toEqual({ 'p1-standby': 100 });
    // Counted by the server, probes included: nothing reached priority 2 while priority 1 was up.
    expect(failoverBackends[REMOTE][0].requests).toBe(0);

    for (const backend of failoverBackends[STANDBY]) backend.stop();
    await eventually(async () => (await client.call({}, { waitForReady: true })).startsWith('p2-remote'));
    expect(await landing()).toEqual({ 'p2-remote': 100 });
  });
});
