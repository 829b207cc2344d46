import { Testing } from 'cdk8s';
import { CanaryChart } from '../../examples/canary/canary';
import { FailoverChart } from '../../examples/failover/failover';
import { ShopChart } from '../../examples/shop/shop';
import { assembleSidecar, objectsOf } from '../helpers';

/** Every `stat_prefix` and cluster name of a configuration. */
function statNames(config: unknown): string[] {
  if (Array.isArray(config)) return config.flatMap(statNames);
  if (config === null || typeof config !== 'object') return [];
  return Object.entries(config).flatMap(([key, value]) => (key === 'stat_prefix' || key === 'cluster_name' ? [value as string] : statNames(value)));
}

/**
 * Envoy's Prometheus output extracts tags from stat names by splitting at dots
 * (the default `stats_config.stats_tags`, source/common/config/well_known_names.cc):
 * a dot inside a cluster name or stat prefix would turn part of it into another
 * name segment and scramble the metric name.
 */
test.each([['shop', ShopChart], ['canary', CanaryChart], ['failover', FailoverChart]])('examples/%s: no stat name holds a dot', (_name, chart) => {
  const manifests = Testing.synth(new chart(Testing.app(), 'example'));
  for (const configMap of objectsOf(manifests, 'ConfigMap').filter(c => c.data?.['envoy.json'])) {
    const config = assembleSidecar(configMap.data);
    const names = [...statNames(config), ...config.static_resources.clusters.map((c: any) => c.name)];
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter(name => name.includes('.'))).toEqual([]);
  }
});
