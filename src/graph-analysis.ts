/**
 * Whole-graph checks no run-time mesh can make before deploy: how retries
 * multiply along call paths, and whether timeouts leave upstreams the time
 * their own retries may take. Pure functions over the call graph.
 */

/** One call edge, with the failover settings its caller applies. */
export interface CallEdge {
  readonly from: string;
  readonly to: string;
  /** Tries per request, the first included. */
  readonly attempts: number;
  /** Time the caller waits for the request, retries included. */
  readonly timeoutMs: number;
  /** Timeout of each try, if set. */
  readonly perTryTimeoutMs?: number;
}

/**
 * Call paths along which one request at the top becomes more than `limit`
 * requests at the bottom (the product of attempts), worst path per starting
 * service, reported only from services no over-limit path runs through.
 */
export function retryAmplification(edges: CallEdge[], limit: number): string[] {
  const outgoing = groupBy(edges, e => e.from);
  const worst = new Map<string, { factor: number; path: CallEdge[] }>();
  const onStack = new Set<string>();

  const visit = (node: string): { factor: number; path: CallEdge[] } => {
    const known = worst.get(node);
    if (known) return known;
    onStack.add(node);
    let best = { factor: 1, path: [] as CallEdge[] };
    for (const edge of outgoing.get(node) ?? []) {
      if (onStack.has(edge.to)) continue; // a cycle adds no new hop to a simple path
      const below = visit(edge.to);
      const factor = edge.attempts * below.factor;
      if (factor > best.factor) best = { factor, path: [edge, ...below.path] };
    }
    onStack.delete(node);
    worst.set(node, best);
    return best;
  };

  const nodes = [...new Set(edges.flatMap(e => [e.from, e.to]))].sort();
  for (const node of nodes) visit(node);
  const overLimit = (node: string) => worst.get(node)!.factor > limit;
  const reachedFromOverLimit = new Set(nodes.filter(overLimit).flatMap(n => worst.get(n)!.path.slice(0, -1).map(e => e.to)));
  return nodes.filter(n => overLimit(n) && !reachedFromOverLimit.has(n)).map(node => {
    const { factor, path } = worst.get(node)!;
    const hops = [node, ...path.map(e => e.to)].join(' -> ');
    const product = path.map(e => e.attempts).join(' x ');
    return `retry amplification ${factor} along ${hops} (${product} attempts): one request at ${node} may become ${factor} at ${path[path.length - 1].to}, above the limit of ${limit}; lower the attempts on some hops or raise Mesh maxRetryAmplification`;
  });
}

/**
 * Callers that give up before their upstream is done trying its own
 * upstreams: the timeout of `a -> b` is shorter than what `b -> c` may take,
 * min(timeout, attempts x per-try timeout).
 */
export function timeoutBudgets(edges: CallEdge[]): string[] {
  const outgoing = groupBy(edges, e => e.from);
  const problems: string[] = [];
  for (const edge of edges) {
    for (const next of outgoing.get(edge.to) ?? []) {
      const tries = next.perTryTimeoutMs === undefined ? undefined : next.attempts * next.perTryTimeoutMs;
      const mayTake = Math.min(next.timeoutMs, tries ?? Infinity);
      if (edge.timeoutMs < mayTake) {
        const how = tries !== undefined && tries <= next.timeoutMs
          ? `${next.attempts} attempts x ${next.perTryTimeoutMs} ms`
          : `its timeout of ${next.timeoutMs} ms`;
        problems.push(`timeout budget: ${edge.from} -> ${edge.to} gives up after ${edge.timeoutMs} ms, but ${edge.to} may spend ${mayTake} ms on ${next.to} (${how}); lengthen the first timeout or shorten the second`);
      }
    }
  }
  return problems;
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}
