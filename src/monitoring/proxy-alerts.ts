import { AlertFactory, NAME, SERVICE_KEY } from './alert-factory';
import {
  CIRCUIT_BREAKER_OPEN_PREFIX, CIRCUIT_BREAKERS, CLUSTER_EJECTIONS_ACTIVE, CLUSTER_NAME_LABEL, MESH_LABEL, overflowRate, SERVICE_LABEL,
} from './metrics';
import { quote, selector } from './promql';
import { EDGE_RECORDS } from './records';
import { PromRule } from './types';

/**
 * Alerts on the resilience mechanisms of the mesh's own Envoy sidecars, per
 * cluster of an upstream (`<upstream>_<version>`):
 * `MeshOutlierEjections` (info), `MeshCircuitBreakerOpen` (info) and
 * `MeshCircuitBreakerOverflow` (ticket); see `meshAlertRules`. A cluster
 * counts when its caller has a listener for its upstream (the recorded edge
 * `caller_upstream:envoy_http_downstream_rq:rate5m`, which exists for every
 * upstream the caller was given, from its `outbound_<upstream>` listener),
 * so that clusters of anything else are left out.
 */
export function envoyClusterAlerts(a: AlertFactory): PromRule[] {
  const m = { [MESH_LABEL]: a.mesh };
  const clusters = { ...m, [CLUSTER_NAME_LABEL]: { regex: '.+_.+' } };
  const cluster = '{{ $labels.namespace }}/{{ $labels.mesh_service }} -> {{ $labels.upstream }} (cluster {{ $labels.envoy_cluster_name }})';
  const edges = `label_replace(${selector(EDGE_RECORDS.rate, m)}, ${quote(SERVICE_LABEL)}, "$1", "caller", "(.+)")`;
  /** `expr > 0` for the profile's services, on clusters of their upstreams. */
  const firing = (expr: string) => a.ofServices(`${expr} > 0 and on (${[...SERVICE_KEY, 'upstream'].join(', ')}) ${edges}`);
  const byCluster = (expr: string, extra: string[] = []) =>
    withUpstream(`max by (${[...SERVICE_KEY, CLUSTER_NAME_LABEL, ...extra].join(', ')}) (${expr})`);
  const breakersOpen = selector('', { [NAME]: { regex: `${CIRCUIT_BREAKER_OPEN_PREFIX}(${CIRCUIT_BREAKERS.join('|')})_open` }, ...clusters });
  return [
    a.alert('MeshOutlierEjections', 'info', firing(byCluster(selector(CLUSTER_EJECTIONS_ACTIVE, clusters))),
      `Outlier detection ejected hosts: ${cluster}`,
      'A sidecar of {{ $labels.namespace }}/{{ $labels.mesh_service }} has ejected {{ $value }} hosts of cluster {{ $labels.envoy_cluster_name }}.'),
    a.alert('MeshCircuitBreakerOpen', 'info', firing(withBreaker(byCluster(breakersOpen, [NAME]))),
      `Circuit breaker open: ${cluster}`,
      'The {{ $labels.breaker }} circuit breaker of a sidecar of {{ $labels.namespace }}/{{ $labels.mesh_service }} is at its limit for cluster {{ $labels.envoy_cluster_name }}.'),
    a.alert('MeshCircuitBreakerOverflow', 'ticket',
      firing(withUpstream(overflowRate(clusters, '5m', expr => `sum by (${[...SERVICE_KEY, CLUSTER_NAME_LABEL].join(', ')}) (${expr})`))),
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
