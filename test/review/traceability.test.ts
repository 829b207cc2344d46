import { Testing } from 'cdk8s';
import { CanaryChart } from '../../examples/canary/canary';
import { FailoverChart } from '../../examples/failover/failover';
import { ShopChart } from '../../examples/shop/shop';
import { METADATA_NAMESPACE } from '../../src/engines/envoy/construct-metadata';
import { CONSTRUCT_ANNOTATION } from '../../src/review/construct-annotation';
import { assembleSidecar, objectsOf } from '../helpers';

describe.each([['shop', ShopChart], ['canary', CanaryChart], ['failover', FailoverChart]])('examples/%s', (_name, chartClass) => {
  const chart = new chartClass(Testing.app(), 'example');
  const manifests = Testing.synth(chart);
  const paths = new Set(chart.node.findAll().map(c => c.node.path));

  test('every Envoy listener, virtual host, route and cluster names the construct that made it', () => {
    const unnamed: string[] = [];
    for (const configMap of objectsOf(manifests, 'ConfigMap').filter(c => c.data?.['envoy.json'])) {
      const config = assembleSidecar(configMap.data);
      const check = (kind: string, object: any) => {
        const construct = object.metadata?.filter_metadata?.[METADATA_NAMESPACE]?.construct;
        if (!paths.has(construct)) unnamed.push(`${configMap.metadata.name} ${kind} ${object.name ?? JSON.stringify(object.match)}: ${construct}`);
      };
      for (const listener of config.static_resources.listeners) {
        check('listener', listener);
        const hcm = listener.filter_chains[0].filters[0].typed_config;
        for (const host of hcm.route_config?.virtual_hosts ?? []) {
          check('virtual host', host);
          // Routes to the application belong to the service its virtual host names; others name their own.
          if (!listener.name.startsWith('outbound_')) continue;
          for (const route of host.routes) check('route', route);
        }
      }
      for (const cluster of config.static_resources.clusters) check('cluster', cluster);
    }
    expect(unnamed).toEqual([]);
  });

  test('every Kubernetes object the mesh emits names its construct; no pod template does', () => {
    // The example's own Secret is the user's object, not the mesh's.
    const meshObjects = manifests.filter(m => `${m.kind}/${m.metadata.name}` !== 'Secret/order-db-credentials');
    expect(meshObjects.filter(m => !paths.has(m.metadata?.annotations?.[CONSTRUCT_ANNOTATION])).map(m => `${m.kind}/${m.metadata.name}`)).toEqual([]);
    for (const workload of manifests.filter(m => m.spec?.template)) {
      expect(workload.spec.template.metadata?.annotations?.[CONSTRUCT_ANNOTATION]).toBeUndefined();
    }
  });
});
