/**
 * Callers outside the mesh (an ingress controller, a cloud load balancer, a
 * namespace without sidecars) that a service is explicitly opened to.
 */
export abstract class EdgePeer {
  /** Pods of a namespace, optionally only those with the given labels. */
  public static namespace(name: string, podLabels?: { [key: string]: string }): EdgePeer {
    return new NetworkPeer(`namespace ${name}`, {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } },
      ...(podLabels && { podSelector: { matchLabels: podLabels } }),
    });
  }

  /** Addresses in a CIDR block (for example a load balancer's subnet). */
  public static ipBlock(cidr: string): EdgePeer {
    return new NetworkPeer(`addresses ${cidr}`, { ipBlock: { cidr } });
  }

  /** Any address. */
  public static anywhere(): EdgePeer {
    return new NetworkPeer('anywhere', undefined);
  }

  /** Short description, for diagrams and errors. */
  public abstract readonly description: string;

  /** The NetworkPolicy peer, or undefined for any source. @internal */
  public abstract readonly _peer?: Record<string, unknown>;
}

class NetworkPeer extends EdgePeer {
  constructor(public readonly description: string, public readonly _peer?: Record<string, unknown>) { super(); }
}
