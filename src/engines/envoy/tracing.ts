import { HttpTracing, TYPE_URL } from './types';
import { TracingPlan } from '../../plan/types';

/** Name of the cluster that reaches the OpenTelemetry collector. */
export const COLLECTOR_CLUSTER = '_otel_collector';

/**
 * An HTTP connection manager's tracing: a span per request, named after the
 * service, exported over OTLP/gRPC. Envoy's OpenTelemetry tracer reads and
 * writes W3C `traceparent`/`tracestate` (source/extensions/tracers/opentelemetry/);
 * since Envoy 1.39 it follows Envoy's own decision (the trace reason the first
 * sidecar marks in `x-request-id`, else `random_sampling`, whose default is
 * 100%), not the sampled flag of an incoming `traceparent` (Envoy 1.39.0
 * changelog, tracing).
 */
export function renderTracing(plan: TracingPlan, service: string, options: { edge?: boolean } = {}): HttpTracing {
  return {
    ...(options.edge && { client_sampling: { value: 0 } }),
    random_sampling: { value: plan.samplingPercent },
    provider: {
      name: 'envoy.tracers.opentelemetry',
      typed_config: {
        '@type': `${TYPE_URL}envoy.config.trace.v3.OpenTelemetryConfig`,
        'grpc_service': { envoy_grpc: { cluster_name: COLLECTOR_CLUSTER }, timeout: '1s' },
        'service_name': service,
      },
    },
  };
}
