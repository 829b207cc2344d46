import type { EdgeSource } from '../../security/edge-peer';
import type { NetworkPolicyPlan } from '../../security/network-policy-plan';

/** A Kubernetes `LabelSelector`, the form the mesh uses: labels that must all match. */
export interface LabelSelector {
  readonly matchLabels: Record<string, string>;
}

/** A `networking.k8s.io/v1` NetworkPolicyPeer: pods (of namespaces), or addresses. */
export interface NetworkPolicyPeer {
  readonly namespaceSelector?: LabelSelector;
  readonly podSelector?: LabelSelector;
  readonly ipBlock?: { readonly cidr: string; readonly except?: string[] };
}

/** A NetworkPolicyPort, the form the mesh uses: one port, by number or by the name of a container port. */
export interface NetworkPolicyPort {
  readonly protocol: 'TCP' | 'UDP' | 'SCTP';
  readonly port: number | string;
}

/** A NetworkPolicyIngressRule: traffic from any of the peers (any source if none) to any of the ports. */
export interface NetworkPolicyIngressRule {
  readonly from?: NetworkPolicyPeer[];
  readonly ports?: NetworkPolicyPort[];
}

/** A NetworkPolicyEgressRule: traffic to any of the peers (any destination if none) on any of the ports. */
export interface NetworkPolicyEgressRule {
  readonly to?: NetworkPolicyPeer[];
  readonly ports?: NetworkPolicyPort[];
}

/** A `networking.k8s.io/v1` NetworkPolicySpec. */
export interface NetworkPolicySpec {
  readonly podSelector: LabelSelector;
  readonly policyTypes: Array<'Ingress' | 'Egress'>;
  readonly ingress?: NetworkPolicyIngressRule[];
  readonly egress?: NetworkPolicyEgressRule[];
}

/**
 * The NetworkPolicy spec closing the path around the sidecar: the
 * application's own port is reachable from no other pod, the inbound port
 * only from declared callers, metrics only from monitoring.
 */
export function renderNetworkPolicySpec(plan: NetworkPolicyPlan): NetworkPolicySpec {
  const tcp = (port: number | string): NetworkPolicyPort[] => [{ protocol: 'TCP', port }];
  const namespace = (name: string): NetworkPolicyPeer => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });
  const ingress: NetworkPolicyIngressRule[] = [];
  if (plan.callers === undefined) {
    ingress.push({ ports: tcp(plan.inboundPort) });
  } else if (plan.callers.length > 0) {
    ingress.push({
      from: plan.callers.map(c => ({ ...namespace(c.namespace), podSelector: { matchLabels: c.podLabels } })),
      ports: tcp(plan.inboundPort),
    });
  }
  ingress.push({ from: [namespace(plan.monitoringNamespace)], ports: [...plan.statsPorts, ...plan.appMetricsPorts].flatMap(tcp) });
  for (const edge of plan.edges) {
    const peer = edge.peer && networkPolicyPeer(edge.peer);
    ingress.push({ ...(peer && { from: [peer] }), ports: tcp(edge.port) });
  }
  if (!plan.egress) return { podSelector: { matchLabels: plan.podLabels }, policyTypes: ['Ingress'], ingress };
  const egress: NetworkPolicyEgressRule[] = [{
    to: [{ ...namespace('kube-system'), podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
    ports: [{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }],
  }];
  if (plan.egress.services.length > 0) {
    egress.push({
      to: plan.egress.services.map(s => ({ ...namespace(s.namespace), podSelector: { matchLabels: s.podLabels } })),
      ports: tcp(plan.inboundPort),
    });
  }
  for (const port of plan.egress.externalPorts) egress.push({ ports: tcp(port) });
  for (const { cidrs, port } of plan.egress.externalRanges) egress.push({ to: cidrs.map(cidr => ({ ipBlock: { cidr } })), ports: tcp(port) });
  for (const s of plan.egress.clusterServices) {
    egress.push({ to: [{ ...namespace(s.namespace), ...(s.podLabels && { podSelector: { matchLabels: s.podLabels } }) }], ports: tcp(s.port) });
  }
  return { podSelector: { matchLabels: plan.podLabels }, policyTypes: ['Ingress', 'Egress'], ingress, egress };
}

/** An edge peer as a NetworkPolicyPeer: a namespace (and pod labels), addresses, or undefined for any source. */
export function networkPolicyPeer(source: EdgeSource): NetworkPolicyPeer | undefined {
  if (source.namespace !== undefined) {
    return {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': source.namespace } },
      ...(source.podLabels && { podSelector: { matchLabels: { ...source.podLabels } } }),
    };
  }
  return source.ipBlock === undefined ? undefined : { ipBlock: { cidr: source.ipBlock } };
}
