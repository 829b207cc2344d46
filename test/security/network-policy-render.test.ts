import { NetworkPolicySpec, renderNetworkPolicySpec } from '../../src/engines/kubernetes/network-policy';
import { NetworkPolicyPlan } from '../../src/security/network-policy-plan';
import { validateManifest } from '../validate';

/** The spec as the NetworkPolicy object the mesh writes, checked against the Kubernetes schema. */
function schemaProblems(spec: NetworkPolicySpec): string[] {
  return validateManifest({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'orders-mesh', namespace: 'shop' },
    spec,
  });
}

const ORDERS = { 'mesh.cdk8s.io/service': 'orders' };
const WEB = { 'mesh.cdk8s.io/service': 'web' };
const inNamespace = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });

/** `orders` under STRICT mTLS, called by `web` of namespace `shop`, monitored from `monitoring`. */
function plan(overrides: Partial<NetworkPolicyPlan> = {}): NetworkPolicyPlan {
  return {
    podLabels: ORDERS,
    inboundPort: 15006,
    callers: [{ namespace: 'shop', podLabels: WEB }],
    statsPorts: [15090],
    appMetricsPorts: [],
    monitoringNamespace: 'monitoring',
    edges: [],
    ...overrides,
  };
}

test('the inbound port is open to the callers\' pods only, metrics to monitoring only; egress stays open', () => {
  const spec = renderNetworkPolicySpec(plan());
  expect(spec.podSelector).toEqual({ matchLabels: ORDERS });
  expect(spec.policyTypes).toEqual(['Ingress']);
  expect(spec.ingress).toEqual([
    { from: [{ ...inNamespace('shop'), podSelector: { matchLabels: WEB } }], ports: [{ protocol: 'TCP', port: 15006 }] },
    { from: [inNamespace('monitoring')], ports: [{ protocol: 'TCP', port: 15090 }] },
  ]);
  expect(spec.egress).toBeUndefined();
  expect(schemaProblems(spec)).toEqual([]);
});

test('without callers the inbound port is closed; the application port never appears', () => {
  const spec = renderNetworkPolicySpec(plan({ callers: [] }));
  expect(spec.ingress?.flatMap(rule => rule.ports?.map(p => p.port))).toEqual([15090]);
  expect(schemaProblems(spec)).toEqual([]);
});

test('under PERMISSIVE mTLS (no callers planned) the inbound port is open to any source', () => {
  const spec = renderNetworkPolicySpec(plan({ callers: undefined }));
  expect(spec.ingress?.[0]).toEqual({ ports: [{ protocol: 'TCP', port: 15006 }] });
  expect(schemaProblems(spec)).toEqual([]);
});

test('edge ports are open to their peer, or to anyone', () => {
  const spec = renderNetworkPolicySpec(plan({
    edges: [
      { port: 8081, peer: { namespace: 'ingress-nginx' } },
      { port: 8082, peer: { namespace: 'ingress-nginx', podLabels: { app: 'controller' } } },
      { port: 8443, peer: { ipBlock: '10.0.0.0/16' } },
      { port: 9000 },
    ],
  }));
  expect(spec.ingress?.slice(2)).toEqual([
    { from: [inNamespace('ingress-nginx')], ports: [{ protocol: 'TCP', port: 8081 }] },
    { from: [{ ...inNamespace('ingress-nginx'), podSelector: { matchLabels: { app: 'controller' } } }], ports: [{ protocol: 'TCP', port: 8082 }] },
    { from: [{ ipBlock: { cidr: '10.0.0.0/16' } }], ports: [{ protocol: 'TCP', port: 8443 }] },
    { ports: [{ protocol: 'TCP', port: 9000 }] },
  ]);
  expect(schemaProblems(spec)).toEqual([]);
});

test('restricted egress: DNS, the inbound port of the services reached, and the ports of external hosts', () => {
  const payments = { 'mesh.cdk8s.io/service': 'payments' };
  const egress = { services: [{ namespace: 'billing', podLabels: payments }], externalPorts: [443], externalRanges: [], clusterServices: [] };
  const spec = renderNetworkPolicySpec(plan({ egress }));
  expect(spec.policyTypes).toEqual(['Ingress', 'Egress']);
  expect(spec.egress).toEqual([
    {
      to: [{ ...inNamespace('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
      ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
    },
    { to: [{ ...inNamespace('billing'), podSelector: { matchLabels: payments } }], ports: [{ protocol: 'TCP', port: 15006 }] },
    { ports: [{ protocol: 'TCP', port: 443 }] },
  ]);
  expect(schemaProblems(spec)).toEqual([]);
});

test('restricted egress to services outside the mesh: address ranges of hosts, pods of Services (all of a namespace without a selector)', () => {
  const spec = renderNetworkPolicySpec(plan({
    egress: {
      services: [],
      externalPorts: [],
      externalRanges: [{ cidrs: ['203.0.113.0/24', '198.51.100.0/24'], port: 443 }],
      clusterServices: [{ namespace: 'cache', podLabels: { app: 'redis' }, port: 6379 }, { namespace: 'queue', port: 5672 }],
    },
  }));
  expect(spec.egress?.slice(1)).toEqual([
    { to: [{ ipBlock: { cidr: '203.0.113.0/24' } }, { ipBlock: { cidr: '198.51.100.0/24' } }], ports: [{ protocol: 'TCP', port: 443 }] },
    { to: [{ ...inNamespace('cache'), podSelector: { matchLabels: { app: 'redis' } } }], ports: [{ protocol: 'TCP', port: 6379 }] },
    { to: [inNamespace('queue')], ports: [{ protocol: 'TCP', port: 5672 }] },
  ]);
  expect(schemaProblems(spec)).toEqual([]);
});

test('restricted egress without upstreams or external hosts allows DNS only', () => {
  const spec = renderNetworkPolicySpec(plan({ egress: { services: [], externalPorts: [], externalRanges: [], clusterServices: [] } }));
  expect(spec.egress?.map(rule => rule.ports?.map(p => p.port))).toEqual([[53, 53]]);
  expect(schemaProblems(spec)).toEqual([]);
});
