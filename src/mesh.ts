import { Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { meshDiagram } from './diagram';
import { retryAmplification, timeoutBudgets } from './graph-analysis';
import type { MeshService } from './mesh-service';
import { invalidDnsLabel, isDnsName } from './names';
import { CertificateSource } from './security/certificate-source';
import { AuthorizationMode, MtlsMode, TlsVersion } from './security/mtls';
import { servicesReached } from './upstream-plan';

/** Ports the Envoy sidecar uses inside every mesh pod. */
export interface SidecarPorts {
  /**
   * Envoy's admin interface, bound to 127.0.0.1 only.
   * @default 15000
   */
  readonly admin?: number;
  /**
   * The inbound listener: every Service of a mesh workload targets this port.
   * @default 15006
   */
  readonly inbound?: number;
  /**
   * Prometheus metrics (`/stats/prometheus`) and readiness (`/ready`).
   * @default 15090
   */
  readonly stats?: number;
}

/** Mesh-wide settings. */
export interface MeshProps {
  /**
   * Namespace of the mesh's services (a service may name another).
   * @default - the chart's namespace, or `default`
   */
  readonly namespace?: string;
  /**
   * DNS domain of the Kubernetes cluster.
   * @default 'cluster.local'
   */
  readonly clusterDomain?: string;
  /**
   * Envoy image of every sidecar, pinned to a release tag or a digest.
   * @default Mesh.DEFAULT_ENVOY_IMAGE
   */
  readonly envoyImage?: string;
  /**
   * Resources of every sidecar container.
   * @default - requests 100m CPU and 128Mi memory, limits 1 CPU and 256Mi memory
   */
  readonly sidecarResources?: kplus.ContainerResources;
  /**
   * Ports the sidecar uses; they must not collide with application ports.
   * @default - admin 15000, inbound 15006, stats 15090
   */
  readonly ports?: SidecarPorts;
  /**
   * How long a terminating sidecar keeps serving, so callers stop sending to
   * it (they re-resolve endpoints every 5 s) before it exits.
   * @default Duration.seconds(10)
   */
  readonly drainDuration?: Duration;
  /**
   * Largest number of requests one request may become along a call path
   * through retries (the product of attempts per hop); above it, synth fails.
   * @default 10
   */
  readonly maxRetryAmplification?: number;
  /**
   * Trust domain of the mesh's SPIFFE identities
   * (`spiffe://<trustDomain>/ns/<namespace>/sa/<service account>`).
   * @default 'cluster.local'
   */
  readonly trustDomain?: string;
  /**
   * How sidecars authenticate each other.
   * @default MtlsMode.STRICT
   */
  readonly mtls?: MtlsMode;
  /**
   * Where the sidecars' certificates come from; required unless mTLS is disabled.
   * @default - none: synth fails with STRICT or PERMISSIVE mTLS
   */
  readonly certificates?: CertificateSource;
  /**
   * Lifetime of workload certificates (at least one hour).
   * @default Duration.hours(24)
   */
  readonly certificateDuration?: Duration;
  /**
   * How long before expiry a workload certificate is renewed.
   * @default Duration.hours(8)
   */
  readonly certificateRenewBefore?: Duration;
  /**
   * Oldest TLS version between sidecars.
   * @default TlsVersion.TLS_1_2
   */
  readonly tlsMinimumVersion?: TlsVersion;
  /**
   * Whether callers that were not declared are refused or only logged.
   * @default AuthorizationMode.ENFORCE
   */
  readonly authorization?: AuthorizationMode;
  /**
   * Whether every service gets a NetworkPolicy admitting only its callers
   * (on the sidecar's inbound port) and monitoring (on the metrics port).
   * @default true
   */
  readonly networkPolicies?: boolean;
  /**
   * Namespace of the Prometheus that scrapes the sidecars' metrics port.
   * @default 'monitoring'
   */
  readonly monitoringNamespace?: string;
  /**
   * JSON access logs from every sidecar to stdout (fields: see the README).
   * @default false
   */
  readonly accessLogs?: boolean;
  /**
   * Also limit what mesh pods may connect to: DNS (kube-dns in kube-system),
   * the pods of the services they call (routes and backups included), and
   * the ports of external hosts they use (backups, JWKS).
   * @default false
   */
  readonly restrictEgress?: boolean;
}

/**
 * A service mesh: mesh-wide defaults and the registry of its services and the
 * calls between them. Everything the mesh needs is synthesized from this
 * graph; nothing runs besides Kubernetes and the Envoy sidecars.
 */
export class Mesh extends Construct {
  /** The Envoy release used when `envoyImage` is not set. */
  public static readonly DEFAULT_ENVOY_IMAGE = 'envoyproxy/envoy:v1.32.3';

  /** Default namespace of the mesh's services. */
  public readonly namespace: string;
  /** DNS domain of the cluster. */
  public readonly clusterDomain: string;
  /** Envoy image of every sidecar. */
  public readonly envoyImage: string;
  /** Resources of every sidecar container. */
  public readonly sidecarResources: kplus.ContainerResources;
  /** The sidecar's port plan, with defaults applied. */
  public readonly ports: SidecarPorts;
  /** Drain time of a terminating sidecar. */
  public readonly drainDuration: Duration;
  /** Limit on retry amplification along call paths. */
  public readonly maxRetryAmplification: number;

  /** Trust domain of the mesh's identities. */
  public readonly trustDomain: string;
  /** How sidecars authenticate each other. */
  public readonly mtls: MtlsMode;
  /** Where certificates come from, if mTLS is on. */
  public readonly certificates?: CertificateSource;
  /** Lifetime of workload certificates. */
  public readonly certificateDuration: Duration;
  /** Renewal margin of workload certificates. */
  public readonly certificateRenewBefore: Duration;
  /** Oldest TLS version between sidecars. */
  public readonly tlsMinimumVersion: TlsVersion;
  /** Whether unauthorized callers are refused or only logged. */
  public readonly authorization: AuthorizationMode;
  /** Whether services get NetworkPolicies. */
  public readonly networkPolicies: boolean;
  /** Namespace allowed to scrape the sidecars. */
  public readonly monitoringNamespace: string;
  /** Whether sidecars write access logs. */
  public readonly accessLogs: boolean;
  /** Whether NetworkPolicies also limit egress. */
  public readonly restrictEgress: boolean;

  private readonly _services: MeshService[] = [];
  /** Who connects to each service, computed once per synth from the complete graph. */
  private callerIndex?: Map<MeshService, Set<MeshService>>;

  /**
   * @param scope the parent construct
   * @param id the construct id, unique among its siblings
   * @param props the settings
   */
  constructor(scope: Construct, id: string, props: MeshProps = {}) {
    super(scope, id);
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? 'default';
    this.clusterDomain = props.clusterDomain ?? 'cluster.local';
    this.envoyImage = props.envoyImage ?? Mesh.DEFAULT_ENVOY_IMAGE;
    this.sidecarResources = props.sidecarResources ?? {
      cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.units(1) },
      memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
    };
    this.ports = { admin: 15000, inbound: 15006, stats: 15090, ...props.ports };
    this.drainDuration = props.drainDuration ?? Duration.seconds(10);
    this.maxRetryAmplification = props.maxRetryAmplification ?? 10;
    this.trustDomain = props.trustDomain ?? 'cluster.local';
    this.mtls = props.mtls ?? MtlsMode.STRICT;
    this.certificates = props.certificates;
    this.certificateDuration = props.certificateDuration ?? Duration.hours(24);
    this.certificateRenewBefore = props.certificateRenewBefore ?? Duration.hours(8);
    this.tlsMinimumVersion = props.tlsMinimumVersion ?? TlsVersion.TLS_1_2;
    this.authorization = props.authorization ?? AuthorizationMode.ENFORCE;
    this.networkPolicies = props.networkPolicies ?? true;
    this.monitoringNamespace = props.monitoringNamespace ?? 'monitoring';
    this.accessLogs = props.accessLogs ?? false;
    this.restrictEgress = props.restrictEgress ?? false;
    this.node.addValidation({ validate: () => this.validateMesh() });
  }

  /** The services of this mesh, sorted by namespace and name. */
  public get services(): MeshService[] {
    return [...this._services].sort((a, b) => a.qualifiedName.localeCompare(b.qualifiedName));
  }

  /** A Mermaid flowchart of the services, their versions and the calls between them, for docs and reviews. */
  public toMermaid(): string {
    return meshDiagram(this);
  }

  /** The sidecar ports as numbers, for the renderers. @internal */
  public get _ports(): { admin: number; inbound: number; stats: number } {
    return { admin: this.ports.admin!, inbound: this.ports.inbound!, stats: this.ports.stats! };
  }

  /**
   * The services whose sidecars connect to `service`: its declared callers,
   * and the callers of services that route or fail over to it. @internal
   */
  public _callersOf(service: MeshService): MeshService[] {
    if (!this.callerIndex) {
      this.callerIndex = new Map();
      for (const caller of this._services) {
        for (const upstream of new Set(caller.upstreams)) {
          if (upstream.mesh !== this || upstream === caller) continue;
          for (const reached of servicesReached(caller, upstream)) {
            const callers = this.callerIndex.get(reached) ?? new Set();
            this.callerIndex.set(reached, callers.add(caller));
          }
        }
      }
    }
    return [...(this.callerIndex.get(service) ?? [])].sort((a, b) => a.qualifiedName.localeCompare(b.qualifiedName));
  }

  /** Registers a service; called by `MeshService`. @internal */
  public _register(service: MeshService): void {
    this._services.push(service);
  }

  private validateMesh(): string[] {
    this.callerIndex = undefined; // validation opens every synth: the graph is complete now
    const errors: string[] = [];
    const nsError = invalidDnsLabel(this.namespace);
    if (nsError) errors.push(`namespace ${nsError}`);
    if (!isDnsName(this.clusterDomain)) {
      errors.push(`clusterDomain '${this.clusterDomain}' is not a valid DNS name (for example 'cluster.local')`);
    }
    if (!isDnsName(this.trustDomain)) {
      errors.push(`trustDomain '${this.trustDomain}' is not a valid DNS name: use lower-case labels separated by dots, for example 'shop.example.com'`);
    }
    if (this.mtls !== MtlsMode.DISABLED && !this.certificates) {
      errors.push(`mtls ${this.mtls} needs certificates: pass certificates: CertificateSource.selfSignedCa() (a mesh CA bootstrapped with cert-manager), CertificateSource.clusterIssuer('<name>'), CertificateSource.issuer('<name>') or CertificateSource.existingSecrets(); or set mtls: MtlsMode.DISABLED`);
    }
    const duration = this.certificateDuration.toMinutes({ integral: false });
    const renewBefore = this.certificateRenewBefore.toMinutes({ integral: false });
    if (duration < 60 || renewBefore <= 0 || renewBefore >= duration) {
      errors.push(`certificateDuration ${duration}m and certificateRenewBefore ${renewBefore}m are invalid: the duration must be at least 60m and the renewal margin positive and shorter than it`);
    }
    if (!isPinnedImage(this.envoyImage)) {
      errors.push(`envoyImage '${this.envoyImage}' is not pinned: use a release tag such as '${Mesh.DEFAULT_ENVOY_IMAGE}' or a digest (image@sha256:...), never 'latest' or no tag`);
    }
    const ports = this._ports;
    for (const [name, port] of Object.entries(ports)) {
      if (!isPort(port)) errors.push(`ports.${name} ${port} is not a valid port: use an integer from 1 to 65535`);
    }
    if (new Set(Object.values(ports)).size !== 3) {
      errors.push(`ports admin ${ports.admin}, inbound ${ports.inbound} and stats ${ports.stats} must be three different ports`);
    }
    errors.push(...this.duplicateObjectNames());
    const drain = this.drainDuration.toSeconds({ integral: false });
    if (!Number.isInteger(drain) || drain < 1) {
      errors.push(`drainDuration ${drain}s is invalid: use a whole number of seconds, at least 1`);
    }
    if (this.restrictEgress && !this.networkPolicies) {
      errors.push('restrictEgress needs networkPolicies: egress is limited by the services\' NetworkPolicies; enable them or drop restrictEgress');
    }
    const monitoringError = invalidDnsLabel(this.monitoringNamespace);
    if (monitoringError) errors.push(`monitoringNamespace ${monitoringError}`);
    errors.push(...this.certificates?._validate(this) ?? []);
    const edges = this._services.flatMap(s => s._callEdges());
    if (this.maxRetryAmplification >= 1) {
      errors.push(...retryAmplification(edges, this.maxRetryAmplification));
    } else {
      errors.push(`maxRetryAmplification ${this.maxRetryAmplification} is invalid: use a number of at least 1`);
    }
    errors.push(...timeoutBudgets(edges));
    return errors;
  }

  /** Kubernetes names are the mesh's contract: two services must never claim the same one. */
  private duplicateObjectNames(): string[] {
    const owners = new Map<string, string>();
    const errors: string[] = [];
    for (const service of this._services) {
      for (const name of service._objectNames()) {
        const key = `${service.namespace}/${name}`;
        const owner = owners.get(key);
        if (owner === service.node.path) {
          errors.push(`Kubernetes name '${key}' is claimed twice by ${owner} (a version '<version>-<pool>' next to an instance pool '<pool>'?): rename the version or the pool`);
        } else if (owner !== undefined) {
          errors.push(`Kubernetes name '${key}' is claimed by both ${owner} and ${service.node.path}: give one of them another name`);
        }
        owners.set(key, service.node.path);
      }
    }
    return errors;
  }
}

/** Whether `port` is a valid TCP port number. */
export function isPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}

function isPinnedImage(image: string): boolean {
  if (/@sha256:[a-f0-9]{64}$/.test(image)) return true;
  const lastSegment = image.split('/').pop() ?? '';
  const tag = lastSegment.includes(':') ? lastSegment.split(':').pop()! : '';
  return tag !== '' && tag !== 'latest' && /^[\w][\w.-]{0,127}$/.test(tag);
}
