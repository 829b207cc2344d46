import * as kplus from 'cdk8s-plus-27';

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
   * An existing StatefulSet to adopt as this version.
   * @default - a Deployment is created
   */
  readonly statefulSet?: kplus.StatefulSet;
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
