import { Protocol } from '../protocol';
import { ClusterLbSettings, RouteHashPolicy } from './types';

/**
 * What one sidecar must do, computed from the service graph at synth.
 * The Envoy renderers are pure functions of this plan.
 */
export interface SidecarPlan {
  /** Kubernetes name of the service this sidecar belongs to. */
  readonly service: string;
  readonly namespace: string;
  readonly ports: SidecarPortPlan;
  /** The application behind the sidecar, reached on loopback. */
  readonly app: { readonly port: number; readonly protocol: Protocol };
  /** Upstreams the application calls, sorted by name. */
  readonly upstreams: UpstreamPlan[];
}

export interface SidecarPortPlan {
  readonly admin: number;
  readonly inbound: number;
  readonly stats: number;
}

/** One upstream as seen from a caller's pod. */
export interface UpstreamPlan {
  /** Kubernetes Service name of the upstream. */
  readonly name: string;
  readonly protocol: Protocol;
  /** Loopback address and port the outbound listener binds. */
  readonly listen: { readonly address: string; readonly port: number };
  /** One Envoy cluster per version of the upstream. */
  readonly clusters: ClusterPlan[];
  /** The version clusters traffic is sent to, with weights summing to 100. */
  readonly split: Array<{ readonly cluster: string; readonly weight: number }>;
  readonly loadBalancing: LoadBalancingPlan;
}

/** How requests are spread over the endpoints of a cluster. */
export interface LoadBalancingPlan {
  readonly cluster: ClusterLbSettings;
  /** Route-level hash policy for consistent hashing (HTTP). */
  readonly hashPolicy?: RouteHashPolicy[];
  /** Hash on the caller's address for TCP upstreams. */
  readonly tcpSourceIpHash?: boolean;
}

export interface ClusterPlan {
  readonly name: string;
  /** Endpoint groups (DNS names resolved to every ready pod), with relative weights. */
  readonly endpoints: EndpointGroupPlan[];
}

export interface EndpointGroupPlan {
  readonly host: string;
  readonly port: number;
  /** Relative load-balancing weight of every host resolved from this group. */
  readonly weight?: number;
  /** 0 is primary; higher priorities take traffic only when lower ones are unhealthy. */
  readonly priority: number;
}
