import type { EngineTranslator } from './engines/engine';
import { StaticEnvoyEngine } from './engines/envoy/envoy-engine';
import { GatewayApiEngine } from './engines/gateway-api/gateway-api-engine';
import { IstioEngine } from './engines/istio/istio-engine';

/** The engine-specific policies a Gateway API mesh emits beside its routes. */
export enum GatewayApiPolicies {
  /** Routes only, portable to every mesh that implements GAMMA: what routes cannot express is refused at synth. */
  NONE = 'NONE',
  /**
   * Istio's resources for what routes cannot express: DestinationRules (load
   * balancing, outlier detection, connection limits), PeerAuthentications,
   * AuthorizationPolicies, RequestAuthentications, Sidecars, ServiceEntries
   * and Telemetry. Pods are labelled for Istio's sidecar injection.
   */
  ISTIO = 'ISTIO',
}

/** Options of `MeshEngine.istio()`. */
export interface IstioEngineOptions {
  /**
   * The Istio revision whose sidecars the pods get (label `istio.io/rev`);
   * without one, pods are labelled `sidecar.istio.io/inject: "true"`.
   * @default - the default revision
   */
  readonly revision?: string;
  /**
   * The tracing provider of Istio's MeshConfig (`extensionProviders`) that
   * sends spans to the mesh's `tracing` collector; needed when `tracing` is on.
   * @default - none
   */
  readonly tracingProvider?: string;
  /**
   * Whether Istio's MeshConfig sets `pathNormalization.normalization:
   * DECODE_AND_MERGE_SLASHES`. Static sidecars merge slashes and decode
   * escaped ones before they match paths; Istio's default (`BASE`) does
   * neither, so `//admin` or `%2F` would slip past a path rule. Path-scoped
   * authorization and JWT rules are refused unless this is set.
   * @default false
   */
  readonly decodeAndMergeSlashes?: boolean;
}

/** Options of `MeshEngine.gatewayApi()`. */
export interface GatewayApiEngineOptions {
  /**
   * Engine-specific policies for what Gateway API routes cannot express.
   * @default GatewayApiPolicies.NONE
   */
  readonly policies?: GatewayApiPolicies;
  /**
   * With `GatewayApiPolicies.ISTIO`: the Istio revision whose sidecars the pods get.
   * @default - the default revision
   */
  readonly istioRevision?: string;
  /**
   * With `GatewayApiPolicies.ISTIO`: the tracing provider of Istio's MeshConfig
   * that sends spans to the mesh's `tracing` collector.
   * @default - none
   */
  readonly istioTracingProvider?: string;
  /**
   * With `GatewayApiPolicies.ISTIO`: whether Istio's MeshConfig decodes and
   * merges slashes in paths (see `IstioEngineOptions.decodeAndMergeSlashes`).
   * @default false
   */
  readonly istioDecodeAndMergeSlashes?: boolean;
  /**
   * Whether the cluster's Gateway API CRDs are v1.3 or newer and its mesh
   * implements the Extended feature `HTTPRouteRequestPercentageMirror`, which
   * a `mirrorPercent` below 100 needs. On older CRDs, strict validation
   * refuses the field and lenient appliers drop it, mirroring every request;
   * partial mirrors are refused unless this is set.
   * @default false
   */
  readonly percentageMirrors?: boolean;
}

/**
 * What runs the mesh: this library's static Envoy sidecars (the default),
 * Istio, or Gateway API routes for any mesh implementing GAMMA, driven by the
 * same constructs.
 */
export abstract class MeshEngine {
  /**
   * Envoy sidecars configured entirely at synth: no control plane. Every
   * pod gets a sidecar whose listeners, clusters and routes come from a
   * ConfigMap, and a certificate from the mesh's certificate source.
   */
  public static staticEnvoy(): MeshEngine {
    return new Engine('static Envoy', new StaticEnvoyEngine());
  }

  /**
   * Istio: pods are labelled for sidecar injection, and the mesh emits
   * DestinationRules, VirtualServices, PeerAuthentications,
   * AuthorizationPolicies, RequestAuthentications, Sidecars, ServiceEntries
   * and Telemetry for what the constructs declare. Istio issues the
   * certificates. Declarations Istio cannot express with the same meaning are
   * refused at synth.
   */
  public static istio(options: IstioEngineOptions = {}): MeshEngine {
    return new Engine('Istio', new IstioEngine({ ...options, gatewayApiRoutes: false }));
  }

  /**
   * Gateway API for service meshes (GAMMA): routing as `HTTPRoute`s attached
   * to each service's Service, which every mesh implementing GAMMA (Istio,
   * Linkerd, ...) applies. Each version of a service gets a Service of its own
   * (`<service>-<version>`) for routes to send to. What routes cannot express
   * is refused at synth, unless `policies` names an engine whose own resources
   * express it.
   */
  public static gatewayApi(options: GatewayApiEngineOptions = {}): MeshEngine {
    const percentageMirrors = options.percentageMirrors ?? false;
    if (options.policies !== GatewayApiPolicies.ISTIO) return new Engine('Gateway API', new GatewayApiEngine(undefined, percentageMirrors));
    const istio = new IstioEngine({
      revision: options.istioRevision,
      tracingProvider: options.istioTracingProvider,
      decodeAndMergeSlashes: options.istioDecodeAndMergeSlashes,
      gatewayApiRoutes: true,
    });
    return new Engine('Gateway API with Istio policies', new GatewayApiEngine(istio, percentageMirrors));
  }

  /** Name of the engine, for messages. */
  public abstract readonly description: string;

  /** What the engine emits and refuses. @internal */
  public abstract readonly _translator: EngineTranslator;
}

class Engine extends MeshEngine {
  constructor(public readonly description: string, public readonly _translator: EngineTranslator) { super(); }
}
