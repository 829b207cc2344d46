export { Mesh, MeshProps, SidecarPorts } from './mesh';
export { MeshService, MeshServiceProps, InstancePoolOptions, VersionOptions, ExposeOptions } from './mesh-service';
export { WeightedRoute, WeightedRouteProps, HeaderRewrite } from './traffic/weighted-route';
export { FailoverPolicy, FailoverPolicyProps, FailoverOptions } from './failover/failover-policy';
export { RouteTarget } from './traffic/route-target';
export { HttpRouteMatch, PathMatch, HeaderMatch, QueryParameterMatch, HttpMethod } from './traffic/route-match';
export { Retry, RetryCondition, RetryOptions, RetryOnOptions } from './failover/retry';
export { OutlierDetection, OutlierDetectionOptions, SuccessRateOptions } from './failover/outlier-detection';
export { HealthCheck, HealthCheckOptions, HttpHealthCheckOptions } from './failover/health-check';
export { CircuitBreaker } from './failover/circuit-breaker';
export { Backup, HostBackupOptions } from './failover/backup';
export { FaultInjection } from './failover/fault-injection';
export {
  LoadBalancer, LeastRequestOptions, RingHashOptions, MaglevOptions, HashKey, CookieHashOptions,
} from './traffic/load-balancer';
export { Protocol } from './protocol';
export { AddressFormat, CallOptions } from './traffic/call-options';
export { RateLimit, RateLimitProps, RateLimitScope } from './traffic/rate-limit';
export { MtlsMode, TlsVersion, AuthorizationMode } from './security/mtls';
export { CertificateSource, SelfSignedCaOptions } from './security/certificate-source';
export { TrustBundle } from './security/trust-bundle';
export { AuthorizationPolicy, AuthorizationPolicyProps } from './security/authorization-policy';
export { EdgePeer } from './security/edge-peer';
export { JwtAuthentication, JwtAuthenticationProps } from './security/jwt-authentication';
export { JwksSource, RemoteJwksOptions } from './security/jwks-source';
export { JwtProviderOverlap } from './security/jwt-rules';
export { MonitoredWorkload, MonitoredWorkloadProps, AlertThresholds } from './monitoring/monitored-workload';
export { MeshDashboard, MeshDashboardProps } from './monitoring/mesh-dashboard';
export { Objective, LatencyObjectiveOptions } from './monitoring/objective';
