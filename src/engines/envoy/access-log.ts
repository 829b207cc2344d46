import { AccessLog, TYPE_URL } from './types';

/**
 * The fields of every access log line, written as JSON to the sidecar's
 * stdout (Envoy command operators in the values).
 *
 * | field | meaning |
 * | --- | --- |
 * | `start_time` | when the request started |
 * | `listener` | `inbound`, `outbound_<upstream>` or `edge_<port>` |
 * | `method`, `path`, `authority`, `protocol` | the HTTP request (empty for TCP) |
 * | `response_code`, `response_flags` | the answer, and Envoy's reason flags (UH: no healthy host, UO: circuit breaker overflow, ...) |
 * | `duration_ms`, `bytes_received`, `bytes_sent` | the exchange |
 * | `upstream_cluster`, `upstream_host` | where the request went |
 * | `peer` | the caller's SPIFFE identity (inbound with mTLS) |
 * | `request_id`, `user_agent` | request headers |
 */
export const ACCESS_LOG_FIELDS: Record<string, string> = {
  start_time: '%START_TIME%',
  method: '%REQ(:METHOD)%',
  path: '%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%',
  authority: '%REQ(:AUTHORITY)%',
  protocol: '%PROTOCOL%',
  response_code: '%RESPONSE_CODE%',
  response_flags: '%RESPONSE_FLAGS%',
  duration_ms: '%DURATION%',
  bytes_received: '%BYTES_RECEIVED%',
  bytes_sent: '%BYTES_SENT%',
  upstream_cluster: '%UPSTREAM_CLUSTER%',
  upstream_host: '%UPSTREAM_HOST%',
  peer: '%DOWNSTREAM_PEER_URI_SAN%',
  request_id: '%REQ(X-REQUEST-ID)%',
  user_agent: '%REQ(USER-AGENT)%',
};

/**
 * A JSON access log to stdout, tagged with the listener it comes from; with
 * tracing on, each line carries its `trace_id` too (Envoy's `%TRACE_ID%`).
 */
export function stdoutAccessLog(listener: string, options: { traceId?: boolean } = {}): AccessLog[] {
  return [{
    name: 'envoy.access_loggers.stdout',
    typed_config: {
      '@type': `${TYPE_URL}envoy.extensions.access_loggers.stream.v3.StdoutAccessLog`,
      'log_format': { json_format: { listener, ...ACCESS_LOG_FIELDS, ...(options.traceId && { trace_id: '%TRACE_ID%' }) } },
    },
  }];
}
