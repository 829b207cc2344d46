import { ApiObject, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { renderNetworkPolicySpec } from './engines/kubernetes/network-policy';
import type { Mesh } from './mesh';
import type { IMeshService, IUpstream } from './mesh-service-handle';
import { ExposeOptions, InstancePoolOptions, VersionOptions } from './mesh-service-options';
import { upstreamRefOf } from './model/external-ref';
import { MAIN_POOL, SERVICE_LABEL, workloadName } from './model/labels';
import { definedOnly } from './model/mesh-model';
import { Protocol } from './protocol';
import type { WorkloadCertificate } from './security/certificate-source';
import type { EdgePeer } from './security/edge-peer';
import { MtlsMode, spiffeId } from './security/mtls';
import { planNetworkPolicy } from './security/network-policy-plan';
import { CallOptions } from './traffic/call-options';
import { LoadBalancer } from './traffic/load-balancer';
import { ApplicationSpec, Workload } from './workload';

/** Properties of a `MeshService`. */
export interface MeshServiceProps {
  /** The mesh this service belongs to. */
  readonly mesh: Mesh;
  /**
   * Kubernetes name of the service: callers reach it as `<name>`,
   * `<name>.<namespace>`, ... A DNS label.
   * @default - the construct id
   */
  readonly name?: string;
  /**
   * Namespace of the service's objects.
   * @default - the mesh's namespace
   */
  readonly namespace?: string;
  /**
   * Port of the service: callers address `<name>:<port>`. The application
   * listens on it too, unless `appPort` says otherwise.
   */
  readonly port: number;
  /**
   * Port the application listens on, when it is not the service's port (for
   * example `port: 80, appPort: 8080`). The sidecar receives callers on its
   * inbound port and hands their requests to the application on `appPort`.
   * @default - the service's `port`
   */
  readonly appPort?: number;
  /**
   * Protocol the application speaks on its port.
   * @default Protocol.HTTP
   */
  readonly protocol?: Protocol;
  /**
   * Container image of the application. Give exactly one of `image`,
   * `deployment` and `statefulSet`.
   * @default - none; `deployment` or `statefulSet` must be given
   */
  readonly image?: string;
  /**
   * An existing Deployment to adopt into the mesh instead of creating one. It
   * must have a `serviceAccount` of its own: the service's identity.
   * @default - a Deployment is created from `image`
   */
  readonly deployment?: kplus.Deployment;
  /**
   * An existing StatefulSet to adopt into the mesh, for pods with a stable
   * identity such as a database or a queue. The mesh wires it as it wires a
   * Deployment; its own governing Service keeps giving each pod its DNS name.
   * It must have a `serviceAccount` of its own: the service's identity.
   * @default - a Deployment is created from `image`
   */
  readonly statefulSet?: kplus.StatefulSet;
  /**
   * Number of pods (when the Deployment is created here).
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Version label of this workload; traffic can be split between versions.
   * @default 'v1'
   */
  readonly version?: string;
  /**
   * Load-balancing weight of each pod of this workload relative to the pods
   * of instance pools added with `addInstancePool` (an integer, at least 1).
   * @default 1
   */
  readonly weight?: number;
  /**
   * How callers spread requests over this service's pods.
   * @default LoadBalancer.roundRobin()
   */
  readonly loadBalancer?: LoadBalancer;
  /**
   * Environment variables of the application container, for example values
   * from a Secret with `kplus.EnvValue.fromSecretValue(...)`.
   * @default - none
   */
  readonly envVariables?: { [name: string]: kplus.EnvValue };
  /**
   * Resources of the application container.
   * @default - cdk8s-plus defaults
   */
  readonly resources?: kplus.ContainerResources;
  /**
   * Command of the application container.
   * @default - the image's entrypoint
   */
  readonly command?: string[];
  /**
   * Arguments of the application container.
   * @default - the image's arguments
   */
  readonly args?: string[];
}

/**
 * An application in the mesh: its workload, ServiceAccount (identity), a
 * ClusterIP Service whose port targets the Envoy sidecar, a headless Service
 * for endpoint discovery, and the sidecar with its configuration.
 *
 * The service records what is declared about it with its `Mesh`; its sidecar's
 * configuration, its NetworkPolicy and what its pods need to reach their
 * upstreams are derived at synth from the mesh's model of the complete graph.
 */
export class MeshService extends Construct implements IMeshService {
  /** The mesh this service belongs to. */
  public readonly mesh: Mesh;
  /** Kubernetes name of the service. */
  public readonly name: string;
  /** Namespace of the service. */
  public readonly namespace: string;
  /** Port of the service for its callers. */
  public readonly port: number;
  /** Port the application listens on in its pods. */
  public readonly appPort: number;
  /** Protocol of the application. */
  public readonly protocol: Protocol;
  /** Version label of the main workload. */
  public readonly version: string;
  /** How callers spread requests over this service's pods. */
  public readonly loadBalancer: LoadBalancer;
  /** The main version's Deployment (created or adopted); undefined when the service adopted a StatefulSet. */
  public readonly deployment?: kplus.Deployment;
  /** The main version's StatefulSet, when the service adopted one. */
  public readonly statefulSet?: kplus.StatefulSet;
  /** The application container, when the Deployment was created here. */
  public readonly container?: kplus.Container;
  /** The ClusterIP Service callers address by name. */
  public readonly service: kplus.Service;
  /** Name of the ServiceAccount that is this service's identity. */
  public readonly serviceAccountName: string;

  private readonly serviceAccount?: kplus.IServiceAccount;
  private readonly certificates?: WorkloadCertificate;
  private readonly app?: ApplicationSpec;
  private readonly workloads = new Set<string>();
  private readonly edgePorts = new Set<number>();

  /**
   * @param scope the parent construct
   * @param id the construct id, unique among its siblings
   * @param props the settings
   */
  constructor(scope: Construct, id: string, props: MeshServiceProps) {
    super(scope, id);
    this.mesh = props.mesh;
    this.name = props.name ?? id;
    this.namespace = props.namespace ?? props.mesh.namespace;
    this.port = props.port;
    this.appPort = props.appPort ?? props.port;
    this.protocol = props.protocol ?? Protocol.HTTP;
    this.version = props.version ?? 'v1';
    this.loadBalancer = props.loadBalancer ?? LoadBalancer.roundRobin();
    this.node.addValidation({ validate: () => this.mesh._problemsAt(this.node.path) });

    const metadata = { name: this.name, namespace: this.namespace };
    const engine = this.mesh.engine._translator;
    engine.addSidecarResources(this);

    const adopted = props.deployment ?? props.statefulSet;
    if (adopted) {
      this.serviceAccount = adopted.serviceAccount;
    } else {
      this.serviceAccount = new kplus.ServiceAccount(this, 'service-account', { metadata, automountToken: false });
      const { image = '', replicas, resources, envVariables, command, args } = props;
      this.app = { image, port: this.appPort, replicas, resources, envVariables, command, args };
    }
    this.serviceAccountName = this.serviceAccount?.name ?? 'default';
    this.certificates = this.provideCertificate();
    const main = this.addWorkload(this.version, MAIN_POOL, props.weight ?? 1, { app: this.app, adopted })!;
    if (main.pods instanceof kplus.StatefulSet) this.statefulSet = main.pods;
    else this.deployment = main.pods;
    this.container = main.container;

    this.service = new kplus.Service(this, 'service', { metadata });
    engine.bindServicePort(this, this.service);
    this.service.selectLabel(SERVICE_LABEL, this.name);

    if (this.mesh.networkPolicies) {
      // A raw object: its peers come from the whole graph at synth, and cdk8s-plus adds rules eagerly.
      new ApiObject(this, 'network-policy', {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: `${this.name}-mesh`, namespace: this.namespace },
        spec: Lazy.any({
          produce: () => renderNetworkPolicySpec(planNetworkPolicy(this.mesh._model().of(this), this._sidecarStatsPorts()?.map(port => port.number))),
        }),
      });
    }
    engine.addServiceResources(this, () => this.mesh._model());
    this.mesh._recordValueProblems(this.node.path, props);
    this.mesh._record('services', { service: this, props });
  }

  /** `<name>.<namespace>`, unique in the cluster. */
  public get qualifiedName(): string {
    return `${this.name}.${this.namespace}`;
  }

  /** The service's fully qualified DNS name. */
  public get fqdn(): string {
    return `${this.name}.${this.namespace}.svc.${this.mesh.clusterDomain}`;
  }

  /** The SPIFFE identity of this service (its service account's). */
  public get spiffeId(): string {
    return spiffeId(this.mesh.trustDomain, this.namespace, this.serviceAccountName);
  }

  /** The services this one calls (in the mesh and outside), sorted by name. */
  public get upstreams(): IUpstream[] {
    return this.mesh._declarations.callsOf(this).map(c => c.upstream)
      .sort((a, b) => a.qualifiedName.localeCompare(b.qualifiedName));
  }

  /**
   * Declares that this service calls `upstream`. The unchanged application
   * keeps calling `http://<upstream>:<port>`: the upstream's names resolve,
   * through the pod's /etc/hosts, to a loopback address where this service's
   * sidecar listens and forwards to the upstream's pods.
   */
  public callTo(upstream: IUpstream, options: CallOptions = {}): void {
    this.mesh._recordValueProblems(this.node.path, options, `callTo(${upstream.node.path})`);
    this.mesh._record('calls', { caller: this, upstream: upstreamRefOf(upstream), options });
  }

  /**
   * Adds a pool of pods of the main version with their own load-balancing
   * weight, for instances of unequal capacity (for example on larger nodes).
   * Callers' sidecars weigh every pod of the pool by `weight`.
   */
  public addInstancePool(pool: string, options: InstancePoolOptions): void {
    this.mesh._recordValueProblems(this.node.path, options, `instance pool '${pool}':`);
    if (!this.app) {
      this.problem(`instance pool '${pool}': instance pools need the image of a Deployment created by the mesh, but this service adopted its Deployment`);
      return;
    }
    const app = { ...this.app, replicas: options.replicas, resources: options.resources ?? this.app.resources };
    this.addWorkload(this.version, pool, options.weight, { app });
  }

  /**
   * Adds a version of the service: its own Deployment (labelled
   * `mesh.cdk8s.io/version`) and headless Service, sharing the service's
   * identity. Route traffic to it with a `WeightedRoute`; without one, callers
   * keep sending everything to the main version.
   */
  public addVersion(version: string, options: VersionOptions = {}): void {
    this.mesh._recordValueProblems(this.node.path, options, `version '${version}':`);
    const { deployment, statefulSet, ...container } = options;
    const adopted = deployment ?? statefulSet;
    const base = this.app ?? (options.image !== undefined ? { image: options.image, port: this.appPort } : undefined);
    if (!base && !adopted) {
      this.problem(`version '${version}' has no image: this service adopted its workload, so pass addVersion('${version}', { deployment }), `
        + '{ statefulSet } or { image }');
      return;
    }
    const app = base && { ...base, ...definedOnly(container) };
    this.addWorkload(version, MAIN_POOL, 1, adopted ? { adopted } : { app });
  }

  /**
   * Opens the service to callers outside the mesh on a port of its own (with
   * server TLS when `tlsSecret` is given); mesh callers keep mutual TLS.
   * Nothing is open to outsiders unless declared here.
   */
  public exposeTo(peer: EdgePeer, options: ExposeOptions): void {
    this.mesh._recordValueProblems(this.node.path, { peer, ...options }, 'exposeTo');
    this.mesh._record('exposures', { service: this, peer, port: options.port, tlsSecret: options.tlsSecret });
    const reserved = [...Object.values(this.mesh._ports), this.port, this.appPort];
    if (this.edgePorts.has(options.port) || reserved.includes(options.port)) return; // reported by the checks
    this.edgePorts.add(options.port);
    this.mesh.engine._translator.bindEdgePort(this, this.service, options.port, options.tlsSecret);
  }

  /** The ports the mesh's own sidecar serves metrics on, one per Envoy it runs; undefined on other engines. @internal */
  public _sidecarStatsPorts(): Array<{ readonly name: string; readonly number: number }> | undefined {
    return this.mesh.engine._translator.ownsSidecar ? this.mesh._sidecarConfig(this).statsPorts : undefined;
  }

  /** This service's certificate, issued by the mesh's certificate source once per ServiceAccount. */
  private provideCertificate(): WorkloadCertificate | undefined {
    const source = this.mesh.certificates;
    // Only the mesh's own sidecars present certificates; other engines' proxies get theirs from their mesh.
    if (this.mesh.mtls === MtlsMode.DISABLED || !source || !this.mesh.engine._translator.ownsSidecar) return undefined;
    return this.mesh._certificateOf(this.namespace, this.serviceAccountName, () => source._provide({
      scope: this,
      name: this.serviceAccountName,
      namespace: this.namespace,
      spiffeId: this.spiffeId,
      duration: this.mesh.certificateDuration,
      renewBefore: this.mesh.certificateRenewBefore,
    }, this.mesh));
  }

  private addWorkload(version: string, pool: string, weight: number, source: ConstructorParameters<typeof Workload>[3]): Workload | undefined {
    const key = `${version}/${pool}`;
    if (this.workloads.has(key)) {
      const what = pool === MAIN_POOL ? `version '${version}'` : `instance pool '${pool}' of version '${version}'`;
      this.problem(`${what} is declared twice: give it another name`);
      return undefined;
    }
    this.workloads.add(key);
    const placement = { service: this.name, namespace: this.namespace, version, pool, weight };
    const workload = new Workload(this, this.mesh.engine._translator, placement, source, this.serviceAccount, this.certificates);
    if (pool === MAIN_POOL) this.mesh.engine._translator.addVersionResources(this, version, () => this.mesh._model());
    this.mesh._record('workloads', {
      service: this, version, pool, weight, name: workloadName(placement), workload, replicas: workload.replicas, created: !!source.app,
    });
    return workload;
  }

  private problem(message: string): void {
    this.mesh._record('problems', { path: this.node.path, message });
  }
}
