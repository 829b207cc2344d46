import { isDnsName, isPort } from '../value-checks';

/** Options of `Tracing.openTelemetry()`. */
export interface OpenTelemetryTracingOptions {
  /**
   * DNS name of the OpenTelemetry collector's OTLP/gRPC endpoint, for example
   * `otel-collector.observability.svc.cluster.local`.
   */
  readonly collectorHost: string;
  /**
   * Port of the collector's OTLP/gRPC endpoint.
   * @default 4317
   */
  readonly collectorPort?: number;
  /**
   * Percentage of the requests whose traces are kept (0-100). Since Envoy
   * 1.39 a sidecar decides from Envoy's own inputs, not from the sampled flag
   * of a W3C `traceparent`: a request keeps its caller's decision when the
   * application forwards `x-request-id` too (Envoy marks the decision in it);
   * otherwise each sidecar samples at this rate on its own.
   * @default 1
   */
  readonly samplingPercent?: number;
}

/** What the sidecars trace, and where they send spans. @internal */
export interface TracingSpec {
  readonly collectorHost: string;
  readonly collectorPort: number;
  readonly samplingPercent: number;
}

/**
 * Distributed tracing from every sidecar. Each request is a span at every
 * sidecar it crosses (the caller's outbound listener, the service's inbound
 * or edge listener), named after the service, propagated with W3C
 * `traceparent`/`tracestate` headers, which applications must copy from each
 * request they receive to the requests it makes.
 */
export abstract class Tracing {
  /** Envoy's OpenTelemetry tracer, sending spans over OTLP/gRPC to a collector. */
  public static openTelemetry(options: OpenTelemetryTracingOptions): Tracing {
    return new OpenTelemetryTracing(options);
  }

  /** The settings, for the planners. @internal */
  public abstract _spec(): TracingSpec;
  /** Problems with the settings. @internal */
  public abstract _validate(): string[];
}

class OpenTelemetryTracing extends Tracing {
  constructor(private readonly options: OpenTelemetryTracingOptions) {
    super();
  }

  public _spec(): TracingSpec {
    const { collectorHost, collectorPort = 4317, samplingPercent = 1 } = this.options;
    return { collectorHost, collectorPort, samplingPercent };
  }

  public _validate(): string[] {
    const { collectorHost, collectorPort, samplingPercent } = this._spec();
    return [
      ...(isDnsName(collectorHost) ? [] : [`tracing collectorHost '${collectorHost}' is not a DNS name: give the collector's Service name, e.g. otel-collector.observability.svc.cluster.local`]),
      ...(isPort(collectorPort) ? [] : [`tracing collectorPort ${collectorPort} is not a valid port: use an integer from 1 to 65535`]),
      ...(Number.isFinite(samplingPercent) && samplingPercent >= 0 && samplingPercent <= 100 ? []
        : [`tracing samplingPercent ${samplingPercent} is invalid: use a percentage from 0 to 100`]),
    ];
  }
}
