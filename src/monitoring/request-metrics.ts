import { HCM_PREFIX_LABEL, HTTP_RQ_TIME, HTTP_RQ_TOTAL, HTTP_RQ_XX, INBOUND_PREFIXES, outboundPrefix, RESPONSE_CLASS_LABEL, SERVICE_LABEL } from './metrics';
import { CrossNamespaceCall, envoyCallersView, ErrorsAndRequests, istioCallersView } from './caller-view';
import { Matcher, quote, regexEscape, selector } from './promql';
import { ServiceRef } from './types';
import {
  DESTINATION_SERVICE_NAME_LABEL, DESTINATION_SERVICE_NAMESPACE_LABEL, ISTIO_REQUEST_DURATION, ISTIO_REQUESTS_TOTAL, REPORTER_DESTINATION,
  REPORTER_LABEL, REPORTER_SOURCE, RESPONSE_CODE_LABEL, SERVER_ERROR_CODES,
} from '../engines/istio/metrics';

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
  /** Selector of the counter of requests. */
  requests(matchers: Matchers): string;
  /** Selector of the counter of requests answered with a 5xx status. */
  serverErrors(matchers: Matchers): string;
  /** Matchers of a caller's outbound series to `upstream`, besides the caller's `namespace` and `mesh_service`. */
  outboundTo(upstream: ServiceRef): Matchers;
  /** Outbound series summed by `namespace`, `mesh_service` and `outboundBy` (and `le`) as edges: labels `namespace`, `caller`, `upstream`. */
  asEdge(expr: string): string;
  /**
   * What the callers' proxies in mesh `mesh` saw of each upstream over
   * `window`, by the upstream's `mesh`, `namespace` and `mesh_service`,
   * without the replies a caller's own proxy made (see caller-view.ts).
   */
  callersView(mesh: string, window: string, crossNamespace: readonly CrossNamespaceCall[]): ErrorsAndRequests;
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
  outboundTo: upstream => ({ [HCM_PREFIX_LABEL]: outboundPrefix(upstream.name) }),
  outboundBy: [HCM_PREFIX_LABEL],
  asEdge: expr => {
    const upstream = `label_replace(${expr}, "upstream", "$1", ${quote(HCM_PREFIX_LABEL)}, "outbound_(.+)")`;
    return `sum without (${SERVICE_LABEL}, ${HCM_PREFIX_LABEL}) (${asCaller(upstream)})`;
  },
  callersView: envoyCallersView,
};

/**
 * Istio's sidecars (see istio-metrics.ts): a service's inbound traffic is
 * what its proxies report as `reporter="destination"` (every caller, ingress
 * gateways included), a caller's calls what its proxies report as
 * `reporter="source"`, the upstream named by `destination_service_name`
 * (Istio routes to subsets of the upstream's own Service, so that is the
 * upstream's name, also when no pod of it answered).
 */
export const ISTIO_REQUEST_METRICS: RequestMetrics = istioRequestMetrics([]);

/**
 * Istio's sidecars when routes send to a Service per version (Gateway API,
 * `<service>-<version>`): `destination_service_name` names the version's
 * Service, which is counted as a call to `service`.
 */
export function istioRequestMetrics(versionServices: readonly VersionServices[]): RequestMetrics {
  const versionsOf = (upstream: ServiceRef) =>
    versionServices.find(v => v.service === upstream.name && v.namespace === upstream.namespace)?.versions ?? [];
  return {
    proxy: 'istio',
    requests: matchers => selector(ISTIO_REQUESTS_TOTAL, matchers),
    serverErrors: matchers => selector(ISTIO_REQUESTS_TOTAL, { ...matchers, [RESPONSE_CODE_LABEL]: { regex: SERVER_ERROR_CODES } }),
    durationBucket: `${ISTIO_REQUEST_DURATION}_bucket`,
    inbound: { [REPORTER_LABEL]: REPORTER_DESTINATION },
    outbound: { [REPORTER_LABEL]: REPORTER_SOURCE },
    outboundTo: upstream => {
      const versions = versionsOf(upstream);
      return {
        [REPORTER_LABEL]: REPORTER_SOURCE,
        [DESTINATION_SERVICE_NAMESPACE_LABEL]: upstream.namespace,
        [DESTINATION_SERVICE_NAME_LABEL]: versions.length === 0 ? upstream.name : { regex: `${regexEscape(upstream.name)}(-(${versions.map(regexEscape).join('|')}))?` },
      };
    },
    outboundBy: [DESTINATION_SERVICE_NAME_LABEL],
    asEdge: expr => `sum without (${SERVICE_LABEL}, ${DESTINATION_SERVICE_NAME_LABEL}) (${asCaller(upstreamOf(expr))})`,
    callersView: (mesh, window) => istioCallersView(mesh, window, upstreamOf),
  };

  /** Adds `upstream`: `destination_service_name`, or the service of a version Service. */
  function upstreamOf(expr: string): string {
    const named = `label_replace(${expr}, "upstream", "$1", ${quote(DESTINATION_SERVICE_NAME_LABEL)}, "(.+)")`;
    return versionServices.reduce((acc, { service, versions }) =>
      `label_replace(${acc}, "upstream", ${quote(service)}, ${quote(DESTINATION_SERVICE_NAME_LABEL)}, ${quote(`${regexEscape(service)}-(${versions.map(regexEscape).join('|')})`)})`, named);
  }
}

/** The Services of a service's versions (`<service>-<version>`), which Gateway API routes send to. */
export interface VersionServices {
  readonly service: string;
  readonly namespace: string;
  readonly versions: readonly string[];
}

/** Adds `caller`, the scraped pod's service. */
function asCaller(expr: string): string {
  return `label_replace(${expr}, "caller", "$1", ${quote(SERVICE_LABEL)}, "(.+)")`;
}
