/**
 * What a plan reads of the Envoy files in a sidecar's ConfigMap: the clusters
 * (CDS and the bootstrap's static ones), the clusters its routes and TCP
 * proxies send to, and the host names behind each cluster.
 */
import { discoveryKey, resourcesOf, walk } from './state';

/** A cluster a route or TCP proxy names, with the share it sends there (0: named, but sent nothing). */
export interface ClusterRef {
  readonly cluster: string;
  readonly weight: number;
  /** The file that names it. */
  readonly file: string;
}

/** Every `*.json` file of a sidecar ConfigMap that does not parse (with the reason). */
export function unreadableFiles(configMap: any): string[] {
  return Object.entries<string>(configMap.data ?? {}).filter(([file]) => file.endsWith('.json')).flatMap(([file, text]) => {
    try {
      if (file === 'envoy.json') JSON.parse(text);
      else resourcesOf(text);
      return [];
    } catch (e) {
      return [`${file}: ${(e as Error).message}`];
    }
  });
}

/** The names of the clusters a sidecar has: its CDS file and the bootstrap's static clusters. */
export function clusterNames(configMap: any): Set<string> {
  const data = configMap.data ?? {};
  const names = new Set<string>(resourcesOf(data[discoveryKey(configMap, 'cds')] ?? '{"resources": []}').map((c: any) => c.name));
  for (const cluster of JSON.parse(data['envoy.json'] ?? '{}').static_resources?.clusters ?? []) names.add(cluster.name);
  return names;
}

/** The clusters named by the routes (RDS files) and TCP proxies (LDS) of a sidecar. */
export function clusterRefs(configMap: any): ClusterRef[] {
  const refs: ClusterRef[] = [];
  const lds = discoveryKey(configMap, 'lds');
  for (const [file, text] of Object.entries<string>(configMap.data ?? {})) {
    if (!(file === lds || /^rds\..*\.json$/.test(file))) continue;
    walk(resourcesOf(text), node => {
      const target = file === lds ? (node['@type']?.endsWith('tcp_proxy.v3.TcpProxy') ? node : undefined) : node.route;
      if (!target || typeof target !== 'object') return;
      if (typeof target.cluster === 'string') refs.push({ cluster: target.cluster, weight: 100, file });
      for (const c of target.weighted_clusters?.clusters ?? []) refs.push({ cluster: c.name, weight: c.weight ?? 0, file });
    });
  }
  return refs;
}

/** The host names (socket addresses) of a cluster of a sidecar's CDS file. */
export function clusterHosts(configMap: any, cluster: string): string[] {
  const found = resourcesOf(configMap.data?.[discoveryKey(configMap, 'cds')] ?? '{"resources": []}').find((c: any) => c.name === cluster);
  const hosts: string[] = [];
  walk(found?.load_assignment ?? {}, node => {
    if (typeof node.socket_address?.address === 'string') hosts.push(node.socket_address.address);
  });
  return hosts;
}

/** The host names a sidecar sends requests to (clusters with a positive share). */
export function calledHosts(configMap: any): string[] {
  const clusters = new Set(clusterRefs(configMap).filter(ref => ref.weight > 0).map(ref => ref.cluster));
  return [...new Set([...clusters].flatMap(cluster => clusterHosts(configMap, cluster)))].sort();
}
