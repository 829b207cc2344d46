import { renderSidecarFiles, serializeFile } from '../../../src/engines/envoy/bootstrap';
import { ClusterPlan, SecurityPlan, SidecarPlan, UpstreamPlan } from '../../../src/plan/types';
import { Protocol } from '../../../src/protocol';
import { TlsVersion } from '../../../src/security/mtls';
import { assembleSidecar } from '../../helpers';

/**
 * Hand-written sidecar plans for renderer tests: the sidecar of `users`
 * (namespace `shop`, HTTP on 3000) under STRICT mTLS with no callers and no
 * upstreams; each test overrides what it is about.
 */
export function sidecarPlan(overrides: Partial<Omit<SidecarPlan, 'security'>> & { security?: Partial<SecurityPlan> } = {}): SidecarPlan {
  const { security, ...rest } = overrides;
  return {
    service: 'users',
    namespace: 'shop',
    ports: { admin: 15000, inbound: 15006, stats: 15090 },
    app: { port: 3000, protocol: Protocol.HTTP },
    upstreams: [],
    accessLogs: false,
    ...rest,
    security: {
      mtls: 'STRICT',
      tlsMinimumVersion: TlsVersion.TLS_1_2,
      trustBundle: false,
      authorization: { mode: 'ENFORCE', callers: [] },
      edges: [],
      ...security,
    },
  };
}

/** The upstream `orders` (HTTP on 8080) with one version, `orders_v1`, taking every request. */
export function upstreamPlan(overrides: Partial<UpstreamPlan> = {}): UpstreamPlan {
  return {
    name: 'orders',
    protocol: Protocol.HTTP,
    listen: { address: '127.10.20.30', port: 8080 },
    clusters: [clusterPlan('orders_v1')],
    routes: [{ match: {}, split: [{ cluster: 'orders_v1', weight: 100 }] }],
    loadBalancing: { policy: 'roundRobin' },
    ...overrides,
  };
}

/** A cluster of one pool of `orders` pods, reached with mutual TLS. */
export function clusterPlan(name: string, overrides: Partial<ClusterPlan> = {}): ClusterPlan {
  return {
    name,
    endpoints: [{ host: `${name.replace('_', '-')}.shop.svc.cluster.local`, port: 15006, priority: 0 }],
    tls: { sni: 'orders.shop.svc.cluster.local', spiffeIds: ['spiffe://cluster.local/ns/shop/sa/orders'] },
    ...overrides,
  };
}

/** Every file rendered for a plan, assembled into one bootstrap as Envoy holds them once loaded (RDS routes inline). */
export function assembled(plan: SidecarPlan): any {
  return assembleSidecar(Object.fromEntries(Object.entries(renderSidecarFiles(plan)).map(([key, file]) => [key, serializeFile(file)])));
}
