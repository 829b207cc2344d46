import { shadows, validateMatch } from './route-match';
import { calls } from '../failover/failover-checks';
import { MeshModel, routesFor, ServiceModel } from '../model/mesh-model';
import { Problem, problemsAt } from '../model/problem';
import { isHttp } from '../protocol';
import { durationProblem, headerValueProblem, isHeaderName, isMutableHeader } from '../value-checks';

/** Problems of each route of the mesh's services: weights, targets, matches, header rewrites, cycles. */
export function routeChecks(model: MeshModel): Problem[] {
  return [...routeCycles(model), ...model.services.flatMap(routed => routed.routes.flatMap(route => {
    const { targets, match, mirror, mirrorPercent, timeout, requestHeaders, caller } = route;
    const service = routed.service;
    const errors: string[] = [];
    const weights = targets.map(t => t.weight);
    const bad = weights.filter(w => !Number.isInteger(w) || w < 0);
    if (bad.length > 0) {
      errors.push(`weights ${JSON.stringify(bad)} are invalid: use non-negative integers`);
    } else {
      const sum = weights.reduce((a, b) => a + b, 0);
      if (sum !== 100) errors.push(`weights ${JSON.stringify(weights)} sum to ${sum}: they must sum to 100`);
    }
    for (const target of [...targets, ...(mirror ? [mirror] : [])]) {
      const resolved = target._resolve(service);
      const versions = model.of(resolved.service).versions;
      if (!versions.includes(resolved.version)) {
        errors.push(`target ${target.description} does not exist: ${resolved.service.name} has versions ${versions.join(', ')}`);
      }
      if (resolved.service.mesh !== service.mesh) {
        errors.push(`target ${target.description} belongs to mesh ${resolved.service.mesh.node.path}, not ${service.mesh.node.path}: `
          + 'its pods would not accept this mesh\'s callers; routes send only within their own mesh');
      }
      if (target.targetService === service) {
        errors.push(`target ${target.description} is the routed service itself: use RouteTarget.version() for its versions`);
      }
    }
    const seen = new Set<string>();
    for (const target of targets) {
      const resolved = target._resolve(service);
      const key = `${resolved.service.qualifiedName}/${resolved.version}`;
      if (seen.has(key)) errors.push(`target ${target.description} appears twice: merge the weights`);
      seen.add(key);
    }
    if (mirrorPercent !== undefined && !(mirrorPercent >= 0 && mirrorPercent <= 100)) {
      errors.push(`mirrorPercent ${mirrorPercent} is invalid: use a percentage from 0 to 100`);
    }
    if (timeout && timeout.toMilliseconds({ integral: false }) <= 0) {
      errors.push('timeout must be a positive duration');
    } else if (timeout && durationProblem(timeout)) {
      errors.push(`timeout: ${durationProblem(timeout)}`);
    }
    if (match) errors.push(...validateMatch(match));
    for (const header of [...Object.keys(requestHeaders?.set ?? {}), ...(requestHeaders?.remove ?? [])]) {
      if (!isHeaderName(header)) {
        errors.push(`requestHeaders name '${header}' is not a valid HTTP header name`);
      } else if (!isMutableHeader(header)) {
        errors.push(`requestHeaders name '${header}' cannot be set or removed: Envoy refuses to change 'host' and pseudo-headers this way, and reads x-envoy-* headers as instructions`);
      }
    }
    for (const [header, value] of Object.entries(requestHeaders?.set ?? {})) {
      const problem = headerValueProblem(value);
      if (problem) errors.push(`requestHeaders ${header}: ${problem}`);
    }
    if (!isHttp(service.protocol) && (match || mirror || timeout || requestHeaders)) {
      errors.push(`${service.name} speaks TCP: a route can only split it by weight (remove match, mirror, timeout and requestHeaders)`);
    }
    if (caller && !calls(model.of(caller), service)) {
      errors.push(`caller ${caller.name} does not call ${service.name}: declare ${caller.name}.callTo(${service.name}) first`);
    }
    return problemsAt(route.path, errors);
  }))];
}

/**
 * Routes that can never match (reported at the routed service): for every
 * caller whose sidecar applies the route, an earlier route of that caller's
 * order takes all its requests. A route for one caller is judged in that
 * caller's order; a route for all callers in the order of each service that
 * calls this one (in the order of a caller with no routes of its own when
 * none is declared yet), so one caller's catch-all hides nothing from the others.
 */
export function routeShadowChecks(service: ServiceModel): string[] {
  const callers = service.callers.filter(c => c.calls.some(call => call.upstream === service)).map(c => c.service);
  const errors: string[] = [];
  service.routes.forEach(route => {
    const seenBy: Array<ServiceModel['service'] | undefined> = route.caller ? [route.caller] : callers.length > 0 ? callers : [undefined];
    const hiders = seenBy.map(caller => {
      const ordered = routesFor(service, caller);
      const earlier = ordered.slice(0, ordered.indexOf(route)).find(e => shadows(e.match ?? {}, route.match ?? {}));
      return earlier && { caller, earlier };
    });
    if (hiders.some(h => !h)) return;
    const distinct = [...new Set(hiders.map(h => h!.earlier))];
    const by = (e: ServiceModel['routes'][number]) => `${e.path} (priority ${e.priority}) matches every request it would`;
    const why = distinct.length === 1 ? by(distinct[0])
      : hiders.map(h => `for caller ${h!.caller!.name}, ${by(h!.earlier)}`).join('; ');
    errors.push(`route ${route.path} is unreachable: ${why}; give it a lower priority or a narrower match`);
  });
  return errors;
}

/**
 * Routes that send a service's callers to another service whose own routes
 * lead back: a caller of `orders` routed to `users`, while `users` routes to
 * `orders`, ends up at the routed service itself (its sidecar sends its calls
 * back to itself), which its own RBAC denies. Reported at each route that
 * closes a cycle, naming it.
 */
function routeCycles(model: MeshModel): Problem[] {
  const targetsOf = (service: ServiceModel): ServiceModel[] => [...new Set(service.routes.flatMap(route =>
    [...route.targets, ...(route.mirror ? [route.mirror] : [])].map(t => model.of(t._resolve(service.service).service))
      .filter(target => target !== service)))];
  /** The services from `from` to `to` along routes, or undefined when `to` cannot be reached. */
  const pathTo = (from: ServiceModel, to: ServiceModel): ServiceModel[] | undefined => {
    const previous = new Map<ServiceModel, ServiceModel | undefined>([[from, undefined]]);
    const queue = [from];
    while (queue.length > 0) {
      const current = queue.shift()!;
      if (current === to) {
        const path: ServiceModel[] = [];
        for (let at: ServiceModel | undefined = current; at; at = previous.get(at)) path.unshift(at);
        return path;
      }
      for (const next of targetsOf(current)) {
        if (!previous.has(next)) {
          previous.set(next, current);
          queue.push(next);
        }
      }
    }
    return undefined;
  };
  return model.services.flatMap(service => service.routes.flatMap(route => {
    const targets = [...route.targets, ...(route.mirror ? [route.mirror] : [])].map(t => model.of(t._resolve(service.service).service));
    const cycles = [...new Set(targets.filter(t => t !== service))].flatMap(target => {
      const back = pathTo(target, service);
      return back ? [[service, ...back].map(s => s.service.name).join(' -> ')] : [];
    });
    return problemsAt(route.path, cycles.map(cycle => `route cycle ${cycle}: a caller routed along it is sent back to the service it started from, `
      + 'whose own sidecar then routes its calls to itself, and is denied; route to versions (RouteTarget.version) on one side, or remove one route'));
  }));
}
