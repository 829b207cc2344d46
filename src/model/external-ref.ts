import type { Construct } from 'constructs';
import type { MeshRef, ServiceRef } from './refs';
import type { FailoverOptions } from '../failover/failover-options';
import type { IUpstream } from '../mesh-service-handle';
import type { Protocol } from '../protocol';

/** Where an external service is, as the planners see it. */
export interface ExternalEndpointSpec {
  /** DNS name the sidecar resolves. */
  readonly host: string;
  readonly port: number;
  readonly tls: boolean;
  readonly cidrs: string[];
  /** The Service, for an endpoint in the cluster: its pods and their port, for egress policies. */
  readonly service?: {
    readonly name: string;
    readonly namespace: string;
    readonly pods: () => { readonly podLabels?: Record<string, string>; readonly port: number | string };
  };
}

/** An `ExternalService`: a service outside the mesh that mesh services call. */
export interface ExternalRef extends Construct {
  readonly mesh: MeshRef;
  readonly name: string;
  readonly namespace: string;
  readonly qualifiedName: string;
  readonly port: number;
  readonly protocol: Protocol;
  readonly failover: FailoverOptions;
  readonly _endpoint: ExternalEndpointSpec;
}

/** Whether an upstream is a mesh service (not an `ExternalService`). */
export function isMeshService(upstream: ServiceRef | ExternalRef): upstream is ServiceRef {
  return !('_endpoint' in upstream); // only an ExternalRef has an endpoint (a type test keeps the model free of construct modules)
}

/**
 * The service behind an upstream handle. The library hands out no other
 * `IUpstream` than `MeshService` and `ExternalService`; one implemented
 * elsewhere cannot be called.
 */
export function upstreamRefOf(handle: IUpstream): ServiceRef | ExternalRef {
  if (!('mesh' in handle)) throw new Error(`${handle.node.path} is neither a MeshService nor an ExternalService: services call only those`);
  return handle as ServiceRef | ExternalRef;
}
