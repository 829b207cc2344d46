import { invalidDnsLabel, isIpv4Cidr } from '../value-checks';

/**
 * Who an edge peer is, in every engine's terms: pods of a namespace
 * (optionally only those with labels), addresses, or (neither) anyone. @internal
 */
export interface EdgeSource {
  readonly namespace?: string;
  readonly podLabels?: { readonly [key: string]: string };
  readonly ipBlock?: string;
}

/** Whether a peer is anyone: no namespace and no addresses. */
export function isAnySource(source: EdgeSource): boolean {
  return source.namespace === undefined && source.ipBlock === undefined;
}

/**
 * Callers outside the mesh (an ingress controller, a cloud load balancer, a
 * namespace without sidecars) that a service is explicitly opened to.
 */
export abstract class EdgePeer {
  /** Pods of a namespace, optionally only those with the given labels. */
  public static namespace(name: string, podLabels?: { [key: string]: string }): EdgePeer {
    const problems = [
      ...(invalidDnsLabel(name) ? [`namespace ${invalidDnsLabel(name)}`] : []),
      ...Object.entries(podLabels ?? {}).flatMap(([key, value]) => invalidLabel(key, value)),
    ];
    return new NetworkPeer(`namespace ${name}`, { namespace: name, ...(podLabels && { podLabels }) }, problems);
  }

  /** Addresses in a CIDR block (for example a load balancer's subnet). */
  public static ipBlock(cidr: string): EdgePeer {
    return new NetworkPeer(`addresses ${cidr}`, { ipBlock: cidr }, isIpv4Cidr(cidr) ? [] : [`'${cidr}' is not an IPv4 CIDR block such as 10.0.0.0/16`]);
  }

  /** Any address. */
  public static anywhere(): EdgePeer {
    return new NetworkPeer('anywhere', {}, []);
  }

  /** Short description, for diagrams and errors. */
  public abstract readonly description: string;

  /** Who the peer is, for the engines. @internal */
  public abstract readonly _source: EdgeSource;

  /** Problems with the peer's names or addresses. @internal */
  public abstract _validate(): string[];
}

class NetworkPeer extends EdgePeer {
  constructor(
    public readonly description: string,
    public readonly _source: EdgeSource,
    private readonly problems: string[],
  ) { super(); }

  public _validate(): string[] {
    return this.problems;
  }
}

/** Problems with a label, as Kubernetes checks label keys and values. */
function invalidLabel(key: string, value: string): string[] {
  const name = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
  const labelValue = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;
  return [
    ...(name.test(key) ? [] : [`pod label key '${key}' is not a valid label key`]),
    ...(labelValue.test(value) ? [] : [`pod label value '${value}' is not a valid label value (at most 63 letters, digits, '-', '_' and '.')`]),
  ];
}
