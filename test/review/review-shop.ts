import { App, Chart, Duration } from 'cdk8s';
import {
  AuthorizationMode, CertificateSource, EdgePeer, ExternalEndpoint, ExternalService, JwksSource, JwtAuthentication, Mesh, MeshEngine, MeshService,
  MtlsMode, PathMatch, RateLimit, RouteTarget, TlsVersion, TrustBundle, WeightedRoute,
} from '../../src';

/** The knobs of the review shop: each test turns exactly one. */
export interface ReviewShopOptions {
  readonly engine?: MeshEngine;
  /** Paths of the orders service that need a token; undefined: no JWT. */
  readonly jwtPaths?: string[];
  readonly exposeAnywhere?: boolean;
  readonly authorization?: AuthorizationMode;
  readonly networkPolicies?: boolean;
  readonly restrictEgress?: boolean;
  readonly paymentsTls?: boolean;
  readonly rateLimit?: boolean;
  readonly nativeSidecars?: boolean;
  readonly tlsMinimumVersion?: TlsVersion;
  readonly trustBundle?: boolean;
  /** Share of the users' calls to orders v2. */
  readonly canaryPercent?: number;
  /** @default 'shop' */
  readonly namespace?: string;
}

/** Engines as the tests use them (Istio matching paths after normalization, so JWT paths are allowed). */
export const ENGINES: Record<string, () => MeshEngine | undefined> = {
  'static Envoy': () => undefined,
  'Istio': () => MeshEngine.istio({ decodeAndMergeSlashes: true }),
  'Gateway API': () => MeshEngine.gatewayApi(),
};

/**
 * Users call orders (v1 and v2); orders calls a payment API outside the
 * cluster. The defaults are the safe side of every knob a test turns.
 */
export function reviewShop(options: ReviewShopOptions = {}): (app: App) => void {
  return app => {
    const chart = new Chart(app, 'shop', { namespace: options.namespace ?? 'shop', disableResourceNameHashes: true });
    const staticEnvoy = options.engine === undefined;
    const routesOnly = options.engine?.description === 'Gateway API'; // routes without Istio's policies
    const mesh = new Mesh(chart, 'mesh', {
      engine: options.engine,
      trustDomain: 'shop.example.com',
      ...(staticEnvoy && {
        certificates: CertificateSource.selfSignedCa(),
        tlsMinimumVersion: options.tlsMinimumVersion ?? TlsVersion.TLS_1_3,
        nativeSidecars: options.nativeSidecars ?? false,
        ...((options.trustBundle ?? true) && { trustBundle: TrustBundle.fromConfigMap('mesh-trust') }),
      }),
      authorization: options.authorization ?? AuthorizationMode.ENFORCE,
      // Routes alone neither authenticate callers nor know the proxies' ports; only static sidecars restrict egress.
      ...(routesOnly && { mtls: MtlsMode.DISABLED }),
      networkPolicies: options.networkPolicies ?? !routesOnly,
      restrictEgress: options.restrictEgress ?? staticEnvoy,
    });
    const orders = new MeshService(chart, 'orders', { mesh, image: 'example/orders:1.0.0', port: 8080 });
    orders.addVersion('v2');
    const users = new MeshService(chart, 'users', { mesh, image: 'example/users:1.0.0', port: 3000 });
    users.callTo(orders);
    const canary = options.canaryPercent ?? 0;
    new WeightedRoute(chart, 'orders-canary', { service: orders, targets: [RouteTarget.version('v1', 100 - canary), RouteTarget.version('v2', canary)] });
    if (!routesOnly) {
      const payments = new ExternalService(chart, 'payments', {
        mesh, endpoint: ExternalEndpoint.host('api.payments.example.com', 443, { tls: options.paymentsTls ?? true }), port: 80,
      });
      orders.callTo(payments);
    }
    if (options.jwtPaths) {
      new JwtAuthentication(chart, 'login', {
        service: orders,
        issuer: 'https://login.example.com/',
        jwks: JwksSource.remote('https://login.example.com/jwks.json'),
        paths: options.jwtPaths.map(p => PathMatch.prefix(p)),
      });
    }
    if (options.exposeAnywhere) users.exposeTo(EdgePeer.anywhere(), { port: 8000 });
    if (options.rateLimit ?? staticEnvoy) new RateLimit(chart, 'orders-limit', { service: orders, requests: 100, interval: Duration.seconds(1) });
  };
}
