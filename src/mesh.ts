import { Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { meshDiagram } from './diagram';
import { ENVOY_RELEASE_IMAGE } from './engines/envoy/image';
import { MeshEngine } from './mesh-engine';
import type { MeshService } from './mesh-service';
import { DeclarationLists, MeshDeclarations } from './model/declarations';
import { MeshModel } from './model/mesh-model';
import type { MeshRef } from './model/refs';
import type { Tracing } from './monitoring/tracing';
import type { CertificateSource, WorkloadCertificate } from './security/certificate-source';
import { AuthorizationMode, MtlsMode, TlsVersion } from './security/mtls';
import type { TrustBundle } from './security/trust-bundle';
import { MeshSynthesis, SidecarConfig } from './synth/mesh-synthesis';
import { valueProblems } from './value-checks';

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
   * Run Envoy as a Kubernetes native sidecar (Kubernetes 1.29 and later): an
   * init container with `restartPolicy: Always` that starts, and is ready,
   * before the application, and stops after it. Jobs then complete, and no
   * drain delay holds the pod at shutdown. Off: Envoy is an ordinary container
   * that sleeps `drainDuration` before stopping, for older clusters.
   * @default false
   */
  readonly nativeSidecars?: boolean;
  /**
   * Whether the manifests are applied with `kubectl apply --server-side`,
   * which keeps no copy of each object in the
   * `kubectl.kubernetes.io/last-applied-configuration` annotation (limited to
   * 256 KiB). A sidecar whose files do not fit one ConfigMap runs several
   * Envoys, each with its own ConfigMap: with server-side apply a ConfigMap
   * may fill its 1 MiB before that happens.
   * @default false - every ConfigMap fits a client-side apply
   */
  readonly serverSideApply?: boolean;
  /**
   * Largest number of requests one request may become along a call path
   * through retries (the product of attempts per hop); above it, synth fails.
   * A call cycle with retries on one of its hops amplifies without bound and
   * fails synth too, unless the limit is `Infinity`.
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
   * The CAs every sidecar trusts, from a ConfigMap in each namespace (for
   * example one trust-manager keeps), instead of the `ca.crt` of each
   * workload's own certificate. Needed to rotate or replace the mesh CA
   * without an outage: the bundle holds the old and the new CA meanwhile.
   * @default - each workload trusts the `ca.crt` issued with its certificate
   */
  readonly trustBundle?: TrustBundle;
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
  /**
   * What runs the mesh: this library's static Envoy sidecars, Istio
   * (`MeshEngine.istio()`), or Gateway API routes (`MeshEngine.gatewayApi()`).
   * @default MeshEngine.staticEnvoy()
   */
  readonly engine?: MeshEngine;
  /**
   * Distributed tracing from every sidecar, e.g.
   * `Tracing.openTelemetry({ collectorHost: 'otel-collector.observability.svc.cluster.local' })`.
   * @default - no tracing
   */
  readonly tracing?: Tracing;
}

/**
 * A service mesh: mesh-wide defaults and the registry of its services and the
 * calls between them. Everything the mesh needs is synthesized from this
 * graph; nothing runs besides Kubernetes and the Envoy sidecars.
 */
export class Mesh extends Construct {
  /** The Envoy release used when `envoyImage` is not set. */
  public static readonly DEFAULT_ENVOY_IMAGE = ENVOY_RELEASE_IMAGE;

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
  /** Whether Envoy runs as a native sidecar (an init container that keeps running). */
  public readonly nativeSidecars: boolean;
  /** Whether the manifests are applied server-side, so a sidecar's ConfigMap may hold 1 MiB. */
  public readonly serverSideApply: boolean;
  /** Limit on retry amplification along call paths. */
  public readonly maxRetryAmplification: number;

  /** Trust domain of the mesh's identities. */
  public readonly trustDomain: string;
  /** How sidecars authenticate each other. */
  public readonly mtls: MtlsMode;
  /** Where certificates come from, if mTLS is on. */
  public readonly certificates?: CertificateSource;
  /** The CAs every sidecar trusts, when not each workload's own `ca.crt`. */
  public readonly trustBundle?: TrustBundle;
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
  /** Distributed tracing from the sidecars, if on. */
  public readonly tracing?: Tracing;
  /** What runs the mesh. */
  public readonly engine: MeshEngine;

  /** The settings of the mesh's own sidecars that were given, which other engines' proxies ignore. @internal */
  public readonly _sidecarSettings: string[];
  /** What was declared in this mesh, in declaration order. @internal */
  public readonly _declarations = new MeshDeclarations();
  private synthesis?: MeshSynthesis;
  /** One certificate per ServiceAccount, shared by the services that run as it. */
  private readonly issued = new Map<string, WorkloadCertificate>();

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
    this._sidecarSettings = SIDECAR_SETTINGS.filter(setting => props[setting] !== undefined);
    this.nativeSidecars = props.nativeSidecars ?? false;
    this.serverSideApply = props.serverSideApply ?? false;
    this.maxRetryAmplification = props.maxRetryAmplification ?? 10;
    this.trustDomain = props.trustDomain ?? 'cluster.local';
    this.mtls = props.mtls ?? MtlsMode.STRICT;
    this.certificates = props.certificates;
    this.trustBundle = props.trustBundle;
    this.certificateDuration = props.certificateDuration ?? Duration.hours(24);
    this.certificateRenewBefore = props.certificateRenewBefore ?? Duration.hours(8);
    this.tlsMinimumVersion = props.tlsMinimumVersion ?? TlsVersion.TLS_1_2;
    this.authorization = props.authorization ?? AuthorizationMode.ENFORCE;
    this.networkPolicies = props.networkPolicies ?? true;
    this.monitoringNamespace = props.monitoringNamespace ?? 'monitoring';
    this.accessLogs = props.accessLogs ?? false;
    this.restrictEgress = props.restrictEgress ?? false;
    this.tracing = props.tracing;
    this.engine = props.engine ?? MeshEngine.staticEnvoy();
    this.node.addValidation({
      validate: () => {
        this.synthesized().reportNotes(this);
        return this._problemsAt(this.node.path);
      },
    });
    this._recordValueProblems(this.node.path, props);
  }

  /** The services of this mesh, sorted by namespace and name. */
  public get services(): MeshService[] {
    return this._declarations.services.map(d => d.service as MeshService).sort((a, b) => a.qualifiedName.localeCompare(b.qualifiedName));
  }

  /** A Mermaid flowchart of the services, their versions and the calls between them, for docs and reviews. */
  public toMermaid(): string {
    return meshDiagram(this._model());
  }

  /** The sidecar ports as numbers, for the renderers. @internal */
  public get _ports(): { admin: number; inbound: number; stats: number } {
    return { admin: this.ports.admin!, inbound: this.ports.inbound!, stats: this.ports.stats! };
  }

  /** The certificate of a ServiceAccount, provided the first time one of its services asks. @internal */
  public _certificateOf(namespace: string, serviceAccount: string, provide: () => WorkloadCertificate): WorkloadCertificate {
    const key = `${namespace}/${serviceAccount}`;
    if (!this.issued.has(key)) this.issued.set(key, provide());
    return this.issued.get(key)!;
  }

  /** Records a declaration of a construct of this mesh. @internal */
  public _record<K extends keyof DeclarationLists>(kind: K, declaration: DeclarationLists[K][number]): void {
    this._declarations.record(kind, declaration);
  }

  /**
   * Records, as problems at `path`, every value of `props` no output can hold
   * (`valueProblems`: durations, quantities, labels, control characters), each
   * named by its prop; `name` prefixes the names. @internal
   */
  public _recordValueProblems(path: string, props: object, name = ''): void {
    for (const message of valueProblems(props, name)) this._record('problems', { path, message });
  }

  /** The model of the complete graph, built the first time synthesis needs it. @internal */
  public _model(): MeshModel {
    return this.synthesized().model;
  }

  /** The problems found at a construct path, reported through its validation. @internal */
  public _problemsAt(path: string): string[] {
    return this.synthesized().problemsAt(path);
  }

  /** The Envoy configuration of a service's sidecar. @internal */
  public _sidecarConfig(service: MeshService): SidecarConfig {
    return this.synthesized().sidecarConfig(service);
  }

  private synthesized(): MeshSynthesis {
    this.synthesis ??= new MeshSynthesis(this, this.engine._translator, declarationsOf);
    return this.synthesis;
  }
}

/** The declarations of a mesh the model reaches (its own, or another's that a route or backup names). */
function declarationsOf(mesh: MeshRef): MeshDeclarations {
  if (!(mesh instanceof Mesh)) throw new Error(`${mesh.node.path} is not a Mesh`);
  return mesh._declarations;
}

/** The settings that shape only the mesh's own sidecars. */
const SIDECAR_SETTINGS = ['envoyImage', 'sidecarResources', 'ports', 'drainDuration', 'serverSideApply'] as const;
