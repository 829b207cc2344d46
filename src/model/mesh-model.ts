import {
  AuthorizationDeclaration, CallDeclaration, Upstream, DeclarationProblem, ExposureDeclaration, FailoverDeclaration, JwtDeclaration, MeshDeclarations,
  MonitorDeclaration, RateLimitDeclaration, RouteDeclaration, ServiceDeclaration, WorkloadDeclaration,
} from './declarations';
import { ExternalRef, isMeshService } from './external-ref';
import { MeshRef, ServiceRef, serviceRefOf } from './refs';
import type { FailoverOptions } from '../failover/failover-options';
import type { IMeshService } from '../mesh-service-handle';
import type { CallOptions } from '../traffic/call-options';
import { isCatchAll } from '../traffic/route-match';
import type { RouteTarget } from '../traffic/route-target';

/**
 * The mesh as one immutable graph, built once per synth from the
 * declarations, when the graph is complete. Checks, planners and renderers
 * read only this.
 */
export interface MeshModel {
  readonly mesh: MeshRef;
  /** The services of the mesh, in declaration order. */
  readonly services: ServiceModel[];
  /** The services outside the mesh it calls, in declaration order. */
  readonly externals: ExternalRef[];
  /** Problems found while declaring (a version declared twice, ...). */
  readonly declarationProblems: DeclarationProblem[];
  /** The model of a service (of this mesh or, for targets declared across meshes, of another). */
  of(service: IMeshService): ServiceModel;
}

/** One service with everything declared about it. */
export interface ServiceModel {
  readonly service: ServiceRef;
  readonly props: ServiceDeclaration['props'];
  /** Its Deployments, main version first. */
  readonly workloads: WorkloadDeclaration[];
  /** Its versions, main version first. */
  readonly versions: string[];
  /** Every `callTo` as declared, repeats and invalid ones included (for checks). */
  readonly declaredCalls: CallDeclaration[];
  /** The calls its sidecar serves: the first declaration per upstream of the same mesh, sorted by upstream. */
  readonly calls: CallModel[];
  /** Its calls to services outside the mesh (of the same mesh), sorted by name. */
  readonly externalCalls: ExternalCallModel[];
  /** The services whose sidecars connect to this one (declared callers, and callers routed or failed over to it), sorted. */
  readonly callers: ServiceModel[];
  readonly routes: RouteDeclaration[];
  readonly failoverPolicies: FailoverDeclaration[];
  readonly authorizationPolicies: AuthorizationDeclaration[];
  readonly jwtProviders: JwtDeclaration[];
  /** Every exposure as declared (repeats included). */
  readonly exposures: ExposureDeclaration[];
  readonly monitors: MonitorDeclaration[];
  /** Its rate limits, in declaration order. */
  readonly rateLimits: RateLimitDeclaration[];
}

/** A call to a service outside the mesh. */
export interface ExternalCallModel {
  readonly caller: ServiceModel;
  readonly external: ExternalRef;
  readonly options: CallOptions;
}

/** One call edge, resolved: its routes, failover settings, clusters and backup chains. */
export interface CallModel {
  readonly caller: ServiceModel;
  readonly upstream: ServiceModel;
  readonly options: CallOptions;
  /** The routes the caller applies, in the order they are tried. */
  readonly routes: RouteDeclaration[];
  /** Whether a route matches every request; otherwise the main version takes what no route matches. */
  readonly hasCatchAll: boolean;
  /** The failover settings the caller applies to the upstream. */
  readonly failover: FailoverOptions;
  /** The service versions the routes send to (mirrors included), sorted by cluster name. */
  readonly clusters: ClusterModel[];
  /** Every service the caller's sidecar may connect to for this call: cluster targets and their backups. */
  readonly reached: ServiceModel[];
}

/** One version of a service as a caller sees it, with its backups. */
export interface ClusterModel {
  /** `<service>_<version>`: unique among a sidecar's clusters (Kubernetes names have no '_'). */
  readonly name: string;
  readonly service: ServiceModel;
  readonly version: string;
  /** The failover settings the caller applies to this service. */
  readonly failover: FailoverOptions;
  /** Where traffic goes when no host is healthy, at priorities 1, 2, ... */
  readonly backups: BackupModel[];
}

/** One step of a backup chain: a mesh service's main version, or a host outside the mesh (which ends the chain). */
export interface BackupModel {
  readonly priority: number;
  readonly service?: ServiceModel;
  readonly host?: { readonly hostname: string; readonly port: number; readonly tls: boolean };
}

/** Builds the model of `mesh` from its declarations (and those of meshes its targets belong to). */
export function buildMeshModel(mesh: MeshRef, declarationsOf: (mesh: MeshRef) => MeshDeclarations): MeshModel {
  const models = new Map<IMeshService, MutableServiceModel>();
  const groups = new Map<unknown[], Map<ServiceRef, unknown[]>>();
  const of = (handle: IMeshService): MutableServiceModel => {
    let model = models.get(handle);
    if (!model) {
      const service = serviceRefOf(handle);
      model = serviceModel(service, declarationsOf(service.mesh), groups);
      models.set(handle, model);
    }
    return model;
  };
  const externals = declarationsOf(mesh).externalServices.map(d => d.external);
  const model: MeshModel = { mesh, services: [], externals, of, declarationProblems: [...declarationsOf(mesh).problems] };
  const services = declarationsOf(mesh).services.map(d => of(d.service));
  (model as { services: ServiceModel[] }).services = services;

  for (const caller of services) {
    const valid = sortByUpstream(firstCallPerUpstream(caller).filter(c => c.upstream.mesh === mesh && c.upstream !== caller.service));
    caller.calls = valid.flatMap(({ upstream, options }) => (isMeshService(upstream) ? [callModel(caller, of(upstream), options, of)] : []));
    caller.externalCalls = valid.flatMap(({ upstream, options }) => (isMeshService(upstream) ? [] : [{ caller, external: upstream, options }]));
  }
  const callers = new Map<ServiceModel, Set<ServiceModel>>();
  for (const caller of services) {
    for (const call of caller.calls) {
      for (const reached of call.reached) callers.set(reached, (callers.get(reached) ?? new Set()).add(caller));
    }
  }
  for (const service of services) service.callers = sortServices([...callers.get(service) ?? []]);
  return model;
}

type MutableServiceModel = ServiceModel & { calls: CallModel[]; externalCalls: ExternalCallModel[]; callers: ServiceModel[] };

/**
 * The declarations of `service`, each list in declaration order. `groups`
 * holds every list grouped by service once (the declarations are sealed
 * while the model is built), so building all the models stays linear in the
 * number of declarations.
 */
function serviceModel(service: ServiceRef, declarations: MeshDeclarations, groups: Map<unknown[], Map<ServiceRef, unknown[]>>): MutableServiceModel {
  const of = <T>(items: T[], key: (item: T) => ServiceRef): T[] => {
    let byService = groups.get(items);
    if (!byService) {
      byService = new Map();
      for (const item of items) {
        const list = byService.get(key(item));
        if (list) list.push(item);
        else byService.set(key(item), [item]);
      }
      groups.set(items, byService);
    }
    return [...(byService.get(service) ?? []) as T[]];
  };
  const mine = <T extends { service: ServiceRef }>(items: T[]) => of(items, item => item.service);
  const workloads = mine(declarations.workloads);
  return {
    service,
    props: mine(declarations.services)[0]?.props,
    workloads,
    versions: [...new Set(workloads.map(w => w.version))],
    declaredCalls: of(declarations.calls, c => c.caller),
    calls: [],
    externalCalls: [],
    callers: [],
    routes: mine(declarations.routes),
    failoverPolicies: mine(declarations.failoverPolicies),
    authorizationPolicies: mine(declarations.authorizationPolicies),
    jwtProviders: mine(declarations.jwtProviders),
    exposures: mine(declarations.exposures),
    monitors: mine(declarations.monitors),
    rateLimits: mine(declarations.rateLimits),
  };
}

function callModel(caller: ServiceModel, upstream: ServiceModel, options: CallOptions, of: (s: IMeshService) => ServiceModel): CallModel {
  // Routes after the caller's first catch-all never match for it (they may for other callers): leave them out.
  const ordered = routesFor(upstream, caller.service);
  const catchAll = ordered.findIndex(r => isCatchAll(r.match ?? {}));
  const routes = catchAll < 0 ? ordered : ordered.slice(0, catchAll + 1);
  const hasCatchAll = catchAll >= 0;
  const targets = new Map<string, { service: ServiceModel; version: string }>();
  const add = (target: RouteTarget) => {
    const resolved = target._resolve(upstream.service);
    const service = of(resolved.service);
    targets.set(clusterName(resolved.service, resolved.version), { service, version: resolved.version });
  };
  for (const route of routes) [...route.targets, ...(route.mirror ? [route.mirror] : [])].forEach(add);
  if (!hasCatchAll) targets.set(clusterName(upstream.service, upstream.service.version), { service: upstream, version: upstream.service.version });

  const clusters = [...targets.keys()].sort().map(name => {
    const { service, version } = targets.get(name)!;
    return { name, service, version, failover: failoverFor(service, caller.service), backups: backupChain(service, caller.service, of) };
  });
  const reached = new Set<ServiceModel>();
  for (const cluster of clusters) {
    reached.add(cluster.service);
    for (const backup of cluster.backups) if (backup.service) reached.add(backup.service);
  }
  return { caller, upstream, options, routes, hasCatchAll, failover: failoverFor(upstream, caller.service), clusters, reached: [...reached] };
}

/** `<service>_<version>`: unique among a sidecar's clusters (Kubernetes names have no '_'). */
export function clusterName(service: ServiceRef, version: string): string {
  return `${service.name}_${version}`;
}

/** The routes `caller` applies to `service`, in the order they are tried (stable among equal priorities). */
export function routesFor(service: ServiceModel, caller: ServiceRef | undefined): RouteDeclaration[] {
  return service.routes.filter(r => r.caller === undefined || r.caller === caller).sort((x, y) => x.priority - y.priority);
}

/** The failover policy that names no caller: what every caller applies, unless its own policy says otherwise. */
export function serviceWideFailover(service: ServiceModel): FailoverOptions {
  return service.failoverPolicies.find(p => p.caller === undefined)?.options ?? {};
}

/** The failover settings `caller` applies to `service`: its own policy's win over the service-wide one. */
export function failoverFor(service: ServiceModel, caller: ServiceRef): FailoverOptions {
  const wide = serviceWideFailover(service);
  const own = service.failoverPolicies.find(p => p.caller === caller)?.options ?? {};
  return { ...wide, ...definedOnly(own) };
}

/**
 * The backup chain of a service as `caller` sees it: its backup at priority
 * 1, the backup's backup at priority 2, and so on. It ends at a host, or where
 * it would loop (a loop is reported by the failover checks).
 */
function backupChain(service: ServiceModel, caller: ServiceRef, of: (s: IMeshService) => ServiceModel): BackupModel[] {
  const chain: BackupModel[] = [];
  const seen = new Set<ServiceModel>([service]);
  let backup = failoverFor(service, caller).backup;
  for (let priority = 1; backup !== undefined; priority++) {
    const host = backup._host;
    if (host) {
      chain.push({ priority, host });
      break;
    }
    const next = of(backup.backupService!);
    if (seen.has(next)) break;
    seen.add(next);
    chain.push({ priority, service: next });
    backup = failoverFor(next, caller).backup;
  }
  return chain;
}

/** What a service's sidecar serves calls to: its mesh upstreams, then its external services. */
export function wiredUpstreams(service: ServiceModel): Upstream[] {
  return [...service.calls.map(call => call.upstream.service), ...service.externalCalls.map(call => call.external)];
}

/** Whether the pods of `version` make a call declared with `options` (`fromVersions`; every version by default). */
export function calledFrom(options: CallOptions, version: string): boolean {
  return options.fromVersions === undefined || options.fromVersions.includes(version);
}

/**
 * The versions of `caller` whose calls reach `service` (routes and backups
 * included), or undefined when every version's do.
 */
export function callingVersions(caller: ServiceModel, service: ServiceModel): string[] | undefined {
  const calls = caller.calls.filter(call => call.reached.includes(service));
  if (calls.some(call => call.options.fromVersions === undefined)) return undefined;
  return [...new Set(calls.flatMap(call => call.options.fromVersions!))].filter(v => caller.versions.includes(v)).sort();
}

/** The first `callTo` of each upstream, in declaration order. */
export function firstCallPerUpstream(service: ServiceModel): CallDeclaration[] {
  const seen = new Set<Upstream>();
  return service.declaredCalls.filter(call => !seen.has(call.upstream) && !!seen.add(call.upstream));
}

function sortByUpstream(calls: CallDeclaration[]): CallDeclaration[] {
  return [...calls].sort((a, b) => a.upstream.qualifiedName.localeCompare(b.upstream.qualifiedName));
}

/** Services sorted by `<name>.<namespace>`. */
export function sortServices<T extends { service: ServiceRef }>(services: T[]): T[] {
  return [...services].sort((a, b) => a.service.qualifiedName.localeCompare(b.service.qualifiedName));
}

/** The entries of `obj` whose value is defined. */
export function definedOnly<T extends object>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}
