import * as kplus from 'cdk8s-plus-27';
import { LoadBalancer } from './load-balancer';
import type { Mesh } from './mesh';
import { Protocol } from './protocol';

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

/** Options of `MeshService.addInstancePool()`. */
export interface InstancePoolOptions {
  /**
   * Load-balancing weight of each pod of the pool relative to the service's
   * main pods (weight `MeshServiceProps.weight`): a pod of weight 3 receives
   * three times the requests of a pod of weight 1. An integer, at least 1.
   */
  readonly weight: number;
  /**
   * Number of pods in the pool.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Resources of the pool's application container, for example larger nodes' worth.
   * @default - those of the main pods
   */
  readonly resources?: kplus.ContainerResources;
}

/** Options of `MeshService.exposeTo()`. */
export interface ExposeOptions {
  /** Port of the edge listener (in the pod and on the service's ClusterIP Service). */
  readonly port: number;
  /**
   * A `kubernetes.io/tls` Secret with the server certificate; without it the
   * edge listener speaks plaintext (for a TLS-terminating ingress in front).
   * @default - plaintext
   */
  readonly tlsSecret?: kplus.ISecret;
}

/** Options of `MeshService.addVersion()`. */
export interface VersionOptions {
  /**
   * Container image of the version.
   * @default - the main version's image
   */
  readonly image?: string;
  /**
   * An existing Deployment to adopt as this version.
   * @default - a Deployment is created
   */
  readonly deployment?: kplus.Deployment;
  /**
   * Number of pods.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Resources of the application container.
   * @default - those of the main version
   */
  readonly resources?: kplus.ContainerResources;
  /**
   * Environment variables of the application container.
   * @default - those of the main version
   */
  readonly envVariables?: { [name: string]: kplus.EnvValue };
  /**
   * Command of the application container.
   * @default - that of the main version
   */
  readonly command?: string[];
  /**
   * Arguments of the application container.
   * @default - those of the main version
   */
  readonly args?: string[];
}
