import type * as kplus from 'cdk8s-plus-27';
import type { ExternalRef } from './external-ref';
import type { ServiceRef } from './refs';
import type { FailoverOptions } from '../failover/failover-options';
import type { EdgePeer } from '../security/edge-peer';
import type { JwtAuthenticationOptions } from '../security/jwt-options';
import type { CallOptions } from '../traffic/call-options';
import type { LoadBalancer } from '../traffic/load-balancer';
import type { RateLimitScope } from '../traffic/rate-limit-scope';
import type { HttpMethod, PathMatch } from '../traffic/route-match';
import type { WeightedRouteOptions } from '../traffic/route-options';

/**
 * What the user declared, as plain records. Constructs append here and read
 * nothing back; the mesh model is built from these records once the graph is
 * complete. Each record names the construct path problems are reported at.
 */

/** A Deployment of a service: its main version, another version, or an instance pool. */
export interface WorkloadDeclaration {
  readonly service: ServiceRef;
  readonly version: string;
  readonly pool: string;
  /** Load-balancing weight of each pod among the pools of the version. */
  readonly weight: number;
  /** Kubernetes name of the Deployment and its headless Service. */
  readonly name: string;
  /** Its pods: what synth wires into them, and what the checks read of them. */
  readonly workload: WorkloadHandle;
  /** Pods asked for, when the Deployment was created by the mesh. */
  readonly replicas?: number;
  /** Whether the mesh created the Deployment (false: adopted). */
  readonly created: boolean;
}

export interface ServiceDeclaration {
  readonly service: ServiceRef;
  readonly props: ServiceSource;
}

/** What a `MeshService` was given, as the checks read it. */
export interface ServiceSource {
  readonly image?: string;
  readonly deployment?: kplus.Deployment;
  readonly statefulSet?: kplus.StatefulSet;
  readonly resources?: kplus.ContainerResources;
  readonly envVariables?: { [name: string]: kplus.EnvValue };
  readonly loadBalancer?: LoadBalancer;
}

/** What a service may call: a mesh service, or a service outside the mesh. */
export type Upstream = ServiceRef | ExternalRef;

export interface CallDeclaration {
  readonly caller: ServiceRef;
  readonly upstream: Upstream;
  readonly options: CallOptions;
}

export interface ExposureDeclaration {
  readonly service: ServiceRef;
  readonly peer: EdgePeer;
  readonly port: number;
  readonly tlsSecret?: kplus.ISecret;
}

/** A `WeightedRoute`, with its priority resolved. */
export interface RouteDeclaration extends WeightedRouteOptions {
  readonly path: string;
  readonly service: ServiceRef;
  readonly caller?: ServiceRef;
  /** Lower first. */
  readonly priority: number;
}

export interface FailoverDeclaration {
  readonly path: string;
  readonly service: ServiceRef;
  readonly caller?: ServiceRef;
  readonly options: FailoverOptions;
}

export interface AuthorizationDeclaration {
  readonly path: string;
  readonly service: ServiceRef;
  readonly caller: ServiceRef;
  readonly paths: PathMatch[];
  readonly methods: HttpMethod[];
}

/** A `JwtAuthentication`, and the provider name its construct id gives. */
export interface JwtDeclaration extends JwtAuthenticationOptions {
  readonly path: string;
  readonly service: ServiceRef;
  /** The construct id, which names the provider. */
  readonly id: string;
  readonly providerName: string;
}

export interface MonitorDeclaration {
  readonly path: string;
  readonly service: ServiceRef;
  /** Latency bounds the service's objectives need in its sidecar's histograms (ms). */
  readonly latencyThresholdsMs: number[];
  /** The application's own metrics port, scraped besides the sidecar's. */
  readonly metricsPort?: number;
}

/** A problem found while declaring (for example a version declared twice), reported at synth with the rest. */
export interface RateLimitDeclaration {
  readonly path: string;
  readonly service: ServiceRef;
  readonly requests: number;
  readonly intervalMs: number;
  readonly burst?: number;
  readonly match?: PathMatch;
  readonly scope: RateLimitScope;
}

export interface ExternalServiceDeclaration {
  readonly path: string;
  readonly external: ExternalRef;
}

export interface DeclarationProblem {
  readonly path: string;
  readonly message: string;
}

/** The lists of declarations, by kind. */
export interface DeclarationLists {
  readonly services: ServiceDeclaration[];
  readonly workloads: WorkloadDeclaration[];
  readonly calls: CallDeclaration[];
  readonly exposures: ExposureDeclaration[];
  readonly routes: RouteDeclaration[];
  readonly failoverPolicies: FailoverDeclaration[];
  readonly authorizationPolicies: AuthorizationDeclaration[];
  readonly jwtProviders: JwtDeclaration[];
  readonly monitors: MonitorDeclaration[];
  readonly rateLimits: RateLimitDeclaration[];
  readonly externalServices: ExternalServiceDeclaration[];
  readonly problems: DeclarationProblem[];
}

/** Everything declared in one mesh, in declaration order. */
export class MeshDeclarations implements DeclarationLists {
  public readonly services: ServiceDeclaration[] = [];
  public readonly workloads: WorkloadDeclaration[] = [];
  public readonly calls: CallDeclaration[] = [];
  public readonly exposures: ExposureDeclaration[] = [];
  public readonly routes: RouteDeclaration[] = [];
  public readonly failoverPolicies: FailoverDeclaration[] = [];
  public readonly authorizationPolicies: AuthorizationDeclaration[] = [];
  public readonly jwtProviders: JwtDeclaration[] = [];
  public readonly monitors: MonitorDeclaration[] = [];
  public readonly rateLimits: RateLimitDeclaration[] = [];
  public readonly externalServices: ExternalServiceDeclaration[] = [];
  public readonly problems: DeclarationProblem[] = [];
  private sealedBy?: string;
  private readonly callsByCaller = new Map<ServiceRef, CallDeclaration[]>();

  /** Records a declaration. */
  public record<K extends keyof DeclarationLists>(kind: K, declaration: DeclarationLists[K][number]): void {
    if (this.sealedBy) {
      throw new Error(`the mesh ${this.sealedBy} was already synthesized: declare every service, call and policy before synth`);
    }
    (this[kind] as Array<DeclarationLists[K][number]>).push(declaration);
    if (kind === 'calls') {
      const call = declaration as CallDeclaration;
      const calls = this.callsByCaller.get(call.caller);
      if (calls) calls.push(call);
      else this.callsByCaller.set(call.caller, [call]);
    }
  }

  /** The calls `caller` declared, in declaration order. */
  public callsOf(caller: ServiceRef): readonly CallDeclaration[] {
    return this.callsByCaller.get(caller) ?? [];
  }

  /** Refuses further declarations: the model of the graph has been built. */
  public seal(meshPath: string): void {
    this.sealedBy = meshPath;
  }
}

/** What synth and the checks need of a service's pods (a `Workload` of the mesh service). */
export interface WorkloadHandle {
  /** The Deployment or StatefulSet. */
  readonly pods: kplus.Deployment | kplus.StatefulSet;
  /** Points `hostnames` at `address` in the pods (when there are both), and sets the upstream's variables. */
  addUpstream(address: string | undefined, hostnames: string[], variables: Record<string, string>): void;
  /** Lets the pods bind ports from `port` up without privileges. */
  allowUnprivilegedPortsFrom(port: number): void;
  /** Opens an edge port on the engine's proxy in the pods, with its server certificate if any. */
  addEdgePort(port: number, tlsSecret?: kplus.ISecret): void;
  /** Mounts a volume read-only into the engine's proxy in the pods. */
  mountIntoProxy(path: string, volume: kplus.Volume): void;
  /** Drops every capability of the pod's own containers that do not drop them all (Pod Security "restricted"). */
  dropAllCapabilities(): void;
}
