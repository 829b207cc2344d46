import type * as kplus from 'cdk8s-plus-27';
import type { FailoverOptions } from '../failover/failover-policy';
import type { MeshService, MeshServiceProps } from '../mesh-service';
import type { EdgePeer } from '../security/edge-peer';
import type { JwtAuthenticationProps } from '../security/jwt-authentication';
import type { CallOptions } from '../traffic/call-options';
import type { ExternalService } from '../traffic/external-service';
import type { RateLimitScope } from '../traffic/rate-limit';
import type { HttpMethod, PathMatch } from '../traffic/route-match';
import type { WeightedRouteProps } from '../traffic/weighted-route';
import type { Workload } from '../workload';

/**
 * What the user declared, as plain records. Constructs append here and read
 * nothing back; the mesh model is built from these records once the graph is
 * complete. Each record names the construct path problems are reported at.
 */

/** A Deployment of a service: its main version, another version, or an instance pool. */
export interface WorkloadDeclaration {
  readonly service: MeshService;
  readonly version: string;
  readonly pool: string;
  /** Load-balancing weight of each pod among the pools of the version. */
  readonly weight: number;
  /** Kubernetes name of the Deployment and its headless Service. */
  readonly name: string;
  /** Its Deployment and headless Service. */
  readonly workload: Workload;
  /** Pods asked for, when the Deployment was created by the mesh. */
  readonly replicas?: number;
  /** Whether the mesh created the Deployment (false: adopted). */
  readonly created: boolean;
}

export interface ServiceDeclaration {
  readonly service: MeshService;
  readonly props: MeshServiceProps;
  /** The ConfigMap its static Envoy sidecar's configuration files go into (none with other engines). */
  readonly config?: kplus.ConfigMap;
}

/** What a service may call: a mesh service, or a service outside the mesh. */
export type Upstream = MeshService | ExternalService;

export interface CallDeclaration {
  readonly caller: MeshService;
  readonly upstream: Upstream;
  readonly options: CallOptions;
}

export interface ExposureDeclaration {
  readonly service: MeshService;
  readonly peer: EdgePeer;
  readonly port: number;
  readonly tlsSecret?: kplus.ISecret;
}

/** A `WeightedRoute`: its props, with the priority resolved. */
export interface RouteDeclaration extends WeightedRouteProps {
  readonly path: string;
  /** Lower first. */
  readonly priority: number;
}

export interface FailoverDeclaration {
  readonly path: string;
  readonly service: MeshService;
  readonly caller?: MeshService;
  readonly options: FailoverOptions;
}

export interface AuthorizationDeclaration {
  readonly path: string;
  readonly service: MeshService;
  readonly caller: MeshService;
  readonly paths: PathMatch[];
  readonly methods: HttpMethod[];
}

/** A `JwtAuthentication`: its props, and the provider name its construct id gives. */
export interface JwtDeclaration extends JwtAuthenticationProps {
  readonly path: string;
  /** The construct id, which names the provider. */
  readonly id: string;
  readonly providerName: string;
}

export interface MonitorDeclaration {
  readonly path: string;
  readonly service: MeshService;
  /** Latency bounds the service's objectives need in its sidecar's histograms (ms). */
  readonly latencyThresholdsMs: number[];
  /** The application's own metrics port, scraped besides the sidecar's. */
  readonly metricsPort?: number;
}

/** A problem found while declaring (for example a version declared twice), reported at synth with the rest. */
export interface RateLimitDeclaration {
  readonly path: string;
  readonly service: MeshService;
  readonly requests: number;
  readonly intervalMs: number;
  readonly burst?: number;
  readonly match?: PathMatch;
  readonly scope: RateLimitScope;
}

export interface ExternalServiceDeclaration {
  readonly path: string;
  readonly external: ExternalService;
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

  /** Records a declaration. */
  public record<K extends keyof DeclarationLists>(kind: K, declaration: DeclarationLists[K][number]): void {
    if (this.sealedBy) {
      throw new Error(`the mesh ${this.sealedBy} was already synthesized: declare every service, call and policy before synth`);
    }
    (this[kind] as Array<DeclarationLists[K][number]>).push(declaration);
  }

  /** Refuses further declarations: the model of the graph has been built. */
  public seal(meshPath: string): void {
    this.sealedBy = meshPath;
  }
}
