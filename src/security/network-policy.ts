/** The ingress a mesh service's pods accept; everything else is refused. */
export interface NetworkPolicyPlan {
  /** Labels selecting the service's pods. */
  readonly podLabels: Record<string, string>;
  /** The sidecar's inbound port: open to the callers below. */
  readonly inboundPort: number;
  /** Pods whose sidecars call the service; undefined opens the port to any source (PERMISSIVE mTLS). */
  readonly callers?: Array<{ readonly namespace: string; readonly podLabels: Record<string, string> }>;
  /** The metrics port: open to the monitoring namespace only. */
  readonly statsPort: number;
  readonly monitoringNamespace: string;
  /** Ports opened explicitly to callers outside the mesh. */
  readonly edges: Array<{ readonly port: number; readonly peer?: Record<string, unknown> }>;
  /** Where the pods may connect to, when egress is restricted. */
  readonly egress?: EgressPlan;
}

/** The only connections a mesh pod may open when egress is restricted. */
export interface EgressPlan {
  /** Pods of the mesh services the sidecar sends to (on their inbound port). */
  readonly services: Array<{ readonly namespace: string; readonly podLabels: Record<string, string> }>;
  /** Ports of hosts outside the mesh (backups, JWKS), open to any address: a NetworkPolicy cannot name DNS names. */
  readonly externalPorts: number[];
}

/**
 * The NetworkPolicy spec closing the path around the sidecar: the
 * application's own port is reachable from no other pod, the inbound port
 * only from declared callers, metrics only from monitoring.
 */
export function renderNetworkPolicySpec(plan: NetworkPolicyPlan): Record<string, unknown> {
  const tcp = (port: number) => [{ protocol: 'TCP', port }];
  const namespace = (name: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } } });
  const ingress: Array<Record<string, unknown>> = [];
  if (plan.callers === undefined) {
    ingress.push({ ports: tcp(plan.inboundPort) });
  } else if (plan.callers.length > 0) {
    ingress.push({
      from: plan.callers.map(c => ({ ...namespace(c.namespace), podSelector: { matchLabels: c.podLabels } })),
      ports: tcp(plan.inboundPort),
    });
  }
  ingress.push({ from: [namespace(plan.monitoringNamespace)], ports: tcp(plan.statsPort) });
  for (const edge of plan.edges) {
    ingress.push({ ...(edge.peer && { from: [edge.peer] }), ports: tcp(edge.port) });
  }
  if (!plan.egress) return { podSelector: { matchLabels: plan.podLabels }, policyTypes: ['Ingress'], ingress };
  const egress: Array<Record<string, unknown>> = [{
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
  return { podSelector: { matchLabels: plan.podLabels }, policyTypes: ['Ingress', 'Egress'], ingress, egress };
}
