import { AlertFactory, NAME } from './alert-factory';
import {
  CIRCUIT_BREAKER_OPEN_PREFIX, CIRCUIT_BREAKERS, CLUSTER_EJECTIONS_ACTIVE, CLUSTER_NAME_LABEL, overflowRate, SERVICE_LABEL,
} from './metrics';
import { quote, regexEscape, selector } from './promql';
import { PromRule, ServiceRef } from './types';

/**
 * Alerts on the resilience mechanisms of the mesh's own Envoy sidecars, per
 * cluster of an upstream (`<upstream>_<version>`):
 * `MeshOutlierEjections` (info), `MeshCircuitBreakerOpen` (info) and
 * `MeshCircuitBreakerOverflow` (ticket); see `alertRules`.
 */
export function envoyClusterAlerts(a: AlertFactory, service: ServiceRef, upstreams: ServiceRef[]): PromRule[] {
  const own = { namespace: service.namespace, [SERVICE_LABEL]: service.name };
  const cluster = '{{ $labels.namespace }}/{{ $labels.mesh_service }} -> {{ $labels.upstream }} (cluster {{ $labels.envoy_cluster_name }})';
  const clusters = { ...own, [CLUSTER_NAME_LABEL]: { regex: `(${upstreams.map(u => regexEscape(u.name)).join('|')})_.+` } };
  const byCluster = (expr: string, extra: string[] = []) =>
    withUpstream(`max by (${['namespace', SERVICE_LABEL, CLUSTER_NAME_LABEL, ...extra].join(', ')}) (${expr})`);
  const breakersOpen = selector('', { [NAME]: { regex: `${CIRCUIT_BREAKER_OPEN_PREFIX}(${CIRCUIT_BREAKERS.join('|')})_open` }, ...clusters });
  return [
    a.alert('MeshOutlierEjections', 'info', `${byCluster(selector(CLUSTER_EJECTIONS_ACTIVE, clusters))} > 0`,
      `Outlier detection ejected hosts: ${cluster}`,
      'A sidecar of {{ $labels.namespace }}/{{ $labels.mesh_service }} has ejected {{ $value }} hosts of cluster {{ $labels.envoy_cluster_name }}.'),
    a.alert('MeshCircuitBreakerOpen', 'info', `${withBreaker(byCluster(breakersOpen, [NAME]))} > 0`,
      `Circuit breaker open: ${cluster}`,
      'The {{ $labels.breaker }} circuit breaker of a sidecar of {{ $labels.namespace }}/{{ $labels.mesh_service }} is at its limit for cluster {{ $labels.envoy_cluster_name }}.'),
    a.alert('MeshCircuitBreakerOverflow', 'ticket',
      `${withUpstream(overflowRate(clusters, '5m', expr => `sum by (namespace, ${SERVICE_LABEL}, ${CLUSTER_NAME_LABEL}) (${expr})`))} > 0`,
      `Circuit breaker rejects requests: ${cluster}`,
      '{{ printf "%.2f" $value }} requests/s from {{ $labels.namespace }}/{{ $labels.mesh_service }} to cluster {{ $labels.envoy_cluster_name }} failed at a circuit breaker over 5m.'),
  ];
}

/** Adds `upstream`: the cluster name `<upstream>_<version>` without its version (Kubernetes names have no `_`). */
function withUpstream(expr: string): string {
  return `label_replace(${expr}, "upstream", "$1", ${quote(CLUSTER_NAME_LABEL)}, "(.+)_[^_]+")`;
}

/** Adds `breaker` (`cx`, `rq`, `rq_pending`, `rq_retry`) from the name of a circuit breaker gauge. */
function withBreaker(expr: string): string {
  return `label_replace(${expr}, "breaker", "$1", ${quote(NAME)}, ${quote(`${CIRCUIT_BREAKER_OPEN_PREFIX}(.+)_open`)})`;
}
