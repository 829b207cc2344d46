import type { IConstruct } from 'constructs';
import type { Protocol } from './protocol';

/** A service that mesh services call: a `MeshService`, or an `ExternalService` outside the mesh. */
export interface IUpstream extends IConstruct {
  /** Name callers use (the Kubernetes name of a mesh service). */
  readonly name: string;
  /** Namespace of the service (of the mesh, for an `ExternalService`). */
  readonly namespace: string;
  /** Port callers use. */
  readonly port: number;
  /** Protocol callers speak. */
  readonly protocol: Protocol;
}

/**
 * A mesh service, as calls, routes, backups and policies refer to it:
 * implemented by `MeshService`.
 */
export interface IMeshService extends IUpstream {
  /** Its main version. */
  readonly version: string;
}
