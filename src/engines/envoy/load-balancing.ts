import { envoyMillis } from './duration';
import { ClusterLbSettings, RouteHashPolicy, TcpHashPolicy } from './types';
import { HashKeySpec, LoadBalancingSpec } from '../../traffic/load-balancer';

/** The cluster fields that select and tune the load-balancing policy. */
export function renderClusterLoadBalancing(spec: LoadBalancingSpec): ClusterLbSettings {
  switch (spec.policy) {
    case 'roundRobin':
      return { lb_policy: 'ROUND_ROBIN' };
    case 'random':
      return { lb_policy: 'RANDOM' };
    case 'leastRequest':
      return { lb_policy: 'LEAST_REQUEST', least_request_lb_config: { choice_count: spec.choiceCount } };
    case 'ringHash':
      return {
        lb_policy: 'RING_HASH',
        ring_hash_lb_config: {
          minimum_ring_size: spec.minimumRingSize,
          ...(spec.maximumRingSize !== undefined && { maximum_ring_size: spec.maximumRingSize }),
        },
      };
    case 'maglev':
      return { lb_policy: 'MAGLEV', maglev_lb_config: { table_size: spec.tableSize } };
  }
}

/** The `hash_policy` of every HTTP route to the upstream, when the policy hashes a key. */
export function renderRouteHashPolicy(spec: LoadBalancingSpec): RouteHashPolicy[] | undefined {
  const key = hashKey(spec);
  return key && [routeHashPolicy(key)];
}

/** The TCP proxy's `hash_policy`, when the policy hashes the caller's address (the only key TCP has). */
export function renderTcpHashPolicy(spec: LoadBalancingSpec): TcpHashPolicy[] | undefined {
  return hashKey(spec)?.kind === 'sourceIp' ? [{ source_ip: {} }] : undefined;
}

function hashKey(spec: LoadBalancingSpec): HashKeySpec | undefined {
  return spec.policy === 'ringHash' || spec.policy === 'maglev' ? spec.key : undefined;
}

function routeHashPolicy(key: HashKeySpec): RouteHashPolicy {
  switch (key.kind) {
    // Envoy matches header names in lowercase.
    case 'header':
      return { header: { header_name: key.name.toLowerCase() } };
    case 'cookie':
      return {
        cookie: {
          name: key.name,
          ...(key.ttlMs !== undefined && { ttl: envoyMillis(key.ttlMs) }),
          ...(key.path && { path: key.path }),
        },
      };
    case 'sourceIp':
      return { connection_properties: { source_ip: true } };
  }
}
