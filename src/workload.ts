import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import type { EngineTranslator, WorkloadProxy } from './engines/engine';
import { DROP_ALL_CAPABILITIES, restrictPodSecurity } from './engines/kubernetes/pod-security';
import { POOL_LABEL, SERVICE_LABEL, VERSION_LABEL, workloadName } from './model/labels';
import type { ServiceRef } from './model/refs';
import type { WorkloadCertificate } from './security/certificate-source';

/** The application container of a workload created by the mesh. */
export interface ApplicationSpec {
  readonly image: string;
  readonly port: number;
  readonly replicas?: number;
  readonly resources?: kplus.ContainerResources;
  readonly envVariables?: { [name: string]: kplus.EnvValue };
  readonly command?: string[];
  readonly args?: string[];
}

/** Where one workload of a service sits in the service: its version, pool and weight. */
export interface WorkloadPlacement {
  readonly service: string;
  readonly namespace: string;
  readonly version: string;
  readonly pool: string;
  /** Load-balancing weight of each pod, relative to the other pools of the version. */
  readonly weight: number;
}

/** What runs a workload's pods: a Deployment, or a StatefulSet for pods with a stable identity. */
export type PodController = kplus.Deployment | kplus.StatefulSet;

/**
 * One Deployment or StatefulSet of a mesh service (a version, or an instance
 * pool of a version), with what its mesh's engine adds to the pods (on static
 * Envoy sidecars: the sidecar, and the headless Service callers' sidecars
 * resolve to find the pods).
 */
export class Workload {
  public readonly pods: PodController;
  public readonly container?: kplus.Container;
  /** What the engine added to the pods: its own proxy container, if any, which edge ports and mounts go into. */
  private readonly proxy: WorkloadProxy;
  /**
   * The headless Service through which static Envoy sidecars resolve every pod
   * of this workload; none on Istio (which selects versions by label) or
   * Gateway API (whose engine adds a Service per version of its own).
   */
  public readonly endpoints?: kplus.Service;
  /** Number of pods asked for, if known. */
  public readonly replicas?: number;

  constructor(
    service: ServiceRef,
    engine: EngineTranslator,
    public readonly placement: WorkloadPlacement,
    source: { app?: ApplicationSpec; adopted?: PodController },
    serviceAccount: kplus.IServiceAccount | undefined,
    certificates?: WorkloadCertificate,
  ) {
    const id = `${placement.version}-${placement.pool}`;
    const { name, namespace } = { name: workloadName(placement), namespace: placement.namespace };
    if (source.adopted) {
      this.pods = source.adopted;
      this.replicas = source.adopted.replicas;
    } else {
      const app = source.app!;
      this.replicas = app.replicas ?? 2;
      this.pods = new kplus.Deployment(service, `deployment-${id}`, {
        metadata: { name, namespace },
        replicas: app.replicas ?? 2,
        serviceAccount,
        automountServiceAccountToken: false,
      });
      this.container = this.pods.addContainer({
        name: 'app',
        image: app.image,
        portNumber: app.port,
        envVariables: app.envVariables && { ...app.envVariables }, // cdk8s-plus adds to the object it is given
        resources: app.resources,
        command: app.command,
        args: app.args,
        securityContext: {
          ensureNonRoot: true,
          allowPrivilegeEscalation: false,
          privileged: false,
          capabilities: DROP_ALL_CAPABILITIES,
        },
      });
    }
    for (const [key, value] of Object.entries(podLabels(placement))) {
      this.pods.podMetadata.addLabel(key, value);
    }
    restrictPodSecurity(this.pods);
    for (const [key, value] of Object.entries(engine.podMetadata.labels)) this.pods.podMetadata.addLabel(key, value);
    for (const [key, value] of Object.entries(engine.podMetadata.annotations)) this.pods.podMetadata.addAnnotation(key, value);
    this.proxy = engine.addWorkloadResources({ service, pods: this.pods, version: placement.version, pool: placement.pool, certificates });
    this.endpoints = this.proxy.endpoints;
  }

  /** Kubernetes name of the Deployment or StatefulSet (and of the static sidecars' headless Service). */
  public get name(): string {
    return workloadName(this.placement);
  }

  /** Mounts a volume read-only into the engine's proxy in the pods. */
  public mountIntoProxy(path: string, volume: kplus.Volume): void {
    this.proxy.mount?.(path, volume);
  }

  /** Opens an edge port on the engine's proxy in the pods, with its server certificate if any. */
  public addEdgePort(port: number, tlsSecret?: kplus.ISecret): void {
    this.proxy.addEdgePort?.(port, tlsSecret);
  }

  /**
   * Makes an upstream reachable from this workload's pods: its names resolve
   * to `address`, and the application finds it in `variables`.
   */
  public addUpstream(address: string | undefined, hostnames: string[], variables: Record<string, string>): void {
    if (address !== undefined && hostnames.length > 0) this.pods.addHostAlias({ ip: address, hostnames });
    const containers = this.pods.containers.filter(c => c !== this.proxy.sidecar);
    for (const container of containers) {
      for (const [name, value] of Object.entries(variables)) {
        container.env.addVariable(name, kplus.EnvValue.fromValue(value));
      }
    }
  }

  /**
   * Completes the securityContext of the pod's own containers (an adopted
   * Deployment's or StatefulSet's, which cdk8s-plus can no longer change) where
   * Pod Security "restricted" needs `capabilities.drop: ["ALL"]` and they set
   * none: a patch of the rendered object, adding 'ALL' to what they drop and
   * keeping what they add (the checks refuse any addition but NET_BIND_SERVICE).
   * cdk8s-plus already writes runAsNonRoot, allowPrivilegeEscalation: false and
   * privileged: false unless told otherwise (refused too), and the pod's
   * seccompProfile is set by `restrictPodSecurity`.
   */
  public dropAllCapabilities(): void {
    const ALL = DROP_ALL_CAPABILITIES.drop[0];
    for (const [list, containers] of [['initContainers', this.pods.initContainers], ['containers', this.pods.containers]] as const) {
      containers.forEach((container, i) => {
        if (container === this.proxy.sidecar) return;
        const capabilities = container.securityContext.capabilities ?? {};
        const drop = capabilities.drop ?? [];
        if (drop.includes(ALL)) return;
        ApiObject.of(this.pods).addJsonPatch(JsonPatch.add(`/spec/template/spec/${list}/${i}/securityContext/capabilities`,
          { ...capabilities, drop: [...drop, ALL] }));
      });
    }
  }

  /**
   * Lets the pod bind ports from `port` up without privileges (a sysctl the
   * Pod Security Standards count as safe).
   */
  public allowUnprivilegedPortsFrom(port: number): void {
    const sysctl = 'net.ipv4.ip_unprivileged_port_start';
    const others = this.pods.securityContext.sysctls.filter(s => s.name !== sysctl);
    ApiObject.of(this.pods).addJsonPatch(JsonPatch.add('/spec/template/spec/securityContext/sysctls',
      [...others, { name: sysctl, value: String(port) }]));
  }
}

function podLabels(placement: WorkloadPlacement): Record<string, string> {
  return {
    [SERVICE_LABEL]: placement.service,
    [VERSION_LABEL]: placement.version,
    [POOL_LABEL]: placement.pool,
    'app.kubernetes.io/name': placement.service,
    'app.kubernetes.io/version': placement.version,
  };
}
