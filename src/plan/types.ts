import { CircuitBreakerSpec } from '../failover/circuit-breaker';
import { FaultSpec } from '../failover/fault-injection';
import { HealthCheckSpec } from '../failover/health-check';
import { OutlierDetectionSpec } from '../failover/outlier-detection';
import { RetrySpec } from '../failover/retry';
import { Protocol } from '../protocol';
import { JwtRulePlan } from '../security/jwt-rules';
import { TlsVersion } from '../security/mtls';
import { LoadBalancingSpec } from '../traffic/load-balancer';
import { HttpRouteMatch, PathMatch } from '../traffic/route-match';

/**
 * What one sidecar must do, computed from the service graph at synth.
 * The Envoy renderers are pure functions of this plan.
 */
export interface SidecarPlan {
  /** Path of the construct that made it, named in its Envoy metadata. */
  readonly source?: string;
  /** Kubernetes name of the service this sidecar belongs to. */
  readonly service: string;
  readonly namespace: string;
  readonly ports: SidecarPortPlan;
  /** The application behind the sidecar, reached on loopback. */
  readonly app: { readonly port: number; readonly protocol: Protocol };
  /** Upstreams the application calls, sorted by name. */
  readonly upstreams: UpstreamPlan[];
  readonly security: SecurityPlan;
  /** JSON access logs to stdout on every listener but stats. */
  readonly accessLogs: boolean;
  /** Extra latency histogram bounds (ms), for latency objectives. */
  readonly latencyBucketsMs?: number[];
  /** Rate limits on the requests of callers, if any. */
  readonly rateLimits?: InboundRateLimitPlan;
  /** Where the sidecar sends spans, if tracing is on. */
  readonly tracing?: TracingPlan;
}

/** Distributed tracing: spans of every HTTP listener to an OpenTelemetry collector. */
export interface TracingPlan {
  /** Path of the construct that made it, named in its Envoy metadata. */
  readonly source?: string;
  readonly collectorHost: string;
  readonly collectorPort: number;
  /** Share of new traces kept, 0-100. */
  readonly samplingPercent: number;
}

/** The token bucket of one rate limit, per pod. */
export interface RateLimitPlan {
  /** Path of the `RateLimit`, named in its route's Envoy metadata. */
  readonly source?: string;
  /** The requests it counts; undefined: every request no earlier limit counts. */
  readonly path?: PathMatch;
  readonly tokensPerFill: number;
  readonly maxTokens: number;
  readonly fillIntervalMs: number;
}

/** The rate limits of a service's inbound and edge listeners. */
export interface InboundRateLimitPlan {
  /** In the order Envoy tries them: limits with a path as declared, then the one for every other request. */
  readonly limits: RateLimitPlan[];
  /** Health-check paths of the service's callers, never limited: a limited probe would mark healthy pods unhealthy. */
  readonly exemptPaths: string[];
}

/** Transport security and authorization of a sidecar. */
export interface SecurityPlan {
  readonly mtls: 'STRICT' | 'PERMISSIVE' | 'DISABLED';
  /** Oldest TLS version accepted, client or server. */
  readonly tlsMinimumVersion: TlsVersion;
  /** Whether the mesh CA comes from the mounted trust bundle rather than the workload certificate's `ca.crt`. */
  readonly trustBundle: boolean;
  /** Who may call this service; undefined when callers cannot be identified (mTLS disabled). */
  readonly authorization?: AuthorizationPlan;
  /** Listeners open to callers outside the mesh. */
  readonly edges: EdgePlan[];
  /** End-user authentication, if any path requires a token. */
  readonly jwt?: JwtPlan;
}

/** The jwt_authn filter's providers and rules, and the clusters that fetch remote keys. */
export interface JwtPlan {
  readonly providers: JwtProviderPlan[];
  /** In the order Envoy tries them (first match). */
  readonly rules: JwtRulePlan[];
  /** Headers jwt_authn writes (claims), stripped from incoming requests before it runs; sorted. */
  readonly headersWritten: string[];
  readonly jwksClusters: Array<{ readonly name: string; readonly host: string; readonly port: number; readonly source?: string }>;
}

/** One token issuer and the keys that verify its tokens. */
export interface JwtProviderPlan {
  readonly name: string;
  readonly issuer: string;
  /** Accepted audiences; empty accepts any. */
  readonly audiences: string[];
  /** Keys fetched from `uri` through `cluster`, or read from a mounted `file`. */
  readonly keys: { readonly uri: string; readonly cluster: string; readonly cacheDurationMs: number } | { readonly file: string };
  /** Whether the token is passed on to the application. */
  readonly forwardToken: boolean;
  /** Claims copied into request headers. */
  readonly claimHeaders: Array<{ readonly claim: string; readonly header: string }>;
}

/** A listener for callers outside the mesh: no client certificate, no identity. */
export interface EdgePlan {
  readonly port: number;
  /** Server TLS with a certificate from a mounted Secret. */
  readonly tls: boolean;
}

export interface AuthorizationPlan {
  readonly mode: 'ENFORCE' | 'DRY_RUN';
  /** The declared callers, sorted by name. */
  readonly callers: CallerPlan[];
}

export interface CallerPlan {
  /** The caller's service name (the policy name). */
  readonly name: string;
  /** The caller's SPIFFE identity. */
  readonly principal: string;
  /** What the caller may request; empty allows everything. */
  readonly rules: CallerRulePlan[];
}

/** Requests matching one of `paths` (if any) and one of `methods` (if any). */
export interface CallerRulePlan {
  readonly paths: PathMatch[];
  readonly methods: string[];
}

export interface SidecarPortPlan {
  readonly admin: number;
  readonly inbound: number;
  readonly stats: number;
}

/** One upstream as seen from a caller's pod. */
export interface UpstreamPlan {
  /** Path of the construct that made it (the caller's), named in its Envoy metadata. */
  readonly source?: string;
  /** Path of the upstream's construct, named in the metadata of its virtual host. */
  readonly upstreamSource?: string;
  /** Kubernetes Service name of the upstream. */
  readonly name: string;
  readonly protocol: Protocol;
  /** Loopback address and port the outbound listener binds. */
  readonly listen: { readonly address: string; readonly port: number };
  /** The Envoy clusters the routes use: one per version of a service. */
  readonly clusters: ClusterPlan[];
  /** Routes in the order they are tried; the last one matches every request. */
  readonly routes: RoutePlan[];
  readonly loadBalancing: LoadBalancingSpec;
  /** Faults to inject, for resilience tests. */
  readonly fault?: FaultSpec;
}

/** A share of a route's requests. */
export interface SplitPlan {
  readonly cluster: string;
  readonly weight: number;
}

export interface RoutePlan {
  /** Path of the construct that made it, named in its Envoy metadata. */
  readonly source?: string;
  readonly match: HttpRouteMatch;
  /** Target clusters with weights summing to 100. */
  readonly split: SplitPlan[];
  readonly timeoutMs?: number;
  readonly idleTimeoutMs?: number;
  readonly retry?: RetrySpec;
  readonly mirror?: { readonly cluster: string; readonly percent: number };
  readonly headersToSet?: Record<string, string>;
  readonly headersToRemove?: string[];
  /** Send the upstream host's DNS name as `Host`, not the name the application called (hosts outside the mesh). */
  readonly rewriteHost?: boolean;
}

export interface ClusterPlan {
  /** Path of the construct that made it, named in its Envoy metadata. */
  readonly source?: string;
  readonly name: string;
  /** Endpoint groups (DNS names resolved to every ready pod), with relative weights. */
  readonly endpoints: EndpointGroupPlan[];
  /** Mutual TLS to the cluster's mesh endpoints, verifying their identities. */
  readonly tls?: { readonly sni: string; readonly spiffeIds: string[] };
  readonly outlierDetection?: OutlierDetectionSpec;
  readonly circuitBreaker?: CircuitBreakerSpec;
  readonly healthCheck?: HealthCheckSpec;
  /** Requests carry each endpoint's `hostname` as `Host`: the routes to this cluster rewrite it. */
  readonly rewriteHost?: boolean;
}

export interface EndpointGroupPlan {
  readonly host: string;
  readonly port: number;
  /** Relative load-balancing weight of every host resolved from this group. */
  readonly weight?: number;
  /** 0 is primary; higher priorities take traffic only when lower ones are unhealthy. */
  readonly priority: number;
  /**
   * The name these endpoints answer to: the service's name for a mesh service,
   * the host's own name for a host outside the mesh. HTTP health checks carry
   * it as `Host` (else Envoy would send the cluster's name), and so do requests
   * when the cluster's routes rewrite `Host`.
   */
  readonly hostname?: string;
  /** A host outside the mesh: plaintext, or TLS verified against public CAs. */
  readonly external?: { readonly tls: boolean };
}
