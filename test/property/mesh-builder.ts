/**
 * Turns a `MeshDescription` into constructs, recording every API call as a
 * line of TypeScript: the recorded program is a ready-made reproduction when
 * a property fails.
 *
 * Building has two phases. `resolvePlan` turns the description's small-number
 * references into concrete ones and applies the rules a clean mesh follows
 * (no self calls, callers that really call, HTTP-only settings only on HTTP
 * services, ...) unless an element's `fault` asks to break one. The plan does
 * not depend on declaration order. `buildMesh` then declares the plan's
 * services and calls in a given order.
 */
import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  AuthorizationPolicy, Backup, CertificateSource, EdgePeer, FailoverPolicy, HashKey, HeaderMatch, HealthCheck, JwksSource,
  JwtAuthentication, LoadBalancer, Mesh, MeshProps, MeshService, MtlsMode, OutlierDetection, PathMatch, Protocol,
  QueryParameterMatch, Retry, RetryCondition, RouteTarget, WeightedRoute,
} from '../../src';
import { newChart, TEST_MESH } from '../helpers';
import {
  BackupDesc, CertificatesDesc, DurationDesc, EdgeDesc, FailoverDesc, HashKeyDesc, LoadBalancerDesc, MatchDesc, MeshDescription,
  PathDesc, PeerDesc, RouteDesc, ServiceDesc,
} from './mesh-arbitraries';

// ---------------------------------------------------------------------------
// Values with their source code
// ---------------------------------------------------------------------------

/** A value and the TypeScript expression that produces it. */
interface Built<T = any> { readonly v: T; readonly c: string }

/** A TypeScript literal for plain data. */
export function lit(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'Number.NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Number.POSITIVE_INFINITY' : 'Number.NEGATIVE_INFINITY';
    return String(value);
  }
  if (typeof value === 'string') return `'${JSON.stringify(value).slice(1, -1).replace(/'/g, "\\'").replace(/\\"/g, '"')}'`;
  if (Array.isArray(value)) return `[${value.map(lit).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${key(k)}: ${lit(v)}`).join(', ')} }`;
  }
  return String(value);
}

const key = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : lit(k));
const raw = <T>(v: T): Built<T> => ({ v, c: lit(v) });

/** An object literal from built entries; undefined entries are left out. */
function obj(entries: Record<string, Built | undefined>): Built<Record<string, any>> {
  const present = Object.entries(entries).filter((e): e is [string, Built] => e[1] !== undefined && e[1].v !== undefined);
  return {
    v: Object.fromEntries(present.map(([k, b]) => [k, b.v])),
    c: present.length === 0 ? '{}' : `{ ${present.map(([k, b]) => (b.c === k ? k : `${key(k)}: ${b.c}`)).join(', ')} }`,
  };
}

function arr<T>(items: Array<Built<T>>): Built<T[]> {
  return { v: items.map(i => i.v), c: `[${items.map(i => i.c).join(', ')}]` };
}

const opt = <T, U>(value: T | undefined, f: (t: T) => Built<U>): Built<U> | undefined => (value === undefined ? undefined : f(value));
const optRaw = <T>(value: T | undefined): Built<T> | undefined => (value === undefined ? undefined : raw(value));

function duration(d: DurationDesc): Built<Duration> {
  return { v: Duration[d.unit](d.amount), c: `Duration.${d.unit}(${lit(d.amount)})` };
}

function hashKey(d: HashKeyDesc): Built<HashKey> {
  switch (d.kind) {
    case 'header': return { v: HashKey.header(d.name), c: `HashKey.header(${lit(d.name)})` };
    case 'sourceIp': return { v: HashKey.sourceIp(), c: 'HashKey.sourceIp()' };
    case 'cookie': {
      const options = obj({ ttl: opt(d.ttl, duration), path: optRaw(d.path) });
      return { v: HashKey.cookie(d.name, options.v), c: `HashKey.cookie(${lit(d.name)}, ${options.c})` };
    }
  }
}

function loadBalancer(d: LoadBalancerDesc): Built<LoadBalancer> {
  switch (d.kind) {
    case 'roundRobin': return { v: LoadBalancer.roundRobin(), c: 'LoadBalancer.roundRobin()' };
    case 'random': return { v: LoadBalancer.random(), c: 'LoadBalancer.random()' };
    case 'leastRequest': {
      const options = obj({ choiceCount: optRaw(d.choiceCount) });
      return { v: LoadBalancer.leastRequest(options.v), c: `LoadBalancer.leastRequest(${options.c})` };
    }
    case 'ringHash': {
      const options = obj({ key: opt(d.key, hashKey), minimumRingSize: optRaw(d.minimumRingSize), maximumRingSize: optRaw(d.maximumRingSize) });
      return { v: LoadBalancer.ringHash(options.v as any), c: `LoadBalancer.ringHash(${options.c}${d.key ? '' : ' as RingHashOptions'})` };
    }
    case 'maglev': {
      const options = obj({ key: opt(d.key, hashKey), tableSize: optRaw(d.tableSize) });
      return { v: LoadBalancer.maglev(options.v as any), c: `LoadBalancer.maglev(${options.c}${d.key ? '' : ' as MaglevOptions'})` };
    }
  }
}

function pathMatch(d: PathDesc): Built<PathMatch> {
  return { v: PathMatch[d.kind](d.value), c: `PathMatch.${d.kind}(${lit(d.value)})` };
}

function routeMatch(d: MatchDesc): Built {
  return obj({
    path: opt(d.path, pathMatch),
    headers: opt(d.headers, hs => arr(hs.map(h => h.kind === 'present'
      ? { v: HeaderMatch.present(h.name), c: `HeaderMatch.present(${lit(h.name)})` }
      : { v: HeaderMatch[h.kind](h.name, h.value), c: `HeaderMatch.${h.kind}(${lit(h.name)}, ${lit(h.value)})` }))),
    queryParameters: opt(d.queryParameters, qs => arr(qs.map(q =>
      ({ v: QueryParameterMatch.exact(q.name, q.value), c: `QueryParameterMatch.exact(${lit(q.name)}, ${lit(q.value)})` })))),
    methods: opt(d.methods, ms => arr(ms.map(m => ({ v: m, c: `HttpMethod.${m}` })))),
  });
}

function peer(d: PeerDesc): Built<EdgePeer> {
  switch (d.kind) {
    case 'anywhere': return { v: EdgePeer.anywhere(), c: 'EdgePeer.anywhere()' };
    case 'ipBlock': return { v: EdgePeer.ipBlock(d.cidr), c: `EdgePeer.ipBlock(${lit(d.cidr)})` };
    case 'namespace': return d.podLabels
      ? { v: EdgePeer.namespace(d.name, d.podLabels), c: `EdgePeer.namespace(${lit(d.name)}, ${lit(d.podLabels)})` }
      : { v: EdgePeer.namespace(d.name), c: `EdgePeer.namespace(${lit(d.name)})` };
  }
}

function certificates(d: CertificatesDesc): Built<CertificateSource> | undefined {
  switch (d.kind) {
    case 'none': return undefined;
    case 'existingSecrets': return { v: CertificateSource.existingSecrets(), c: 'CertificateSource.existingSecrets()' };
    case 'issuer':
    case 'clusterIssuer': return { v: CertificateSource[d.kind](d.name), c: `CertificateSource.${d.kind}(${lit(d.name)})` };
    case 'selfSignedCa': {
      const options = obj({ namespace: optRaw(d.namespace), duration: opt(d.duration, duration) });
      return { v: CertificateSource.selfSignedCa(options.v), c: `CertificateSource.selfSignedCa(${options.c === '{}' ? '' : options.c})` };
    }
  }
}

// ---------------------------------------------------------------------------
// Plan: resolved references, independent of declaration order
// ---------------------------------------------------------------------------

type TargetPlan = { kind: 'version'; version: string } | { kind: 'service'; service: number };

interface ServicePlan {
  readonly index: number;
  readonly desc: ServiceDesc;
  readonly id: string;
  /** Passed as props.name (otherwise the construct id is the name). */
  readonly explicitName?: string;
  readonly name: string;
  readonly namespace?: string;
  readonly chart: 0 | 1;
  readonly mainVersion: string;
  readonly versions: Array<{ name: string; image?: string; replicas?: number }>;
  readonly pools: Array<{ name: string; weight: number; replicas?: number }>;
  readonly exposures: Array<{ peer: PeerDesc; port: number; tls: boolean }>;
}

interface EdgePlan {
  readonly index: number;
  readonly from: number;
  /** A service index, or the second mesh's service. */
  readonly to: number | 'other';
  readonly desc: EdgeDesc;
  readonly localPort?: number;
  readonly twice: boolean;
}

interface RoutePlan {
  readonly index: number;
  readonly service: number;
  readonly caller?: number;
  readonly desc: RouteDesc;
  readonly targets: Array<{ target: TargetPlan; weight: number }>;
  readonly mirror?: TargetPlan;
  readonly http: boolean;
}

interface FailoverPlan {
  readonly index: number;
  readonly service: number;
  readonly caller?: number;
  readonly desc: FailoverDesc;
  readonly http: boolean;
  readonly backup?: { kind: 'service'; service: number } | Extract<BackupDesc, { kind: 'host' }>;
}

export interface MeshPlan {
  readonly desc: MeshDescription;
  readonly services: ServicePlan[];
  readonly edges: EdgePlan[];
  readonly routes: RoutePlan[];
  readonly failovers: FailoverPlan[];
  readonly authorizations: Array<{ index: number; service: number; caller: number; paths?: PathDesc[]; methods?: string[] }>;
  readonly jwts: Array<{ index: number; id: string; service: number; desc: MeshDescription['jwts'][number] }>;
  readonly secondMesh?: { id: string; ownChart: boolean; serviceName: string };
}

const isPortNumber = (p: number) => Number.isInteger(p) && p >= 1 && p <= 65535;

/** Whether a route match takes every request (as the library decides it). */
function isCatchAll(match: MatchDesc | undefined): boolean {
  return !match || ((!match.path || (match.path.kind === 'prefix' && match.path.value === '/'))
    && !match.headers?.length && !match.queryParameters?.length && !match.methods?.length);
}

export function resolvePlan(desc: MeshDescription): MeshPlan {
  const n = desc.services.length;
  const meshPorts = { admin: 15000, inbound: 15006, stats: 15090, ...desc.mesh.ports };

  // --- services
  const idsTaken = [new Set<string>(), new Set<string>()];
  const meshNamespace = desc.mesh.namespace ?? desc.mesh.chartNamespace;
  const qualifiedNames = new Set<string>();
  const services: ServicePlan[] = [];
  desc.services.forEach((s, index) => {
    const previous = services[index - 1];
    const same = s.fault === 'sameNameAsPrevious' && previous;
    const namespace = same ? previous.namespace : s.namespace;
    // Generated names are unique per namespace as written, not as the mesh resolves them (no namespace = the mesh's).
    let name = same ? previous.name : s.name;
    if (!same && qualifiedNames.has(`${namespace ?? meshNamespace}/${name}`)) name = `${name}-${index}`;
    qualifiedNames.add(`${namespace ?? meshNamespace}/${name}`);
    const chart: 0 | 1 = s.secondChart && desc.secondChart ? 1 : 0;
    const implicit = !s.explicitName && !idsTaken[chart].has(name);
    const id = implicit ? name : `svc-${index}`;
    idsTaken[chart].add(id);
    const mainVersion = s.version ?? 'v1';
    // An adopted Deployment has no image for more workloads: they come only with the fault that asks for them.
    const noWorkloads = s.adopted && s.fault !== 'adoptedWithWorkloads';
    const versions = noWorkloads ? [] : s.versions
      .map(v => ({ ...v, name: v.fault === 'sameAsMain' ? mainVersion : v.name }))
      .filter(v => v.name !== mainVersion || v.fault === 'sameAsMain');
    const pools = noWorkloads ? [] : s.pools.map(p => ({ ...p, name: p.fault === 'main' ? 'main' : p.name }));
    const exposures = s.exposures.map(e => ({
      peer: e.peer,
      tls: e.tls,
      port: e.fault === 'appPort' ? s.port : e.fault ? meshPorts[e.fault] : e.port,
    }));
    services.push({
      index,
      desc: s,
      id,
      name,
      namespace,
      chart,
      mainVersion,
      versions,
      pools,
      exposures,
      ...(!implicit && { explicitName: name }),
    });
  });
  const protocolOf = (i: number) => desc.services[i].protocol;
  const versionsOf = (i: number) => [services[i].mainVersion, ...services[i].versions.map(v => v.name)];

  // --- second mesh
  const secondMesh = desc.secondMesh && {
    ...desc.secondMesh,
    id: !desc.secondMesh.ownChart && desc.secondMesh.id === desc.mesh.id ? 'other-mesh' : desc.secondMesh.id,
  };

  // --- edges
  const edges: EdgePlan[] = [];
  const edgeKeys = new Set<string>();
  desc.edges.forEach((e, index) => {
    const from = e.from % n;
    let to: number | 'other';
    if (e.fault === 'otherMesh' && secondMesh) to = 'other';
    else if (e.fault === 'self') to = from;
    else if (n === 1) return;
    else to = (from + 1 + (e.to % (n - 1))) % n;
    const edgeKey = `${from}->${to}`;
    const twice = e.fault === 'duplicate';
    if (edgeKeys.has(edgeKey) && !twice) return;
    edgeKeys.add(edgeKey);
    let localPort = e.localPort;
    if (to !== 'other' && localPort === undefined && e.fault !== 'portClash' && desc.services[to].port === desc.services[from].port) {
      const port = desc.services[to].port;
      localPort = port + 10000 <= 65535 ? port + 10000 : port - 1; // what the library's error message suggests
    }
    edges.push({ index, from, to, desc: e, localPort, twice });
  });
  const meshEdges = edges.filter((e): e is EdgePlan & { to: number } => e.to !== 'other' && e.to !== e.from);
  const callersOf = (s: number) => [...new Set(meshEdges.filter(e => e.to === s).map(e => e.from))].sort((a, b) => a - b);
  const nonCallersOf = (s: number) => services.map(x => x.index).filter(i => !callersOf(s).includes(i));
  const pickCaller = (s: number, k: number | undefined, notCaller: boolean) => {
    if (notCaller) {
      const others = nonCallersOf(s);
      return others.length > 0 ? others[(k ?? 0) % others.length] : undefined;
    }
    const callers = callersOf(s);
    return k === undefined || callers.length === 0 ? undefined : callers[k % callers.length];
  };
  const othersThan = (s: number) => services.map(x => x.index).filter(i => i !== s);

  // --- routes
  const routes: RoutePlan[] = [];
  const catchAllScopes = new Set<number>();
  desc.routes.forEach((r, index) => {
    const service = r.service % n;
    const http = protocolOf(service) !== Protocol.TCP;
    const caller = pickCaller(service, r.caller, r.fault === 'notCaller');
    const resolve = (t: { kind: string; index: number }): TargetPlan => {
      const others = othersThan(service);
      if (t.kind === 'service' && others.length > 0) return { kind: 'service', service: others[t.index % others.length] };
      const versions = versionsOf(service);
      return { kind: 'version', version: versions[t.index % versions.length] };
    };
    let targets = r.targets.map(resolve);
    if (r.fault === 'missingVersion') targets[0] = { kind: 'version', version: 'v9' };
    if (r.fault === 'selfService') targets[0] = { kind: 'service', service };
    const targetKey = (t: TargetPlan) => (t.kind === 'version' ? `v/${t.version}` : `s/${t.service}`);
    targets = targets.filter((t, i) => targets.findIndex(u => targetKey(u) === targetKey(t)) === i);
    if (r.fault === 'duplicateTarget') targets.push(targets[0]);
    const cuts = [...r.cuts.slice(0, targets.length - 1)].sort((a, b) => a - b);
    const bounds = [0, ...cuts, 100];
    const weights = r.rawWeights
      ? targets.map((_, i) => r.rawWeights![i] ?? 0)
      : targets.map((_, i) => bounds[i + 1] - bounds[i]);
    const keepHttp = http || r.fault === 'httpOnTcp';
    // One route that takes every request per service: a second one would be unreachable for some caller.
    const catchAll = isCatchAll(keepHttp ? r.match : undefined);
    if (catchAll && catchAllScopes.has(service) && r.fault !== 'shadowed') return;
    if (catchAll) catchAllScopes.add(service);
    routes.push({
      index,
      service,
      caller,
      http,
      desc: keepHttp ? r : { ...r, match: undefined, mirror: undefined, mirrorPercent: undefined, timeout: undefined, requestHeaders: undefined },
      targets: targets.map((target, i) => ({ target, weight: weights[i] })),
      mirror: keepHttp && r.mirror ? resolve(r.mirror) : undefined,
    });
  });

  // --- failover policies
  const failovers: FailoverPlan[] = [];
  const policyScopes = new Set<string>();
  const backupEdges = new Map<number, Set<number>>();
  const reaches = (from: number, to: number): boolean => {
    const seen = new Set<number>();
    const stack = [from];
    while (stack.length > 0) {
      const s = stack.pop()!;
      if (s === to) return true;
      if (seen.has(s)) continue;
      seen.add(s);
      stack.push(...(backupEdges.get(s) ?? []));
    }
    return false;
  };
  desc.failovers.forEach((f, index) => {
    const service = f.service % n;
    const caller = pickCaller(service, f.caller, f.fault === 'notCaller');
    const scope = `${service}/${caller ?? '*'}`;
    if (policyScopes.has(scope) && f.fault !== 'duplicate') return;
    policyScopes.add(scope);
    const http = protocolOf(service) !== Protocol.TCP;
    let d: FailoverDesc = f;
    if (!http && f.fault !== 'httpOnTcp') {
      d = {
        ...f,
        retry: undefined,
        timeout: undefined,
        idleTimeout: undefined,
        faultInjection: undefined,
        healthCheck: f.healthCheck && { ...f.healthCheck, kind: 'tcp' },
      };
    }
    let backup: FailoverPlan['backup'];
    if (f.backup?.kind === 'host') {
      backup = f.backup;
    } else if (f.backup?.kind === 'service') {
      const others = othersThan(service);
      const target = f.fault === 'selfBackup' ? service : others.length > 0 ? others[f.backup.index % others.length] : undefined;
      if (target !== undefined && (f.fault === 'loop' || f.fault === 'selfBackup' || !reaches(target, service))) {
        backup = { kind: 'service', service: target };
        backupEdges.set(service, (backupEdges.get(service) ?? new Set()).add(target));
      }
    }
    if (backup && !d.outlierDetection && !d.healthCheck && f.fault !== 'noDetection') backup = undefined;
    failovers.push({ index, service, caller, desc: d, http, backup });
  });

  // --- authorization policies
  const authorizations: MeshPlan['authorizations'] = [];
  desc.authorizations.forEach((a, index) => {
    let service: number;
    let caller: number | undefined;
    if (a.fault === 'notCaller') {
      service = a.edge % n;
      caller = pickCaller(service, a.edge, true);
    } else if (meshEdges.length > 0) {
      const edge = meshEdges[a.edge % meshEdges.length];
      service = edge.to;
      caller = edge.from;
    } else {
      return;
    }
    if (caller === undefined) return;
    if (desc.mesh.mtls === MtlsMode.DISABLED && a.fault !== 'mtlsDisabled') return;
    const http = protocolOf(service) !== Protocol.TCP || a.fault === 'httpOnTcp';
    authorizations.push({ index, service, caller, paths: http ? a.paths : undefined, methods: http ? a.methods : undefined });
  });

  // --- JWT authentication
  const jwts: MeshPlan['jwts'] = [];
  const jwtIds = new Set<string>([...idsTaken[0]]);
  desc.jwts.forEach((j, index) => {
    const candidates = services.map(s => s.index).filter(i => (protocolOf(i) === Protocol.TCP) === (j.fault === 'tcp'));
    if (candidates.length === 0) return;
    const id = jwtIds.has(j.id) ? `${j.id}-${index}` : j.id;
    jwtIds.add(id);
    jwts.push({ index, id, service: candidates[j.service % candidates.length], desc: j });
  });

  return { desc, services, edges, routes, failovers, authorizations, jwts, secondMesh };
}

// ---------------------------------------------------------------------------
// Building
// ---------------------------------------------------------------------------

export interface BuiltMesh {
  readonly app: App;
  readonly chart: Chart;
  /** The API calls made, as TypeScript. */
  readonly program: string[];
}

/** Declaration order of services and calls: permutations of their plan indices. */
export interface DeclarationOrder {
  readonly services: number[];
  readonly edges: number[];
}

/**
 * Declares the plan's constructs. The program is recorded as the calls are
 * made, so when one of them throws, the program ends with the failing call.
 */
export function buildMesh(plan: MeshPlan, order?: DeclarationOrder, program: string[] = []): BuiltMesh {
  const { desc } = plan;
  const line = (text: string) => program.push(text);
  const v = (i: number) => `s${i}`;

  line(`const chart = newChart(${lit(desc.mesh.chartNamespace)});`);
  const chart = newChart(desc.mesh.chartNamespace);
  const app = App.of(chart);
  const charts: Chart[] = [chart];
  const chartVars = ['chart'];
  if (desc.secondChart) {
    line(`const chart2 = new Chart(App.of(chart), 'second', { namespace: ${lit(desc.secondChart)}, disableResourceNameHashes: true });`);
    charts.push(new Chart(app, 'second', { namespace: desc.secondChart, disableResourceNameHashes: true }));
    chartVars.push('chart2');
  }

  // --- the mesh
  const m = desc.mesh;
  const meshProps = obj({
    namespace: optRaw(m.namespace),
    mtls: m.mtls === MtlsMode.STRICT ? undefined : { v: m.mtls, c: `MtlsMode.${m.mtls}` },
    certificates: certificates(m.certificates),
    authorization: opt(m.authorization, a => ({ v: a, c: `AuthorizationMode.${a}` })),
    networkPolicies: optRaw(m.networkPolicies),
    tlsMinimumVersion: opt(m.tlsMinimumVersion, t => ({ v: t, c: `TlsVersion.${t === 'TLSv1_2' ? 'TLS_1_2' : 'TLS_1_3'}` })),
    trustDomain: optRaw(m.trustDomain),
    clusterDomain: optRaw(m.clusterDomain),
    envoyImage: optRaw(m.envoyImage),
    ports: optRaw(m.ports),
    drainDuration: opt(m.drainDuration, duration),
    maxRetryAmplification: optRaw(m.maxRetryAmplification),
    certificateDuration: opt(m.certificateDuration, duration),
    certificateRenewBefore: opt(m.certificateRenewBefore, duration),
    monitoringNamespace: optRaw(m.monitoringNamespace),
  });
  line(`const mesh = new Mesh(chart, ${lit(m.id)}, ${meshProps.c});`);
  const mesh = new Mesh(chart, m.id, meshProps.v as MeshProps);

  let partner: MeshService | undefined;
  if (plan.secondMesh) {
    const { id, ownChart, serviceName } = plan.secondMesh;
    let scope = chart;
    let scopeVar = 'chart';
    if (ownChart) {
      line("const partnerChart = new Chart(App.of(chart), 'partner', { namespace: 'partner', disableResourceNameHashes: true });");
      scope = new Chart(app, 'partner', { namespace: 'partner', disableResourceNameHashes: true });
      scopeVar = 'partnerChart';
    }
    line(`const otherMesh = new Mesh(${scopeVar}, ${lit(id)}, TEST_MESH);`);
    const otherMesh = new Mesh(scope, id, TEST_MESH);
    line(`const partner = new MeshService(${scopeVar}, ${lit(serviceName)}, { mesh: otherMesh, image: 'example/partner:1.0.0', port: 7000 });`);
    partner = new MeshService(scope, serviceName, { mesh: otherMesh, image: 'example/partner:1.0.0', port: 7000 });
  }

  // --- services
  const services: MeshService[] = [];
  const serviceOrder = order?.services ?? plan.services.map(s => s.index);
  for (const i of serviceOrder) {
    const s = plan.services[i];
    const d = s.desc;
    const scope = charts[s.chart];
    const scopeVar = chartVars[s.chart];
    let source: Record<string, Built | undefined>;
    if (d.adopted) {
      const namespace = s.namespace ?? m.namespace ?? desc.mesh.chartNamespace;
      const adoptedName = `${s.name}-legacy`;
      let sa: Built<kplus.ServiceAccount> | undefined;
      if (d.adopted.serviceAccount) {
        line(`const sa${i} = new kplus.ServiceAccount(${scopeVar}, 'adopted-sa-${i}', { metadata: { name: ${lit(adoptedName)}, namespace: ${lit(namespace)} } });`);
        sa = { v: new kplus.ServiceAccount(scope, `adopted-sa-${i}`, { metadata: { name: adoptedName, namespace } }), c: `sa${i}` };
      }
      const container = obj({
        name: raw('main'),
        image: raw(d.image),
        portNumber: isPortNumber(d.port) ? raw(d.port) : undefined,
        securityContext: { v: { capabilities: { drop: ['ALL' as kplus.Capability] } }, c: "{ capabilities: { drop: ['ALL' as kplus.Capability] } }" },
      });
      const deploymentProps = obj({
        metadata: raw({ name: adoptedName, namespace }),
        serviceAccount: sa,
        containers: arr([container]),
      });
      line(`const deployment${i} = new kplus.Deployment(${scopeVar}, 'adopted-${i}', ${deploymentProps.c});`);
      source = { deployment: { v: new kplus.Deployment(scope, `adopted-${i}`, deploymentProps.v as kplus.DeploymentProps), c: `deployment${i}` } };
    } else {
      source = { image: raw(d.image), envVariables: envOf(d, i, scope, scopeVar, line) };
    }
    const props = obj({
      mesh: { v: mesh, c: 'mesh' },
      name: optRaw(s.explicitName),
      namespace: optRaw(s.namespace),
      ...source,
      port: raw(d.port),
      protocol: d.protocol === Protocol.HTTP ? undefined : { v: d.protocol, c: `Protocol.${d.protocol}` },
      version: optRaw(d.version),
      weight: optRaw(d.weight),
      replicas: optRaw(d.replicas),
      loadBalancer: opt(d.loadBalancer, loadBalancer),
    });
    line(`const ${v(i)} = new MeshService(${scopeVar}, ${lit(s.id)}, ${props.c});`);
    services[i] = new MeshService(scope, s.id, props.v as any);
    s.exposures.forEach((e, k) => {
      let tlsSecret: Built | undefined;
      if (e.tls) {
        const secretId = `edge-tls-${i}-${k}`;
        line(`const tls${i}_${k} = kplus.Secret.fromSecretName(${scopeVar}, '${secretId}', ${lit(`${s.name}-edge-tls`)});`);
        tlsSecret = { v: kplus.Secret.fromSecretName(scope, secretId, `${s.name}-edge-tls`), c: `tls${i}_${k}` };
      }
      const p = peer(e.peer);
      const options = obj({ port: raw(e.port), tlsSecret });
      line(`${v(i)}.exposeTo(${p.c}, ${options.c});`);
      services[i].exposeTo(p.v, options.v as any);
    });
  }

  const addVersionsAndPools = () => {
    for (const i of serviceOrder) {
      for (const version of plan.services[i].versions) {
        const options = obj({ image: optRaw(version.image), replicas: optRaw(version.replicas) });
        line(`${v(i)}.addVersion(${lit(version.name)}${options.c === '{}' ? '' : `, ${options.c}`});`);
        services[i].addVersion(version.name, options.v);
      }
      for (const pool of plan.services[i].pools) {
        const options = obj({ weight: raw(pool.weight), replicas: optRaw(pool.replicas) });
        line(`${v(i)}.addInstancePool(${lit(pool.name)}, ${options.c});`);
        services[i].addInstancePool(pool.name, options.v as any);
      }
    }
  };

  // --- calls
  if (!desc.poolsAfterEdges) addVersionsAndPools();
  const edgeOrder = order?.edges ?? plan.edges.map((_, k) => k);
  for (const k of edgeOrder) {
    const e = plan.edges[k];
    const options = obj({
      loadBalancer: opt(e.desc.loadBalancer, loadBalancer),
      localPort: optRaw(e.localPort),
      addressVariable: optRaw(e.desc.addressVariable),
      addressFormat: opt(e.desc.addressFormat, f => ({ v: f, c: `AddressFormat.${f}` })),
    });
    const upstream = e.to === 'other' ? { v: partner!, c: 'partner' } : { v: services[e.to], c: v(e.to) };
    for (let times = e.twice ? 2 : 1; times > 0; times--) {
      line(`${v(e.from)}.callTo(${upstream.c}${options.c === '{}' ? '' : `, ${options.c}`});`);
      services[e.from].callTo(upstream.v, options.v);
    }
  }
  if (desc.poolsAfterEdges) addVersionsAndPools();

  // --- routes
  const target = (t: TargetPlan, weight?: number): Built<RouteTarget> => {
    const w = weight === undefined ? '' : `, ${lit(weight)}`;
    return t.kind === 'version'
      ? { v: RouteTarget.version(t.version, weight), c: `RouteTarget.version(${lit(t.version)}${w})` }
      : { v: RouteTarget.service(services[t.service], weight), c: `RouteTarget.service(${v(t.service)}${w})` };
  };
  for (const r of plan.routes) {
    const d = r.desc;
    const props = obj({
      service: { v: services[r.service], c: v(r.service) },
      caller: r.caller === undefined ? undefined : { v: services[r.caller], c: v(r.caller) },
      priority: optRaw(d.priority),
      match: opt(d.match, routeMatch),
      targets: arr(r.targets.map(t => target(t.target, t.weight))),
      mirror: opt(r.mirror, t => target(t)),
      mirrorPercent: r.mirror ? optRaw(d.mirrorPercent) : undefined,
      timeout: opt(d.timeout, duration),
      requestHeaders: optRaw(d.requestHeaders),
    });
    line(`new WeightedRoute(chart, 'route-${r.index}', ${props.c});`);
    new WeightedRoute(chart, `route-${r.index}`, props.v as any);
  }

  // --- failover policies
  for (const f of plan.failovers) {
    const d = f.desc;
    const props = obj({
      service: { v: services[f.service], c: v(f.service) },
      caller: f.caller === undefined ? undefined : { v: services[f.caller], c: v(f.caller) },
      retry: opt(d.retry, retry),
      timeout: opt(d.timeout, duration),
      idleTimeout: opt(d.idleTimeout, duration),
      outlierDetection: opt(d.outlierDetection, o => {
        const common = {
          interval: opt(o.interval, duration), baseEjectionTime: opt(o.baseEjectionTime, duration), maxEjectionPercent: optRaw(o.maxEjectionPercent),
        };
        if (o.kind === 'successRate') {
          const options = obj({
            ...common, stdevFactor: optRaw(o.stdevFactor), minimumHosts: optRaw(o.minimumHosts), requestVolume: optRaw(o.requestVolume),
          });
          return { v: OutlierDetection.successRate(options.v), c: `OutlierDetection.successRate(${options.c})` };
        }
        const options = obj(common);
        return { v: OutlierDetection[o.kind](o.errors, options.v), c: `OutlierDetection.${o.kind}(${lit(o.errors)}, ${options.c})` };
      }),
      circuitBreaker: optRaw(d.circuitBreaker && Object.fromEntries(Object.entries(d.circuitBreaker).filter(([, x]) => x !== undefined))),
      healthCheck: opt(d.healthCheck, h => {
        const common = {
          interval: opt(h.interval, duration),
          timeout: opt(h.timeout, duration),
          unhealthyThreshold: optRaw(h.unhealthyThreshold),
          healthyThreshold: optRaw(h.healthyThreshold),
        };
        const options = h.kind === 'http' ? obj({ path: raw(h.path), ...common }) : obj(common);
        return { v: HealthCheck[h.kind](options.v as any), c: `HealthCheck.${h.kind}(${options.c})` };
      }),
      backup: opt(f.backup, b => (b.kind === 'service'
        ? { v: Backup.service(services[b.service]), c: `Backup.service(${v(b.service)})` }
        : b.tls === undefined
          ? { v: Backup.host(b.hostname, b.port), c: `Backup.host(${lit(b.hostname)}, ${lit(b.port)})` }
          : { v: Backup.host(b.hostname, b.port, { tls: b.tls }), c: `Backup.host(${lit(b.hostname)}, ${lit(b.port)}, { tls: ${b.tls} })` })),
      fault: opt(d.faultInjection, fi => obj({
        delay: opt(fi.delay, duration),
        delayPercent: optRaw(fi.delayPercent),
        abortStatus: optRaw(fi.abortStatus),
        abortPercent: optRaw(fi.abortPercent),
      })),
    });
    line(`new FailoverPolicy(chart, 'failover-${f.index}', ${props.c});`);
    new FailoverPolicy(chart, `failover-${f.index}`, props.v as any);
  }

  // --- authorization policies
  for (const a of plan.authorizations) {
    const props = obj({
      service: { v: services[a.service], c: v(a.service) },
      caller: { v: services[a.caller], c: v(a.caller) },
      paths: opt(a.paths, ps => arr(ps.map(pathMatch))),
      methods: opt(a.methods, ms => arr(ms.map(x => ({ v: x, c: `HttpMethod.${x}` })))),
    });
    line(`new AuthorizationPolicy(chart, 'authz-${a.index}', ${props.c});`);
    new AuthorizationPolicy(chart, `authz-${a.index}`, props.v as any);
  }

  // --- JWT authentication
  for (const j of plan.jwts) {
    const d = j.desc;
    let jwks: Built | undefined;
    if (d.jwks?.kind === 'remote') {
      const options = obj({ cacheDuration: opt(d.jwks.cacheDuration, duration) });
      jwks = {
        v: JwksSource.remote(d.jwks.uri, options.v),
        c: `JwksSource.remote(${lit(d.jwks.uri)}${options.c === '{}' ? '' : `, ${options.c}`})`,
      };
    } else if (d.jwks?.kind === 'configMap') {
      line(`const jwks${j.index} = kplus.ConfigMap.fromConfigMapName(chart, 'jwks-${j.index}', 'jwks');`);
      const configMap = kplus.ConfigMap.fromConfigMapName(chart, `jwks-${j.index}`, 'jwks');
      jwks = { v: JwksSource.fromConfigMap(configMap, 'jwks.json'), c: `JwksSource.fromConfigMap(jwks${j.index}, 'jwks.json')` };
    } else if (d.jwks?.kind === 'secret') {
      line(`const jwks${j.index} = kplus.Secret.fromSecretName(chart, 'jwks-${j.index}', 'jwks');`);
      const secret = kplus.Secret.fromSecretName(chart, `jwks-${j.index}`, 'jwks');
      jwks = { v: JwksSource.fromSecret(secret, 'jwks.json'), c: `JwksSource.fromSecret(jwks${j.index}, 'jwks.json')` };
    }
    const props = obj({
      service: { v: services[j.service], c: v(j.service) },
      issuer: raw(d.issuer),
      jwks,
      audiences: optRaw(d.audiences),
      paths: opt(d.paths, ps => arr(ps.map(pathMatch))),
      claimHeaders: optRaw(d.claimHeaders),
      forwardToken: optRaw(d.forwardToken),
    });
    line(`new JwtAuthentication(chart, ${lit(j.id)}, ${props.c}${jwks ? '' : ' as JwtAuthenticationProps'});`);
    new JwtAuthentication(chart, j.id, props.v as any);
  }

  return { app, chart, program };
}

function envOf(d: ServiceDesc, i: number, scope: Chart, scopeVar: string, line: (text: string) => void): Built | undefined {
  switch (d.env) {
    case undefined: return undefined;
    case 'plain':
      return { v: { LOG_LEVEL: kplus.EnvValue.fromValue('info') }, c: "{ LOG_LEVEL: kplus.EnvValue.fromValue('info') }" };
    case 'literalSecret':
      return { v: { DB_PASSWORD: kplus.EnvValue.fromValue('hunter2') }, c: "{ DB_PASSWORD: kplus.EnvValue.fromValue('hunter2') }" };
    case 'secretRef': {
      line(`const db${i} = kplus.Secret.fromSecretName(${scopeVar}, 'env-secret-${i}', 'db-credentials');`);
      const secret = kplus.Secret.fromSecretName(scope, `env-secret-${i}`, 'db-credentials');
      return {
        v: { DB_PASSWORD: kplus.EnvValue.fromSecretValue({ secret, key: 'password' }) },
        c: `{ DB_PASSWORD: kplus.EnvValue.fromSecretValue({ secret: db${i}, key: 'password' }) }`,
      };
    }
    case 'missingSecretKey': {
      line(`const db${i} = new kplus.Secret(${scopeVar}, 'env-secret-${i}', { metadata: { name: 'db-credentials-${i}' }, stringData: { username: 'app' } });`);
      const secret = new kplus.Secret(scope, `env-secret-${i}`, { metadata: { name: `db-credentials-${i}` }, stringData: { username: 'app' } });
      return {
        v: { DB_PASSWORD: kplus.EnvValue.fromSecretValue({ secret, key: 'password' }) },
        c: `{ DB_PASSWORD: kplus.EnvValue.fromSecretValue({ secret: db${i}, key: 'password' }) }`,
      };
    }
  }
}

function retry(d: NonNullable<FailoverDesc['retry']>): Built<Retry> {
  const common = {
    attempts: optRaw(d.attempts),
    perTryTimeout: opt(d.perTryTimeout, duration),
    backoffBase: opt(d.backoffBase, duration),
    backoffMax: opt(d.backoffMax, duration),
    retryOtherHost: optRaw(d.retryOtherHost),
  };
  if (d.kind !== 'on') {
    const factory = d.kind === 'gatewayErrors' ? 'onGatewayErrors' : 'onServerErrors';
    const options = obj(common);
    return { v: Retry[factory](options.v), c: `Retry.${factory}(${options.c})` };
  }
  const codes = d.statusCodes ?? [];
  const conditions = [...(d.conditions ?? []), ...(codes.length > 0 ? [RetryCondition.RETRIABLE_STATUS_CODES] : [])];
  const conditionName = (c: RetryCondition) => Object.entries(RetryCondition).find(([, x]) => x === c)![0];
  const options = obj({
    conditions: { v: conditions, c: `[${conditions.map(c => `RetryCondition.${conditionName(c)}`).join(', ')}]` },
    retriableStatusCodes: codes.length > 0 ? raw(codes) : undefined,
    ...common,
  });
  return { v: Retry.on(options.v as any), c: `Retry.on(${options.c})` };
}

/** The imports a recorded program needs, to paste it into a test file next to test/helpers.ts. */
export const PROGRAM_PRELUDE = [
  "import { App, Chart, Duration } from 'cdk8s';",
  "import * as kplus from 'cdk8s-plus-27';",
  'import {',
  '  AddressFormat, AuthorizationMode, AuthorizationPolicy, Backup, CertificateSource, EdgePeer, FailoverPolicy, HashKey, HeaderMatch,',
  '  HealthCheck, HttpMethod, JwksSource, JwtAuthentication, JwtAuthenticationProps, LoadBalancer, MaglevOptions, Mesh, MeshService,',
  '  MtlsMode, OutlierDetection, PathMatch, Protocol, QueryParameterMatch, Retry, RetryCondition, RingHashOptions, RouteTarget,',
  '  TlsVersion, WeightedRoute,',
  "} from '../src';",
  "import { newChart, outputProblems, synth, TEST_MESH } from './helpers';",
];
