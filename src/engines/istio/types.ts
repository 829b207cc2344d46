/**
 * The parts of Istio's APIs the mesh emits (networking.istio.io/v1,
 * security.istio.io/v1, telemetry.istio.io/v1), as typed specs. Field names
 * follow Istio's CRDs; tests validate every emitted object against them.
 */

/** `StringMatch`: exactly one of the fields. */
export interface StringMatch {
  readonly exact?: string;
  readonly prefix?: string;
  readonly regex?: string;
}

export interface Destination {
  readonly host: string;
  readonly subset?: string;
}

export interface HttpMatchRequest {
  readonly uri?: StringMatch;
  readonly method?: StringMatch;
  readonly headers?: Record<string, StringMatch>;
  readonly queryParams?: Record<string, StringMatch>;
  readonly sourceLabels?: Record<string, string>;
  readonly sourceNamespace?: string;
}

export interface HttpRetry {
  readonly attempts: number;
  readonly perTryTimeout?: string;
  readonly retryOn?: string;
  readonly retryIgnorePreviousHosts?: boolean;
}

export interface HttpRoute {
  readonly name?: string;
  readonly match?: HttpMatchRequest[];
  readonly route: Array<{ readonly destination: Destination; readonly weight?: number }>;
  readonly timeout: string;
  readonly retries: HttpRetry;
  readonly mirror?: Destination;
  readonly mirrorPercentage?: { readonly value: number };
  readonly headers?: { readonly request: { readonly set?: Record<string, string>; readonly remove?: string[] } };
  readonly fault?: {
    readonly delay?: { readonly fixedDelay: string; readonly percentage: { readonly value: number } };
    readonly abort?: { readonly httpStatus: number; readonly percentage: { readonly value: number } };
  };
}

export interface TcpRoute {
  readonly match?: Array<{ readonly sourceLabels?: Record<string, string>; readonly sourceNamespace?: string }>;
  readonly route: Array<{ readonly destination: Destination; readonly weight?: number }>;
}

export interface VirtualServiceSpec {
  readonly hosts: string[];
  readonly http?: HttpRoute[];
  readonly tcp?: TcpRoute[];
}

export interface LoadBalancerSettings {
  readonly simple?: 'ROUND_ROBIN' | 'RANDOM' | 'LEAST_REQUEST';
  readonly consistentHash?: {
    readonly httpHeaderName?: string;
    readonly httpCookie?: { readonly name: string; readonly ttl?: string; readonly path?: string };
    readonly useSourceIp?: boolean;
    readonly ringHash?: { readonly minimumRingSize: number };
    readonly maglev?: { readonly tableSize: number };
  };
}

export interface TrafficPolicy {
  readonly loadBalancer?: LoadBalancerSettings;
  readonly connectionPool?: {
    readonly tcp: { readonly maxConnections: number };
    readonly http: { readonly http1MaxPendingRequests: number; readonly http2MaxRequests: number; readonly maxRetries: number };
  };
  readonly outlierDetection?: {
    readonly consecutive5xxErrors: number;
    readonly consecutiveGatewayErrors?: number;
    readonly interval: string;
    readonly baseEjectionTime: string;
    readonly maxEjectionPercent: number;
  };
  readonly tls?: { readonly mode: 'ISTIO_MUTUAL' | 'DISABLE' | 'SIMPLE'; readonly sni?: string; readonly subjectAltNames?: string[] };
}

export interface DestinationRuleSpec {
  readonly host: string;
  readonly trafficPolicy: TrafficPolicy;
  readonly subsets?: Array<{ readonly name: string; readonly labels: Record<string, string> }>;
}

export interface WorkloadSelector {
  readonly matchLabels: Record<string, string>;
}

export interface PeerAuthenticationSpec {
  readonly selector: WorkloadSelector;
  readonly mtls: { readonly mode: 'STRICT' | 'PERMISSIVE' | 'DISABLE' };
}

export interface AuthorizationRule {
  readonly from?: Array<{
    readonly source: {
      readonly principals?: string[];
      readonly namespaces?: string[];
      readonly ipBlocks?: string[];
      readonly notRequestPrincipals?: string[];
      readonly notPrincipals?: string[];
    };
  }>;
  readonly to?: Array<{ readonly operation: { readonly paths?: string[]; readonly notPaths?: string[]; readonly methods?: string[] } }>;
}

export interface AuthorizationPolicySpec {
  readonly selector: WorkloadSelector;
  readonly action: 'ALLOW' | 'DENY';
  readonly rules?: AuthorizationRule[];
}

export interface RequestAuthenticationSpec {
  readonly selector: WorkloadSelector;
  readonly jwtRules: Array<{
    readonly issuer: string;
    readonly jwksUri: string;
    readonly audiences?: string[];
    readonly forwardOriginalToken: boolean;
    readonly outputClaimToHeaders?: Array<{ readonly header: string; readonly claim: string }>;
  }>;
}

export interface SidecarSpec {
  readonly workloadSelector: { readonly labels: Record<string, string> };
  readonly egress: Array<{ readonly hosts: string[] }>;
  readonly outboundTrafficPolicy: { readonly mode: 'ALLOW_ANY' };
}

export interface ServiceEntrySpec {
  readonly hosts: string[];
  readonly ports: Array<{ readonly number: number; readonly name: string; readonly protocol: string; readonly targetPort?: number }>;
  readonly location: 'MESH_EXTERNAL';
  readonly resolution: 'DNS';
  readonly endpoints: Array<{ readonly address: string }>;
  readonly exportTo: string[];
}

export interface TelemetrySpec {
  readonly selector: WorkloadSelector;
  readonly tracing: Array<{
    readonly providers?: Array<{ readonly name: string }>;
    readonly randomSamplingPercentage?: number;
    readonly disableSpanReporting?: boolean;
  }>;
  readonly accessLogging: Array<{ readonly providers: Array<{ readonly name: string }>; readonly disabled: boolean }>;
}
