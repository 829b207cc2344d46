import { HTTP_RQ_TIME } from './metrics';

/** The names of the series the mesh's recording rules (`meshRecordingRules`) write, which alerts, SLOs and dashboards read. */

/** Latency quantiles recorded, in percent. */
export const QUANTILES = [50, 90, 99] as const;
export type Quantile = typeof QUANTILES[number];

/** Names of the series one set of RED rules records. */
export interface RedRecords {
  readonly rate: string;
  readonly errorRatio: string;
  readonly latency: Readonly<Record<Quantile, string>>;
}

function records(level: string): RedRecords {
  const latency = (q: Quantile) => `${level}:${HTTP_RQ_TIME}:p${q}_rate5m`;
  return {
    rate: `${level}:envoy_http_downstream_rq:rate5m`,
    errorRatio: `${level}:envoy_http_downstream_rq_errors:ratio_rate5m`,
    latency: { 50: latency(50), 90: latency(90), 99: latency(99) },
  };
}

/** Series recorded for a service's inbound traffic. */
export const INBOUND_RECORDS: RedRecords = records('mesh_service');
/** Series recorded for each edge from a caller to an upstream. */
export const EDGE_RECORDS: RedRecords = records('caller_upstream');
