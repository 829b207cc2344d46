import { RouteTarget } from './route-target';
import { FailoverOptions } from '../failover/failover-options';
import { CallModel, clusterName } from '../model/mesh-model';
import { RoutePlan } from '../plan/types';

/** The routes of a call in the order they are tried; the last one matches every request. */
export function planRoutes(call: CallModel): RoutePlan[] {
  const { upstream, failover } = call;
  const cluster = (target: RouteTarget) => {
    const { service, version } = target._resolve(upstream.service);
    return clusterName(service, version);
  };
  const routes: RoutePlan[] = call.routes.map(route => ({
    source: route.path,
    match: route.match ?? {},
    split: route.targets.map(target => ({ cluster: cluster(target), weight: target.weight })),
    ...routeSettings(failover, route.timeout),
    ...(route.mirror && { mirror: { cluster: cluster(route.mirror), percent: route.mirrorPercent ?? 100 } }),
    ...(route.requestHeaders?.set && { headersToSet: route.requestHeaders.set }),
    ...(route.requestHeaders?.remove && { headersToRemove: route.requestHeaders.remove }),
  }));
  if (!call.hasCatchAll) {
    const main = clusterName(upstream.service, upstream.service.version);
    routes.push({ source: upstream.service.node.path, match: {}, split: [{ cluster: main, weight: 100 }], ...routeSettings(failover) });
  }
  return routes;
}

export function routeSettings(failover: FailoverOptions, routeTimeout?: FailoverOptions['timeout']): Partial<RoutePlan> {
  const timeout = routeTimeout ?? failover.timeout;
  return {
    ...(timeout && { timeoutMs: timeout.toMilliseconds({ integral: false }) }),
    ...(failover.idleTimeout && { idleTimeoutMs: failover.idleTimeout.toMilliseconds({ integral: false }) }),
    ...(failover.retry && { retry: failover.retry._spec() }),
  };
}
