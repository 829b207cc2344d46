import { createHash } from 'crypto';
import { ApiObject, JsonPatch, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { AddressFormat, CallOptions } from './call-options';
import { renderBootstrap, serializeBootstrap } from './envoy/bootstrap';
import { SidecarPlan, UpstreamPlan } from './envoy/plan';
import { LoadBalancer } from './load-balancer';
import { isPort, Mesh } from './mesh';
import { envPrefix, invalidDnsLabel, loopbackAddress } from './names';
import { isHttp, Protocol } from './protocol';
import { DROP_ALL_CAPABILITIES, SIDECAR_CONTAINER, SIDECAR_CONFIG_KEY, addSidecar, restrictPodSecurity } from './sidecar';

/** Label selecting every pod of a mesh service. */
export const SERVICE_LABEL = 'mesh.cdk8s.io/service';
/** Pod annotation carrying the SHA-256 of the sidecar's configuration. */
export const CONFIG_HASH_ANNOTATION = 'mesh.cdk8s.io/envoy-config-sha256';
/** Label selecting the pods of one version of a mesh service. */
export const VERSION_LABEL = 'mesh.cdk8s.io/version';

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
  /** Port the application listens on (callers use the same port). */
  readonly port: number;
  /**
   * Protocol the application speaks on its port.
   * @default Protocol.HTTP
   */
  readonly protocol?: Protocol;
  /**
   * Container image of the application. Give either `image` or `deployment`.
   * @default - none; `deployment` must be given
   */
  readonly image?: string;
  /**
   * An existing Deployment to adopt into the mesh instead of creating one. It
   * must have a `serviceAccount` of its own: the service's identity.
   * @default - a Deployment is created from `image`
   */
  readonly deployment?: kplus.Deployment;
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
  /** Version label of the workload. */
  public readonly version: string;
  /** How callers spread requests over this service's pods. */
  public readonly loadBalancer: LoadBalancer;
  /** The workload (created or adopted). */
  public readonly deployment: kplus.Deployment;
  /** The application container, when the Deployment was created here. */
  public readonly container?: kplus.Container;
  /** The ClusterIP Service callers address by name. */
  public readonly service: kplus.Service;
  /** The headless Service through which callers' sidecars discover every pod. */
  public readonly endpointsService: kplus.Service;
  /** Name of the ServiceAccount that is this service's identity. */
  public readonly serviceAccountName: string;

  private readonly edges: Edge[] = [];
  private readonly adopted: boolean;
  private lowestPort = 65536;
  private renderedConfig?: { key: string; text: string };

  constructor(scope: Construct, id: string, props: MeshServiceProps) {
    super(scope, id);
    this.mesh = props.mesh;
    this.name = props.name ?? id;
    this.namespace = props.namespace ?? props.mesh.namespace;
    this.port = props.port;
    this.protocol = props.protocol ?? Protocol.HTTP;
    this.version = props.version ?? 'v1';
    this.loadBalancer = props.loadBalancer ?? LoadBalancer.roundRobin();
    this.adopted = props.deployment !== undefined;
    this.node.addValidation({ validate: () => this.validateService(props) });

    const metadata = { name: this.name, namespace: this.namespace };
    if (props.deployment) {
      this.deployment = props.deployment;
      this.serviceAccountName = props.deployment.serviceAccount?.name ?? 'default';
    } else {
      const serviceAccount = new kplus.ServiceAccount(this, 'service-account', { metadata, automountToken: false });
      this.serviceAccountName = serviceAccount.name;
      this.deployment = new kplus.Deployment(this, 'deployment', {
        metadata: { name: this.workloadName, namespace: this.namespace },
        replicas: props.replicas ?? 2,
        serviceAccount,
        automountServiceAccountToken: false,
      });
      this.container = this.deployment.addContainer({
        name: 'app',
        image: props.image ?? '',
        portNumber: this.port,
        envVariables: props.envVariables,
        resources: props.resources,
        command: props.command,
        args: props.args,
        securityContext: {
          ensureNonRoot: true,
          allowPrivilegeEscalation: false,
          privileged: false,
          capabilities: DROP_ALL_CAPABILITIES,
        },
      });
    }
    for (const [key, value] of Object.entries(this.podLabels)) {
      this.deployment.podMetadata.addLabel(key, value);
    }
    restrictPodSecurity(this.deployment);

    const config = new kplus.ConfigMap(this, 'envoy-config', {
      metadata: { name: `${this.name}-envoy`, namespace: this.namespace },
    });
    config.addData(SIDECAR_CONFIG_KEY, Lazy.any({ produce: () => this._envoyConfig() }) as unknown as string);
    addSidecar(this.deployment, this.mesh, config);
    // Pods roll when their sidecar's configuration changes.
    this.deployment.podMetadata.addAnnotation(CONFIG_HASH_ANNOTATION,
      Lazy.any({ produce: () => createHash('sha256').update(this._envoyConfig()).digest('hex') }) as unknown as string);

    this.service = new kplus.Service(this, 'service', {
      metadata,
      ports: [{ name: this.portName, port: this.port, targetPort: this.mesh._ports.inbound }],
    });
    this.service.selectLabel(SERVICE_LABEL, this.name);
    this.endpointsService = new kplus.Service(this, 'endpoints', {
      metadata: { name: this.endpointsName, namespace: this.namespace },
      clusterIP: 'None',
      ports: [{ name: 'mesh', port: this.mesh._ports.inbound, targetPort: this.mesh._ports.inbound }],
    });
    this.endpointsService.selectLabel(SERVICE_LABEL, this.name);
    this.endpointsService.selectLabel(VERSION_LABEL, this.version);

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
    const duplicate = this.edges.some(e => e.upstream === upstream);
    this.edges.push({ upstream, options });
    if (duplicate || upstream.mesh !== this.mesh) return; // reported by validation

    const address = loopbackAddress(upstream.namespace, upstream.name);
    const port = options.localPort ?? upstream.port;
    this.deployment.addHostAlias({ ip: address, hostnames: this.aliasesOf(upstream) });
    if (port < this.lowestPort) {
      this.lowestPort = port;
      if (port < 1024) allowUnprivilegedPortsFrom(this.deployment, port);
    }

    const prefix = envPrefix(upstream.name);
    const variables: Record<string, string> = {
      [`${prefix}_SERVICE_HOST`]: address,
      [`${prefix}_SERVICE_PORT`]: String(port),
      [options.addressVariable ?? defaultAddressVariable(upstream)]: formatAddress(
        options.addressFormat ?? defaultAddressFormat(upstream.protocol), upstream.name, address, port),
    };
    for (const container of this.applicationContainers()) {
      for (const [name, value] of Object.entries(variables)) {
        container.env.addVariable(name, kplus.EnvValue.fromValue(value));
      }
    }
  }

  /** Names of the Kubernetes objects this service claims in its namespace. @internal */
  public _objectNames(): string[] {
    return [this.name, this.endpointsName];
  }

  /** What this service's sidecar must do, from the graph as it is now. @internal */
  public _sidecarPlan(): SidecarPlan {
    return {
      service: this.name,
      namespace: this.namespace,
      ports: this.mesh._ports,
      app: { port: this.port, protocol: this.protocol },
      upstreams: this.sortedEdges().map(edge => this.upstreamPlan(edge)),
    };
  }

  /** The text of the sidecar's Envoy bootstrap, rendered once per state of the graph. @internal */
  public _envoyConfig(): string {
    const plan = this._sidecarPlan();
    const key = JSON.stringify(plan);
    if (this.renderedConfig?.key !== key) {
      this.renderedConfig = { key, text: serializeBootstrap(renderBootstrap(plan)) };
    }
    return this.renderedConfig.text;
  }

  private upstreamPlan({ upstream, options }: Edge): UpstreamPlan {
    const cluster = `${upstream.name}_${upstream.version}`;
    return {
      name: upstream.name,
      protocol: upstream.protocol,
      listen: { address: loopbackAddress(upstream.namespace, upstream.name), port: options.localPort ?? upstream.port },
      clusters: [{
        name: cluster,
        endpoints: [{ host: upstream.endpointsFqdn, port: this.mesh._ports.inbound, priority: 0 }],
      }],
      split: [{ cluster, weight: 100 }],
      loadBalancing: (options.loadBalancer ?? upstream.loadBalancer)._render(),
    };
  }

  private get workloadName(): string {
    return `${this.name}-${this.version}`;
  }

  private get endpointsName(): string {
    return `${this.name}-${this.version}`;
  }

  private get endpointsFqdn(): string {
    return `${this.endpointsName}.${this.namespace}.svc.${this.mesh.clusterDomain}`;
  }

  private get podLabels(): Record<string, string> {
    return {
      [SERVICE_LABEL]: this.name,
      [VERSION_LABEL]: this.version,
      'app.kubernetes.io/name': this.name,
      'app.kubernetes.io/version': this.version,
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

  private applicationContainers(): kplus.Container[] {
    return this.deployment.containers.filter(c => c.name !== SIDECAR_CONTAINER);
  }

  private validateService(props: MeshServiceProps): string[] {
    const errors: string[] = [];
    const nameError = invalidDnsLabel(this.name, 63 - this.version.length - 1);
    if (nameError) errors.push(`name ${nameError} (the headless Service '<name>-<version>' must fit in 63 characters)`);
    const versionError = invalidDnsLabel(this.version);
    if (versionError) errors.push(`version ${versionError}`);
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
    if (props.replicas !== undefined && (!Number.isInteger(props.replicas) || props.replicas < 0)) {
      errors.push(`replicas ${props.replicas} is invalid: use a non-negative integer`);
    }
    if (this.adopted && !props.deployment?.serviceAccount) {
      errors.push('the adopted Deployment has no serviceAccount: give it one of its own, it is the service\'s mesh identity');
    }
    errors.push(...this.loadBalancer._validate(isHttp(this.protocol)).map(e => `loadBalancer: ${e}`));
    errors.push(...this.validateEdges());
    return errors;
  }

  private validateEdges(): string[] {
    const errors: string[] = [];
    const seen = new Set<MeshService>();
    const listeners = new Map<string, string>();
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

function defaultAddressVariable(upstream: MeshService): string {
  const suffix = upstream.protocol === Protocol.HTTP || upstream.protocol === Protocol.HTTP2 ? 'URL' : 'ADDRESS';
  return `${envPrefix(upstream.name)}_${suffix}`;
}

function defaultAddressFormat(protocol: Protocol): AddressFormat {
  return protocol === Protocol.HTTP || protocol === Protocol.HTTP2 ? AddressFormat.URL : AddressFormat.HOST_PORT;
}

function formatAddress(format: AddressFormat, name: string, address: string, port: number): string {
  switch (format) {
    case AddressFormat.URL: return `http://${name}:${port}`;
    case AddressFormat.HOST_PORT: return `${name}:${port}`;
    case AddressFormat.IP_URL: return `http://${address}:${port}`;
    case AddressFormat.IP_PORT: return `${address}:${port}`;
  }
}

/**
 * Lets the sidecar bind ports from `port` up without privileges (a sysctl the
 * Pod Security Standards count as safe). A later patch replaces an earlier one.
 */
function allowUnprivilegedPortsFrom(deployment: kplus.Deployment, port: number): void {
  const sysctl = 'net.ipv4.ip_unprivileged_port_start';
  const others = deployment.securityContext.sysctls.filter(s => s.name !== sysctl);
  ApiObject.of(deployment).addJsonPatch(JsonPatch.add('/spec/template/spec/securityContext/sysctls',
    [...others, { name: sysctl, value: String(port) }]));
}
