import type { Duration } from 'cdk8s';
import type * as kplus from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import type { IMeshService } from '../mesh-service-handle';
import type { Tracing } from '../monitoring/tracing';
import type { Protocol } from '../protocol';
import type { CertificateSource } from '../security/certificate-source';
import type { AuthorizationMode, MtlsMode, TlsVersion } from '../security/mtls';
import type { TrustBundle } from '../security/trust-bundle';
import type { LoadBalancer } from '../traffic/load-balancer';

/**
 * Small reference interfaces that stand where a construct would: what the
 * model, checks, planners and engines may read of the `Mesh`, a `MeshService`
 * or an `ExternalService`, without importing them. The constructs satisfy
 * these structurally.
 */

/** What every engine tells the rest of the library about itself; its objects and refusals are its own (`engines/engine.ts`). */
export interface EngineFacts {
  /**
   * Whether every pod carries this library's own Envoy sidecar, with its
   * ConfigMap, certificate, host aliases and listeners. Otherwise the
   * engine's proxy captures traffic itself and receives callers on the
   * application's port.
   */
  readonly ownsSidecar: boolean;
  /** Labels and annotations every mesh pod needs for the engine's proxy (injection). */
  readonly podMetadata: { readonly labels: Record<string, string>; readonly annotations: Record<string, string> };
  /**
   * Where Prometheus scrapes the proxies' metrics: a container port's name,
   * its number when the engine fixes it, and the path; undefined when unknown
   * (monitoring is then refused).
   */
  readonly metricsEndpoint?: { readonly portName: string; readonly port?: number; readonly path: string };
  /** The histogram bounds the proxies record request durations in, when the engine fixes them (latency objectives must use one). */
  readonly fixedLatencyBucketsMs?: readonly number[];
}

/** The engine of a mesh, as the layers below the constructs see it. */
export interface EngineRef {
  /** Name of the engine, for messages. */
  readonly description: string;
  /** What the engine is and does. @internal */
  readonly _translator: EngineFacts;
}

/** The ports of the mesh's own sidecar. */
export interface SidecarPortNumbers {
  readonly admin: number;
  readonly inbound: number;
  readonly stats: number;
}

/** A `Mesh`: its settings, resolved. */
export interface MeshRef extends Construct {
  readonly namespace: string;
  readonly clusterDomain: string;
  readonly envoyImage: string;
  readonly sidecarResources: kplus.ContainerResources;
  readonly drainDuration: Duration;
  readonly nativeSidecars: boolean;
  readonly serverSideApply: boolean;
  readonly maxRetryAmplification: number;
  readonly trustDomain: string;
  readonly mtls: MtlsMode;
  readonly certificates?: CertificateSource;
  readonly trustBundle?: TrustBundle;
  readonly certificateDuration: Duration;
  readonly certificateRenewBefore: Duration;
  readonly tlsMinimumVersion: TlsVersion;
  readonly authorization: AuthorizationMode;
  readonly networkPolicies: boolean;
  readonly monitoringNamespace: string;
  readonly accessLogs: boolean;
  readonly restrictEgress: boolean;
  readonly tracing?: Tracing;
  readonly engine: EngineRef;
  readonly _ports: SidecarPortNumbers;
  /** The settings of the mesh's own sidecars that were given (`envoyImage`, `sidecarResources`, `ports`, `drainDuration`). */
  readonly _sidecarSettings: string[];
}

/** A `MeshService`: its names, ports and identity. */
export interface ServiceRef extends Construct, IMeshService {
  readonly mesh: MeshRef;
  readonly name: string;
  readonly namespace: string;
  /** `<name>.<namespace>` */
  readonly qualifiedName: string;
  /** `<name>.<namespace>.svc.<cluster domain>` */
  readonly fqdn: string;
  readonly port: number;
  readonly appPort: number;
  readonly protocol: Protocol;
  /** Its main version. */
  readonly version: string;
  readonly loadBalancer: LoadBalancer;
  readonly spiffeId: string;
  readonly serviceAccountName: string;
}

/**
 * The mesh service behind a handle. The library hands out no other
 * `IMeshService` than `MeshService`; one implemented elsewhere cannot be
 * part of a mesh.
 */
export function serviceRefOf(handle: IMeshService): ServiceRef {
  if (!('mesh' in handle)) throw new Error(`${handle.node.path} is not a MeshService: routes, backups and failover refer to a MeshService of the mesh`);
  return handle as ServiceRef;
}
