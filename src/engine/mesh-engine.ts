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
}

/** Which resources a mesh engine emits, for the renderers. @internal */
export interface EngineSpec {
  /** Static Envoy sidecars configured by this library (ConfigMaps, certificates, host aliases). */
  readonly staticEnvoy: boolean;
  /** Istio resources. */
  readonly istio: boolean;
  /** The Istio revision, if one is named. */
  readonly istioRevision?: string;
  /** Istio's tracing provider, if one is named. */
  readonly istioTracingProvider?: string;
}

/**
 * What runs the mesh: this library's static Envoy sidecars (the default), or
 * Istio, driven by the same constructs.
 */
export abstract class MeshEngine {
  /**
   * Envoy sidecars configured entirely at synth: no control plane. Every
   * pod gets a sidecar whose listeners, clusters and routes come from a
   * ConfigMap, and a certificate from the mesh's certificate source.
   */
  public static staticEnvoy(): MeshEngine {
    return new Engine('static Envoy', { staticEnvoy: true, istio: false });
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
    return new Engine('Istio', { staticEnvoy: false, istio: true, istioRevision: options.revision, istioTracingProvider: options.tracingProvider });
  }

  /** Name of the engine, for messages. */
  public abstract readonly description: string;

  /** What the engine emits. @internal */
  public abstract readonly _spec: EngineSpec;
}

class Engine extends MeshEngine {
  constructor(public readonly description: string, public readonly _spec: EngineSpec) { super(); }
}
