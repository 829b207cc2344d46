import { createHash } from 'crypto';
import { ApiObject, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { CallOptions } from './call-options';
import { renderBootstrap, serializeBootstrap } from './envoy/bootstrap';
import { BOOTSTRAP_FILE } from './envoy/paths';
import { AuthorizationPlan, EndpointGroupPlan, JwtPlan, SidecarPlan } from './envoy/plan';
import { edgeSdsContent, edgeSdsFile, sdsFiles } from './envoy/tls';
import { FailoverOptions, FailoverPolicy } from './failover-policy';
import { CallEdge } from './graph-analysis';
import { LoadBalancer } from './load-balancer';
import { isPort, Mesh } from './mesh';
import { ExposeOptions, InstancePoolOptions, MeshServiceProps, VersionOptions } from './mesh-service-props';
import { MonitoredWorkload } from './monitored-workload';
import { latencyBuckets } from './monitoring/buckets';
import { envPrefix, invalidDnsLabel, isUint32, loopbackAddress, UINT32_MAX } from './names';
import { isHttp, Protocol } from './protocol';
import { AuthorizationPolicy } from './security/authorization-policy';
import { EdgePeer } from './security/edge-peer';
import { JwtAuthentication, jwksCluster, MountedJwks, RemoteJwks } from './security/jwt-authentication';
import { planJwtRules } from './security/jwt-rules';
import { MtlsMode, spiffeId } from './security/mtls';
import { EgressPlan, NetworkPolicyPlan, renderNetworkPolicySpec } from './security/network-policy';
import { validateSecretEnv } from './security/secret-env';
import { renderPathMatcher, shadows } from './traffic/route-match';
import { defaultAddressFormat, defaultAddressVariable, formatAddress } from './upstream-env';
import { planUpstream, servicesReached } from './upstream-plan';
import { WeightedRoute } from './weighted-route';
import { ApplicationSpec, MAIN_POOL, SERVICE_LABEL, Workload } from './workload';

/** Envoy's route timeout when none is set. */
const ENVOY_DEFAULT_TIMEOUT_MS = 15_000;
/** Pod annotation carrying the SHA-256 of the sidecar's configuration. */
const CONFIG_HASH_ANNOTATION = 'mesh.cdk8s.io/envoy-config-sha256';

interface Edge {
  readonly upstream: MeshService;
  readonly options: CallOptions;
}

/**
 * An application in the mesh: its workload, ServiceAccount (identity), a
 * ClusterIP Service whose port targets the Envoy sidecar, a headless Service
 * for endpoint discovery, and the sidecar with its configuration.
 */
export class MeshService extends Construct {
  /** The mesh this service belongs to. */
  public readonly mesh: Mesh;
  /** Kubernetes name of the service. */
  public readonly name: string;
  /** Namespace of the service. */
  public readonly namespace: string;
  /** Port of the application, and of the service for its callers. */
  public readonly port: number;
  /** Protocol of the application. */
  public readonly protocol: Protocol;
  /** Version label of the main workload. */
  public readonly version: string;
  /** How callers spread requests over this service's pods. */
  public readonly loadBalancer: LoadBalancer;
  /** The main workload (created or adopted). */
  public readonly deployment: kplus.Deployment;
  /** The application container, when the Deployment was created here. */
  public readonly container?: kplus.Container;
  /** The ClusterIP Service callers address by name. */
  public readonly service: kplus.Service;
  /** Name of the ServiceAccount that is this service's identity. */
  public readonly serviceAccountName: string;

  private readonly edges: Edge[] = [];
  private readonly failoverPolicies: FailoverPolicy[] = [];
  private readonly routes: WeightedRoute[] = [];
  private readonly authorizationPolicies: AuthorizationPolicy[] = [];
  private readonly jwtAuthentications: JwtAuthentication[] = [];
  private readonly monitors: MonitoredWorkload[] = [];
  private readonly exposures: Array<{ peer: EdgePeer; port: number; tlsSecret?: kplus.ISecret }> = [];
  private readonly certificates?: kplus.ISecret;
  /** Problems found while declaring, reported at synth with the rest. */
  private readonly problems: string[] = [];
  private readonly workloads: Workload[] = [];
  private readonly serviceAccount?: kplus.IServiceAccount;
  private readonly config: kplus.ConfigMap;
  private readonly app?: ApplicationSpec;
  private renderedConfig?: { key: string; text: string; sha256: string };

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
    this.protocol = props.protocol ?? Protocol.HTTP;
    this.version = props.version ?? 'v1';
    this.loadBalancer = props.loadBalancer ?? LoadBalancer.roundRobin();
    this.node.addValidation({ validate: () => this.validateService(props) });

    const metadata = { name: this.name, namespace: this.namespace };
    this.config = new kplus.ConfigMap(this, 'envoy-config', {
      metadata: { name: `${this.name}-envoy`, namespace: this.namespace },
    });
    this.config.addData(BOOTSTRAP_FILE, lazyString(() => this._envoyConfig()));

    if (props.deployment) {
      this.serviceAccount = props.deployment.serviceAccount;
    } else {
      this.serviceAccount = new kplus.ServiceAccount(this, 'service-account', { metadata, automountToken: false });
      const { image = '', port, replicas, resources, envVariables, command, args } = props;
      this.app = { image, port, replicas, resources, envVariables, command, args };
    }
    this.serviceAccountName = this.serviceAccount?.name ?? 'default';
    this.certificates = this.provideCertificate();
    const main = this.addWorkload(this.version, MAIN_POOL, props.weight ?? 1, { app: this.app, deployment: props.deployment })!;
    this.deployment = main.deployment;
    this.container = main.container;

    this.service = new kplus.Service(this, 'service', {
      metadata,
      ports: [{ name: this.portName, port: this.port, targetPort: this.mesh._ports.inbound }],
    });
    this.service.selectLabel(SERVICE_LABEL, this.name);

    if (this.mesh.networkPolicies) {
      // A raw object: its peers come from the whole graph at synth, and cdk8s-plus adds rules eagerly.
      new ApiObject(this, 'network-policy', {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: `${this.name}-mesh`, namespace: this.namespace },
        spec: Lazy.any({ produce: () => renderNetworkPolicySpec(this.networkPolicyPlan()) }),
      });
    }

    this.mesh._register(this);
  }

  /** `<name>.<namespace>`, unique in the cluster. */
  public get qualifiedName(): string {
    return `${this.name}.${this.namespace}`;
  }

  /** The service's fully qualified DNS name. */
  public get fqdn(): string {
    return `${this.name}.${this.namespace}.svc.${this.mesh.clusterDomain}`;
  }

  /** The services this one calls, sorted by name. */
  public get upstreams(): MeshService[] {
    return this.sortedEdges().map(e => e.upstream);
  }

  /**
   * Declares that this service calls `upstream`. The unchanged application
   * keeps calling `http://<upstream>:<port>`: the upstream's names resolve,
   * through the pod's /etc/hosts, to a loopback address where this service's
   * sidecar listens and forwards to the upstream's pods.
   */
  public callTo(upstream: MeshService, options: CallOptions = {}): void {
    const edge = { upstream, options };
    this.edges.push(edge);
    for (const workload of this.workloads) this.wire(workload, edge);
  }

  /**
   * Adds a pool of pods of the main version with their own load-balancing
   * weight, for instances of unequal capacity (for example on larger nodes).
   * Callers' sidecars weigh every pod of the pool by `weight`.
   */
  public addInstancePool(pool: string, options: InstancePoolOptions): void {
    if (!this.app) {
      this.problems.push(`instance pool '${pool}': instance pools need the image of a Deployment created by the mesh, but this service adopted its Deployment`);
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
    const { deployment, ...container } = options;
    const base = this.app ?? (options.image !== undefined ? { image: options.image, port: this.port } : undefined);
    if (!base && !deployment) {
      this.problems.push(`version '${version}' has no image: this service adopted its Deployment, so pass addVersion('${version}', { deployment }) or { image }`);
      return;
    }
    const app = base && { ...base, ...definedOnly(container) };
    this.addWorkload(version, MAIN_POOL, 1, deployment ? { deployment } : { app });
  }

  /** Names of the Kubernetes objects this service claims in its namespace. @internal */
  public _objectNames(): string[] {
    return [this.name, ...this.workloads.map(w => w.name)];
  }

  /** What this service's sidecar must do, from the graph as it is now. @internal */
  public _sidecarPlan(): SidecarPlan {
    return {
      service: this.name,
      namespace: this.namespace,
      ports: this.mesh._ports,
      app: { port: this.port, protocol: this.protocol },
      upstreams: this.sortedEdges().map(({ upstream, options }) => planUpstream(this, upstream, options)),
      accessLogs: this.mesh.accessLogs,
      ...(this.latencyThresholds().length > 0 && { latencyBucketsMs: latencyBuckets(this.latencyThresholds()) }),
      security: {
        mtls: this.mesh.mtls,
        tlsMinimumVersion: this.mesh.tlsMinimumVersion,
        ...(this.mesh.mtls !== MtlsMode.DISABLED && { authorization: this.authorizationPlan() }),
        edges: this.uniqueExposures().map(e => ({ port: e.port, tls: e.tlsSecret !== undefined })),
        ...(this.jwtAuthentications.length > 0 && { jwt: this.jwtPlan() }),
      },
    };
  }

  /** The text of the sidecar's Envoy bootstrap, rendered once per state of the graph. @internal */
  public _envoyConfig(): string {
    const plan = this._sidecarPlan();
    const key = JSON.stringify(plan);
    if (this.renderedConfig?.key !== key) {
      const text = serializeBootstrap(renderBootstrap(plan));
      this.renderedConfig = { key, text, sha256: createHash('sha256').update(text).digest('hex') };
    }
    return this.renderedConfig.text;
  }

  /** The versions of this service, main version first. @internal */
  public _versions(): string[] {
    return [...new Set(this.workloads.map(w => w.placement.version))];
  }

  /** The headless Services of a version's pools, as endpoint groups at `priority`. @internal */
  public _endpointGroups(version: string, priority: number): EndpointGroupPlan[] {
    const pools = this.workloads.filter(w => w.placement.version === version);
    return pools.map(w => ({
      host: `${w.name}.${this.namespace}.svc.${this.mesh.clusterDomain}`,
      port: this.mesh._ports.inbound,
      priority,
      ...(pools.length > 1 && { weight: w.placement.weight }),
    }));
  }

  /** This service's HTTP calls with their failover settings, for whole-graph checks. @internal */
  public _callEdges(): CallEdge[] {
    return this.upstreams.filter(u => u.mesh === this.mesh && u !== this && isHttp(u.protocol)).map(upstream => {
      const { retry, timeout } = upstream._failoverFor(this);
      return {
        from: this.name,
        to: upstream.name,
        attempts: retry?.attempts ?? 1,
        timeoutMs: timeout?.toMilliseconds({ integral: false }) ?? ENVOY_DEFAULT_TIMEOUT_MS,
        perTryTimeoutMs: retry?.perTryTimeout?.toMilliseconds({ integral: false }),
      };
    });
  }

  /** The SPIFFE identity of this service (its service account's). */
  public get spiffeId(): string {
    return spiffeId(this.mesh.trustDomain, this.namespace, this.serviceAccountName);
  }

  /**
   * Opens the service to callers outside the mesh on a port of its own (with
   * server TLS when `tlsSecret` is given); mesh callers keep mutual TLS.
   * Nothing is open to outsiders unless declared here.
   */
  public exposeTo(peer: EdgePeer, options: ExposeOptions): void {
    const exposure = { peer, port: options.port, tlsSecret: options.tlsSecret };
    this.exposures.push(exposure);
    if (this.exposures.filter(e => e.port === options.port).length > 1 || this.reservedPorts().has(options.port)) return; // reported by validation
    this.service.bind(options.port, { name: `edge-${options.port}`, targetPort: options.port });
    if (options.tlsSecret) {
      this.config.addData(edgeSdsFile(options.port), JSON.stringify(edgeSdsContent(options.port), undefined, 2) + '\n');
    }
    for (const workload of this.workloads) workload.addEdgePort(options.port, options.tlsSecret);
  }

  /** Registers the monitoring of this service. @internal */
  public _monitor(workload: MonitoredWorkload): void {
    this.monitors.push(workload);
  }

  /** Whether a MonitoredWorkload records this service's metrics. @internal */
  public get _monitored(): boolean {
    return this.monitors.length > 0;
  }

  /** Latency bounds the objectives of this service need in its sidecar's histograms. */
  private latencyThresholds(): number[] {
    return this.monitors.flatMap(m => m._latencyThresholdsMs).filter(ms => ms > 0 && Number.isFinite(ms));
  }

  /** Registers an end-user authentication of this service. @internal */
  public _addJwtAuthentication(jwt: JwtAuthentication): void {
    this.jwtAuthentications.push(jwt);
    for (const workload of this.workloads) this.mountJwks(workload, jwt);
  }

  /** The JWT providers of this service. @internal */
  public _jwtProviders(): JwtAuthentication[] {
    return [...this.jwtAuthentications];
  }

  /** Mounts a provider's local keys into a workload's sidecar. */
  private mountJwks(workload: Workload, jwt: JwtAuthentication): void {
    const jwks = jwt.props.jwks;
    if (jwks instanceof MountedJwks && !workload.deployment.node.tryFindChild(`jwks-${jwt.providerName}`)) workload.mountIntoSidecar(jwt._jwksDir, jwks.volume(workload.deployment, `jwks-${jwt.providerName}`));
  }

  /** The jwt_authn providers, rules and key-fetching clusters. */
  private jwtPlan(): JwtPlan {
    const remote = this.jwtAuthentications.map(j => j.props.jwks).filter((j): j is RemoteJwks => j instanceof RemoteJwks && !!j.endpoint);
    return {
      providers: Object.fromEntries(this.jwtAuthentications.map(j => [j.providerName, j._provider()])),
      rules: planJwtRules(this.jwtAuthentications.map(j => j._paths())).rules,
      headersWritten: [...new Set(this.jwtAuthentications.flatMap(j => j._headersWritten()))].sort(),
      jwksClusters: [...new Map(remote.map(j => [jwksCluster(j), { name: jwksCluster(j), ...j.endpoint! }])).values()],
    };
  }

  /** Registers an authorization policy of this service. @internal */
  public _addAuthorizationPolicy(policy: AuthorizationPolicy): void {
    this.authorizationPolicies.push(policy);
  }

  /** Who may call this service: its declared callers, narrowed by authorization policies. */
  private authorizationPlan(): AuthorizationPlan {
    return {
      mode: this.mesh.authorization,
      callers: this.mesh._callersOf(this).map(caller => ({
        name: caller.qualifiedName,
        principal: caller.spiffeId,
        rules: this.authorizationPolicies.filter(p => p.caller === caller).map(p => ({
          paths: p.paths.map(renderPathMatcher),
          methods: [...p.methods].sort(),
        })),
      })),
    };
  }

  /** Exposures with distinct ports, sorted by port. */
  private uniqueExposures() {
    return [...new Map(this.exposures.map(e => [e.port, e])).values()].sort((a, b) => a.port - b.port);
  }

  /** The ingress this service's pods accept. */
  private networkPolicyPlan(): NetworkPolicyPlan {
    return {
      podLabels: { [SERVICE_LABEL]: this.name },
      inboundPort: this.mesh._ports.inbound,
      ...(this.mesh.mtls !== MtlsMode.PERMISSIVE && {
        callers: this.mesh._callersOf(this).map(c => ({ namespace: c.namespace, podLabels: { [SERVICE_LABEL]: c.name } })),
      }),
      statsPort: this.mesh._ports.stats,
      monitoringNamespace: this.mesh.monitoringNamespace,
      edges: this.exposures.map(e => ({ port: e.port, ...(e.peer._peer && { peer: e.peer._peer }) })),
      ...(this.mesh.restrictEgress && { egress: this.egressPlan() }),
    };
  }

  /** The connections this service's pods open: mesh upstreams (routes and backups included), external hosts and DNS. */
  private egressPlan(): EgressPlan {
    const reached = [...new Set(this.upstreams.filter(u => u.mesh === this.mesh && u !== this).flatMap(u => servicesReached(this, u)))]
      .sort((a, b) => a.qualifiedName.localeCompare(b.qualifiedName));
    const plan = this._sidecarPlan();
    const externalPorts = [
      ...plan.upstreams.flatMap(u => u.clusters.flatMap(c => c.endpoints.filter(e => e.external).map(e => e.port))),
      ...(plan.security.jwt?.jwksClusters ?? []).map(c => c.port),
    ];
    return {
      services: reached.map(s => ({ namespace: s.namespace, podLabels: { [SERVICE_LABEL]: s.name } })),
      externalPorts: [...new Set(externalPorts)].sort((a, b) => a - b),
    };
  }

  /** The Secret with this service's certificate, issued by the mesh's certificate source. */
  private provideCertificate(): kplus.ISecret | undefined {
    const source = this.mesh.certificates;
    if (this.mesh.mtls === MtlsMode.DISABLED || !source) return undefined;
    for (const [file, content] of Object.entries(sdsFiles())) {
      this.config.addData(file, JSON.stringify(content, undefined, 2) + '\n');
    }
    const secretName = source._provide({
      scope: this,
      name: this.serviceAccountName,
      namespace: this.namespace,
      spiffeId: this.spiffeId,
      duration: this.mesh.certificateDuration,
      renewBefore: this.mesh.certificateRenewBefore,
    }, this.mesh);
    return kplus.Secret.fromSecretName(this, 'mesh-certificate', secretName);
  }

  /** Registers a failover policy for this service. @internal */
  public _addFailoverPolicy(policy: FailoverPolicy): void {
    this.failoverPolicies.push(policy);
  }

  /** Registers a route of this service. @internal */
  public _addRoute(route: WeightedRoute): void {
    this.routes.push(route);
  }

  /** The failover settings `caller` applies to this service: its own policy's win over the service-wide one. @internal */
  public _failoverFor(caller: MeshService): FailoverOptions {
    const wide = this.failoverPolicies.find(p => p.caller === undefined)?.options ?? {};
    const own = this.failoverPolicies.find(p => p.caller === caller)?.options ?? {};
    return { ...wide, ...definedOnly(own) };
  }

  /** The routes `caller` applies to this service, in the order they are tried. @internal */
  public _routesFor(caller: MeshService | undefined): WeightedRoute[] {
    return this.routes
      .filter(r => r.props.caller === undefined || r.props.caller === caller)
      .sort((x, y) => x.priority - y.priority); // stable: declaration order among equal priorities
  }

  private addWorkload(version: string, pool: string, weight: number, source: ConstructorParameters<typeof Workload>[3]): Workload | undefined {
    if (this.workloads.some(w => w.placement.version === version && w.placement.pool === pool)) {
      const what = pool === MAIN_POOL ? `version '${version}'` : `instance pool '${pool}' of version '${version}'`;
      this.problems.push(`${what} is declared twice: give it another name`);
      return undefined;
    }
    const placement = { service: this.name, namespace: this.namespace, version, pool, weight };
    const workload = new Workload(this, placement, this.mesh, source, this.serviceAccount, this.config, this.certificates);
    // Pods roll when their sidecar's configuration changes.
    workload.deployment.podMetadata.addAnnotation(CONFIG_HASH_ANNOTATION,
      lazyString(() => {
        this._envoyConfig();
        return this.renderedConfig!.sha256;
      }));
    this.workloads.push(workload);
    for (const edge of this.edges) this.wire(workload, edge);
    // The same edge ports, in the same order, as workloads declared before the exposures got.
    const firstPerPort = this.exposures.filter((e, i) => this.exposures.findIndex(o => o.port === e.port) === i);
    for (const exposure of firstPerPort.filter(e => !this.reservedPorts().has(e.port))) {
      workload.addEdgePort(exposure.port, exposure.tlsSecret);
    }
    for (const jwt of this.jwtAuthentications) this.mountJwks(workload, jwt);
    return workload;
  }

  /** Makes an upstream reachable from a workload's pods. */
  private wire(workload: Workload, edge: Edge): void {
    const { upstream, options } = edge;
    // A repeated call or one to another mesh is reported by validation; only the first call is wired.
    if (this.edges.find(e => e.upstream === upstream) !== edge || upstream.mesh !== this.mesh) return;
    const port = options.localPort ?? upstream.port;
    const address = loopbackAddress(upstream.namespace, upstream.name);
    workload.addUpstream(address, this.aliasesOf(upstream), port, this.upstreamVariables(upstream, options));
  }

  /** The environment variables that tell the application where `upstream` is. */
  private upstreamVariables(upstream: MeshService, options: CallOptions): Record<string, string> {
    const address = loopbackAddress(upstream.namespace, upstream.name);
    const port = options.localPort ?? upstream.port;
    const prefix = envPrefix(upstream.name);
    return {
      [`${prefix}_SERVICE_HOST`]: address,
      [`${prefix}_SERVICE_PORT`]: String(port),
      [options.addressVariable ?? defaultAddressVariable(upstream)]: formatAddress(
        options.addressFormat ?? defaultAddressFormat(upstream.protocol), upstream.name, address, port),
    };
  }

  private get portName(): string {
    return { HTTP: 'http', HTTP2: 'http2', GRPC: 'grpc', TCP: 'tcp' }[this.protocol];
  }

  private sortedEdges(): Edge[] {
    return [...this.edges].sort((a, b) => a.upstream.qualifiedName.localeCompare(b.upstream.qualifiedName));
  }

  /** The names an application may use for `upstream`; the short name only within one namespace. */
  private aliasesOf(upstream: MeshService): string[] {
    const names = [`${upstream.name}.${upstream.namespace}`, `${upstream.name}.${upstream.namespace}.svc`, upstream.fqdn];
    return upstream.namespace === this.namespace ? [upstream.name, ...names] : names;
  }

  private validateService(props: MeshServiceProps): string[] {
    const errors: string[] = [];
    const nameError = invalidDnsLabel(this.name);
    if (nameError) errors.push(`name ${nameError}`);
    errors.push(...this.workloads.flatMap(w => this.validateWorkload(w)));
    const nsError = invalidDnsLabel(this.namespace);
    if (nsError) errors.push(`namespace ${nsError}`);
    if (!isPort(this.port)) {
      errors.push(`port ${this.port} is not a valid port: use an integer from 1 to 65535`);
    }
    const sidecarPorts = this.mesh._ports;
    for (const [role, port] of Object.entries(sidecarPorts)) {
      if (port === this.port) {
        errors.push(`port ${this.port} collides with the sidecar's ${role} port: use another application port, or move the sidecar's with Mesh ports.${role}`);
      }
    }
    if ((props.image === undefined) === (props.deployment === undefined)) {
      errors.push('give exactly one of image (a Deployment is created) or deployment (an existing one is adopted)');
    }
    if (props.image !== undefined && props.image.trim() === '') {
      errors.push('image is empty: give the application\'s container image');
    }
    if (props.deployment && !props.deployment.serviceAccount) {
      errors.push('the adopted Deployment has no serviceAccount: give it one of its own, it is the service\'s mesh identity');
    }
    errors.push(...this.loadBalancer._validate(isHttp(this.protocol)).map(e => `loadBalancer: ${e}`));
    if (this.monitors.length > 1) {
      errors.push(`${this.monitors.length} MonitoredWorkloads monitor this service (${this.monitors.map(m => m.node.path).join(', ')}): their rules would have duplicate names; merge them into one`);
    }
    errors.push(
      ...this.validateEdges(), ...this.validatePolicies(), ...this.validateRoutes(), ...this.validateExposures(),
      ...this.workloads.flatMap(w => validateSecretEnv(w.deployment)), ...this.problems,
    );
    return errors;
  }

  private validatePolicies(): string[] {
    const errors: string[] = [];
    const callers = this.failoverPolicies.map(p => p.caller);
    for (const caller of new Set(callers)) {
      const paths = this.failoverPolicies.filter(p => p.caller === caller).map(p => p.node.path);
      if (paths.length > 1) {
        const scope = caller ? `caller ${caller.name}` : 'all callers';
        errors.push(`${paths.length} FailoverPolicies apply to ${scope} (${paths.join(', ')}): merge them into one`);
      }
    }
    const chain: MeshService[] = [this];
    for (let backup = this._failoverFor(this).backup; backup?.backupService; backup = backup.backupService._failoverFor(this).backup) {
      if (chain.includes(backup.backupService)) {
        errors.push(`the failover chain loops: ${[...chain, backup.backupService].map(s => s.name).join(' -> ')}: end it at a service or host without a backup`);
        break;
      }
      chain.push(backup.backupService);
    }
    return errors;
  }

  /** Ports of the pod an edge listener cannot take, and what holds them. */
  private reservedPorts(): Map<number, string> {
    return new Map<number, string>([
      [this.mesh._ports.admin, "the sidecar's admin port"], [this.mesh._ports.stats, "the sidecar's stats port"],
      [this.mesh._ports.inbound, "the sidecar's inbound port"], [this.port, 'the application port'],
    ]);
  }

  private validateExposures(): string[] {
    const errors: string[] = [];
    const taken = this.reservedPorts();
    for (const { port, peer } of this.exposures) {
      errors.push(...peer._validate().map(e => `exposeTo(${peer.description}): ${e}`));
      const what = `exposeTo(${peer.description}) on port ${port}`;
      if (!isPort(port)) {
        errors.push(`${what}: not a valid port; use an integer from 1 to 65535`);
      } else if (taken.has(port)) {
        errors.push(`${what}: the port is already ${taken.get(port)}; choose another port for the edge listener`);
      }
      taken.set(port, `exposed to ${peer.description}`);
    }
    return errors;
  }

  /** Routes that can never match because an earlier route takes all their requests. */
  private validateRoutes(): string[] {
    const errors = new Set<string>();
    for (const caller of [undefined, ...new Set(this.routes.map(r => r.props.caller))]) {
      const ordered = this._routesFor(caller);
      ordered.forEach((later, j) => {
        const earlier = ordered.slice(0, j).find(e => shadows(e.props.match ?? {}, later.props.match ?? {}));
        if (earlier) {
          errors.add(`route ${later.node.path} is unreachable: ${earlier.node.path} (priority ${earlier.priority}) matches every request it would; give it a lower priority or a narrower match`);
        }
      });
    }
    return [...errors];
  }

  private validateWorkload({ placement, name, replicas }: Workload): string[] {
    const errors: string[] = [];
    if (replicas !== undefined && !(Number.isInteger(replicas) && replicas >= 0)) {
      errors.push(`${placement.pool === MAIN_POOL ? `version '${placement.version}'` : `instance pool '${placement.pool}'`}: replicas ${replicas} is invalid: use a non-negative integer`);
    }
    const what = placement.pool === MAIN_POOL ? `version '${placement.version}'` : `instance pool '${placement.pool}'`;
    const labelError = invalidDnsLabel(placement.version) ?? invalidDnsLabel(placement.pool);
    if (labelError) {
      errors.push(`${what}: ${labelError}`);
    } else if (invalidDnsLabel(name) && !invalidDnsLabel(this.name)) {
      errors.push(`${what}: the Deployment and headless Service name '${name}' is longer than 63 characters: shorten the service name, version or pool`);
    }
    if (!isUint32(placement.weight, 1)) {
      errors.push(`${what}: weight ${placement.weight} is invalid: use an integer from 1 to ${UINT32_MAX}`);
    }
    if (placement.pool !== MAIN_POOL && !this.app) {
      errors.push(`${what}: instance pools need the image of a Deployment created by the mesh, but this service adopted its Deployment`);
    }
    return errors;
  }

  private validateEdges(): string[] {
    const errors: string[] = [];
    const seen = new Set<MeshService>();
    const listeners = new Map<string, string>();
    const names = new Map<string, MeshService>();
    const variables = new Map<string, string>();
    for (const { upstream, options } of this.edges) {
      const edge = `callTo(${upstream.node.path})`;
      if (seen.has(upstream)) {
        errors.push(`${edge} is declared more than once: declare each upstream once, with all its options`);
        continue;
      }
      seen.add(upstream);
      if (upstream.mesh !== this.mesh) {
        errors.push(`${edge}: the upstream belongs to mesh ${upstream.mesh.node.path}, not ${this.mesh.node.path}; services call only within their own mesh`);
        continue;
      }
      if (upstream === this) {
        errors.push(`${edge}: a service cannot call itself through its own sidecar; the application reaches itself on localhost`);
        continue;
      }
      const sameName = names.get(upstream.name);
      if (sameName) {
        errors.push(`${edge}: this service also calls ${sameName.node.path}, another service named '${upstream.name}' (in namespace ${sameName.namespace}); a sidecar names its listeners, clusters and metrics after the service name, so give one of them another name`);
        continue;
      }
      names.set(upstream.name, upstream);
      for (const variable of Object.keys(this.upstreamVariables(upstream, options))) {
        const holder = variables.get(variable);
        if (holder) errors.push(`${edge}: environment variable ${variable} is also set for ${holder}: pass another addressVariable`);
        variables.set(variable, upstream.node.path);
      }
      const port = options.localPort ?? upstream.port;
      if (!isPort(port)) {
        errors.push(`${edge}: localPort ${port} is not a valid port: use an integer from 1 to 65535`);
      } else if (port === this.port) {
        errors.push(`${edge}: the upstream's port ${port} is also the port this application listens on, and both cannot be bound in one pod: pass localPort (e.g. ${port + 10000 <= 65535 ? port + 10000 : port - 1}) and point the application at it, or give one service another port`);
      } else if (Object.values(this.mesh._ports).includes(port)) {
        errors.push(`${edge}: port ${port} is one of the sidecar's own ports: pass another localPort`);
      }
      const listen = `${loopbackAddress(upstream.namespace, upstream.name)}:${port}`;
      const clash = listeners.get(listen);
      if (clash) {
        errors.push(`${edge}: its local address ${listen} is also that of ${clash}: pass another localPort for one of them`);
      }
      listeners.set(listen, upstream.node.path);
      errors.push(...(options.loadBalancer?._validate(isHttp(upstream.protocol)) ?? []).map(e => `${edge} loadBalancer: ${e}`));
      if (options.addressVariable !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(options.addressVariable)) {
        errors.push(`${edge}: addressVariable '${options.addressVariable}' is not a valid environment variable name (letters, digits and '_', not starting with a digit)`);
      }
    }
    return errors;
  }
}

/** The entries of `obj` whose value is defined. */
function definedOnly<T extends object>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A string computed at synth, once the whole graph is declared. */
function lazyString(produce: () => string): string {
  return Lazy.any({ produce }) as unknown as string;
}
