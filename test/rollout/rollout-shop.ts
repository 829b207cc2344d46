import { App, Chart } from 'cdk8s';
import { CertificateSource, Mesh, MeshService, MonitoredWorkload, RouteTarget, WeightedRoute } from '../../src';

/** The knobs of the rollout shop: each test turns one or two. */
export interface RolloutShopOptions {
  /** Who calls orders. @default ['users'] */
  readonly ordersCallers?: Array<'users' | 'billing'>;
  /** Share of the users' calls to orders v2; undefined: orders has no v2. */
  readonly canaryPercent?: number;
  /** @default 'shop' */
  readonly namespace?: string;
  /** Whether every service has a MonitoredWorkload. @default false */
  readonly monitored?: boolean;
}

/** Users (and billing) call orders; orders may have a v2 behind a weighted route. Static sidecars, ENFORCE, NetworkPolicies. */
export function rolloutShop(options: RolloutShopOptions = {}): (app: App) => void {
  return app => {
    const chart = new Chart(app, 'shop', { namespace: options.namespace ?? 'shop', disableResourceNameHashes: true });
    const mesh = new Mesh(chart, 'mesh', { trustDomain: 'shop.example.com', certificates: CertificateSource.selfSignedCa() });
    const orders = new MeshService(chart, 'orders', { mesh, image: 'example/orders:1.0.0', port: 8080 });
    const users = new MeshService(chart, 'users', { mesh, image: 'example/users:1.0.0', port: 3000 });
    const billing = new MeshService(chart, 'billing', { mesh, image: 'example/billing:1.0.0', port: 9090 });
    const callers = { users, billing };
    if (options.monitored) for (const service of [orders, users, billing]) new MonitoredWorkload(chart, `${service.name}-monitoring`, { service });
    for (const caller of options.ordersCallers ?? ['users']) callers[caller].callTo(orders);
    if (options.canaryPercent !== undefined) {
      orders.addVersion('v2');
      new WeightedRoute(chart, 'orders-canary', {
        service: orders, targets: [RouteTarget.version('v1', 100 - options.canaryPercent), RouteTarget.version('v2', options.canaryPercent)],
      });
    }
  };
}
