import { Lazy } from 'cdk8s';
import { MESH_LABEL, meshLabel } from './metrics';
import { PodMonitor, PodMonitorSpecPodMetricsEndpoints, PodMonitorSpecPodMetricsEndpointsRelabelings } from '../imports/monitoring.coreos.com';
import type { Mesh } from '../mesh';
import { SERVICE_LABEL } from '../model/labels';

/** What a Prometheus sees of the sidecars of one namespace: the labels it selects the monitor by, and the scrape interval. */
export interface SidecarScrape {
  readonly labels?: { [key: string]: string };
  readonly interval: string;
}

/**
 * Services one PodMonitor lists at most. A service name is a label value of
 * at most 63 characters, 66 bytes with its quotes and comma in the object's
 * JSON: 3,000 of them stay under 200 KB, below the 256 KiB a client-side
 * `kubectl apply` can store in the object's annotations.
 */
export const SERVICES_PER_POD_MONITOR = 3_000;

interface NamespaceMonitors {
  readonly scrape: SidecarScrape;
  readonly services: Set<string>;
  /** The names of the metrics ports of each service's proxy (one per Envoy of a sidecar split across several), known at synth. */
  readonly ports: Map<string, () => string[]>;
  /** How many PodMonitors the namespace has: one per `SERVICES_PER_POD_MONITOR` services. */
  shards: number;
}

const monitors = new WeakMap<Mesh, Map<string, NamespaceMonitors>>();

/**
 * The services of each PodMonitor of a namespace: the sorted names, in
 * chunks of `perMonitor`, one chunk per monitor. Pure.
 */
export function podMonitorShards(services: Iterable<string>, perMonitor = SERVICES_PER_POD_MONITOR): string[][] {
  const sorted = [...services].sort();
  const shards: string[][] = [];
  for (let i = 0; i < sorted.length; i += perMonitor) shards.push(sorted.slice(i, i + perMonitor));
  return shards;
}

/**
 * Scrapes the sidecars of `service` with the PodMonitor of its mesh in its
 * namespace: every sidecar exposes the same stats endpoint (the mesh's
 * sidecar's `stats` port, or on Istio the `istio-proxy` container's
 * `http-envoy-prom` port, 15090), so one monitor selects the pods of all the
 * monitored services of the namespace by their `mesh.cdk8s.io/service`
 * label. Past `SERVICES_PER_POD_MONITOR` services the list is split across
 * more monitors (`<mesh>-sidecars`, `<mesh>-sidecars-1`, ...), which all set
 * the `job` label of the first, so a service's series keep their labels
 * when it moves from one monitor to another. `portNames` gives, at synth,
 * the metrics ports of the service's proxy the monitor also scrapes (one per
 * Envoy of a sidecar split across several). Returns a problem when the
 * scrape settings differ from those of the namespace's monitor.
 */
export function scrapeSidecars(
  mesh: Mesh, namespace: string, service: string, scrape: SidecarScrape, relabelings: PodMonitorSpecPodMetricsEndpointsRelabelings[],
  portNames: () => string[] = () => [],
): string | undefined {
  const endpoint = mesh.engine._translator.metricsEndpoint;
  if (!endpoint) return undefined; // an engine whose metrics are unknown: refused by monitoringEngineChecks
  const byNamespace = monitors.get(mesh) ?? new Map<string, NamespaceMonitors>();
  monitors.set(mesh, byNamespace);
  const namespaceMonitors = byNamespace.get(namespace) ?? { scrape, services: new Set<string>(), ports: new Map(), shards: 0 };
  byNamespace.set(namespace, namespaceMonitors);
  namespaceMonitors.services.add(service);
  namespaceMonitors.ports.set(service, portNames);
  const name = `${meshLabel(mesh)}-sidecars`;
  while (namespaceMonitors.shards * SERVICES_PER_POD_MONITOR < namespaceMonitors.services.size) {
    const shard = namespaceMonitors.shards++;
    const { services } = namespaceMonitors;
    new PodMonitor(mesh, shard === 0 ? `sidecar-monitor-${namespace}` : `sidecar-monitor-${namespace}-${shard}`, {
      metadata: { name: shard === 0 ? name : `${name}-${shard}`, namespace, labels: namespaceMonitors.scrape.labels },
      spec: {
        selector: {
          matchExpressions: [{
            key: SERVICE_LABEL,
            operator: 'In',
            values: Lazy.any({ produce: () => podMonitorShards(services)[shard] }) as unknown as string[],
          }],
        },
        podMetricsEndpoints: Lazy.any({
          // One endpoint per metrics port of the listed services' proxies: a sidecar split across several Envoys has one per Envoy.
          produce: () => [...new Set([endpoint.portName, ...podMonitorShards(services)[shard].flatMap(s => namespaceMonitors.ports.get(s)!())])]
            .map(port => ({
              port,
              path: endpoint.path,
              interval: namespaceMonitors.scrape.interval,
              relabelings: [
                ...relabelings,
                { targetLabel: MESH_LABEL, replacement: meshLabel(mesh) },
                // The Prometheus Operator names a PodMonitor's job `<namespace>/<name>`: every shard keeps the first one's.
                ...(namespaceMonitors.shards > 1 ? [{ targetLabel: 'job', replacement: `${namespace}/${name}` }] : []),
              ],
            })),
        }) as unknown as PodMonitorSpecPodMetricsEndpoints[],
      },
    });
  }
  const same = JSON.stringify(namespaceMonitors.scrape) === JSON.stringify(scrape);
  return same ? undefined
    : `the sidecars of namespace ${namespace} are scraped by one PodMonitor, with monitorLabels ${JSON.stringify(namespaceMonitors.scrape.labels ?? {})} `
      + `and scrapeInterval ${namespaceMonitors.scrape.interval}: give every MonitoredWorkload of the namespace the same`;
}
