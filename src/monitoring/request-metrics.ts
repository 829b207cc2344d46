import type { AlertFactory } from './alert-factory';
import { envoyCallersView, ErrorsAndRequests } from './caller-view';
import { asCaller } from './edge-info';
import { HCM_PREFIX_LABEL, HTTP_RQ_TIME, HTTP_RQ_TOTAL, HTTP_RQ_XX, INBOUND_PREFIXES, RESPONSE_CLASS_LABEL, SERVICE_LABEL } from './metrics';
import { Matcher, quote, selector } from './promql';
import { envoyClusterAlerts } from './proxy-alerts';
import { PromRule } from './types';

/** Label matchers, by label. */
export type Matchers = Record<string, Matcher>;

/**
 * Where the request metrics of a mesh's proxies come from: which series count
 * requests, 5xx responses and durations, and which of them are a service's
 * inbound traffic or a caller's calls to an upstream. Every series also
 * carries the PodMonitor's target labels `namespace`, `mesh_service` (the
 * scraped pod's service) and `mesh`, whatever the proxy.
 */
export interface RequestMetrics {
  /** Which proxies export the series: the mesh's own Envoy sidecars or Istio's. */
  readonly proxy: 'envoy' | 'istio';
  /** Name of the `_bucket` series of the request duration histogram (milliseconds). */
  readonly durationBucket: string;
  /** Matchers of a service's inbound series, besides its `namespace` and `mesh_service`: what its own proxies received. */
  readonly inbound: Matchers;
  /** Matchers of every caller's outbound series. */
  readonly outbound: Matchers;
  /** Labels of the outbound series that tell the upstream apart: sum by them (with `namespace` and `mesh_service`) before `asEdge`. */
  readonly outboundBy: readonly string[];
  /**
   * The label of the outbound series that names the Kubernetes Service a call
   * went to, when routes send to a Service per version (`<service>-<version>`)
   * and the metrics name it: each caller's own rules then list the version
   * Services of its upstreams (`versionServiceInfoRule`), which `asEdge` and
   * `callersView` read to count such a call as a call to its service.
   * @default - the metrics name the upstream's own Service
   */
  readonly versionServiceLabel?: string;
  /** Selector of the counter of requests. */
  requests(matchers: Matchers): string;
  /** Selector of the counter of requests answered with a 5xx status. */
  serverErrors(matchers: Matchers): string;
  /**
   * Outbound series of mesh `mesh` summed by `namespace`, `mesh_service` and
   * `outboundBy` (and `le`) as edges: labels `namespace`, `caller`, `upstream`.
   */
  asEdge(expr: string, mesh: string): string;
  /**
   * What the callers' proxies in mesh `mesh` saw of each upstream over
   * `window`, by the upstream's `mesh`, `namespace` and `mesh_service`,
   * without the replies a caller's own proxy made (see caller-view.ts).
   */
  callersView(mesh: string, window: string): ErrorsAndRequests;
  /**
   * Alerts on the resilience mechanisms of the proxies of the services of
   * `a`'s mesh and profile toward their upstreams (outlier detection, circuit
   * breakers), as far as the proxies' metrics tell.
   */
  proxyAlerts(a: AlertFactory): PromRule[];
}

/**
 * The mesh's own Envoy sidecars (see metrics.ts): HTTP connection managers
 * `inbound` and `edge_<port>` receive a service's traffic, `outbound_<upstream>`
 * sends a caller's requests to one upstream.
 */
export const ENVOY_REQUEST_METRICS: RequestMetrics = {
  proxy: 'envoy',
  requests: matchers => selector(HTTP_RQ_TOTAL, matchers),
  serverErrors: matchers => selector(HTTP_RQ_XX, { ...matchers, [RESPONSE_CLASS_LABEL]: '5' }),
  durationBucket: `${HTTP_RQ_TIME}_bucket`,
  inbound: { [HCM_PREFIX_LABEL]: { regex: INBOUND_PREFIXES } },
  outbound: { [HCM_PREFIX_LABEL]: { regex: 'outbound_.+' } },
  outboundBy: [HCM_PREFIX_LABEL],
  asEdge: expr => {
    const upstream = `label_replace(${expr}, "upstream", "$1", ${quote(HCM_PREFIX_LABEL)}, "outbound_(.+)")`;
    return `sum without (${SERVICE_LABEL}, ${HCM_PREFIX_LABEL}) (${asCaller(upstream)})`;
  },
  callersView: envoyCallersView,
  proxyAlerts: envoyClusterAlerts,
};
