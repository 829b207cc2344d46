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
  const worst = worstPaths(edges);
  const nodes = [...worst.keys()].sort();
  const overLimit = (node: string) => worst.get(node)!.factor > limit;
  const pathFrom = (node: string): CallEdge[] => {
    const path: CallEdge[] = [];
    for (let edge = worst.get(node)!.next; edge && path.length < worst.size; edge = worst.get(edge.to)!.next) path.push(edge);
    return path;
  };
  const reachedFromOverLimit = new Set(nodes.filter(overLimit).flatMap(n => pathFrom(n).slice(0, -1).map(e => e.to)));
  return nodes.filter(n => overLimit(n) && !reachedFromOverLimit.has(n)).map(node => {
    const factor = worst.get(node)!.factor;
    const path = pathFrom(node);
    const hops = [node, ...path.map(e => e.to)].join(' -> ');
    const product = path.map(e => e.attempts).join(' x ');
    return `retry amplification ${factor} along ${hops} (${product} attempts): one request at ${node} may become ${factor} at ${path[path.length - 1].to}, above the limit of ${limit}; lower the attempts on some hops or raise Mesh maxRetryAmplification`;
  });
}

/**
 * For every node, the largest product of attempts along a path starting
 * there, and the first edge of that path. A depth-first search with an
 * explicit stack (meshes of many thousands of services must not overflow
 * the call stack); an edge back into the current path (a cycle) is skipped.
 */
function worstPaths(edges: CallEdge[]): Map<string, { factor: number; next?: CallEdge }> {
  const outgoing = groupBy(edges, e => e.from);
  const worst = new Map<string, { factor: number; next?: CallEdge }>();
  const entered = new Set<string>();
  const nodes = [...new Set(edges.flatMap(e => [e.from, e.to]))].sort();
  for (const root of nodes) {
    if (entered.has(root)) continue;
    entered.add(root);
    const stack = [{ node: root, i: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const out = outgoing.get(top.node) ?? [];
      if (top.i < out.length) {
        const next = out[top.i++].to;
        if (!entered.has(next)) {
          entered.add(next);
          stack.push({ node: next, i: 0 });
        }
        continue;
      }
      let best: { factor: number; next?: CallEdge } = { factor: 1 };
      for (const edge of out) {
        const below = worst.get(edge.to); // undefined: still on the stack, a cycle
        if (below && edge.attempts * below.factor > best.factor) best = { factor: edge.attempts * below.factor, next: edge };
      }
      worst.set(top.node, best);
      stack.pop();
    }
  }
  return worst;
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
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}

/**
 * Call cycles along which retries multiply without bound: a request retried
 * on some hop of a cycle can come back to where it started and be retried
 * again. One problem per strongly connected part of the graph, naming a
 * cycle through a retrying hop. Cycles without retries are allowed.
 */
export function retryCycles(edges: CallEdge[]): string[] {
  const component = stronglyConnected(edges);
  const problems: string[] = [];
  const reported = new Set<number>();
  for (const edge of [...edges].sort((a, b) => `${a.from}>${a.to}`.localeCompare(`${b.from}>${b.to}`))) {
    const part = component.get(edge.from)!;
    if (edge.attempts <= 1 || part !== component.get(edge.to) || reported.has(part)) continue;
    reported.add(part);
    const back = shortestPath(edges.filter(e => component.get(e.from) === part && component.get(e.to) === part), edge.to, edge.from);
    const cycle = [edge, ...back];
    const hops = [edge.from, ...cycle.map(e => e.to)].join(' -> ');
    problems.push(`retry amplification is unbounded along the call cycle ${hops} (${cycle.map(e => e.attempts).join(' x ')} attempts): `
      + 'a request retried on this cycle can come back and be retried again; set attempts to 1 on one of its hops, or break the cycle');
  }
  return problems;
}

/** The strongly connected component of every node (Tarjan's algorithm, with an explicit stack). */
function stronglyConnected(edges: CallEdge[]): Map<string, number> {
  const outgoing = groupBy(edges, e => e.from);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const component = new Map<string, number>();
  let counter = 0;
  for (const root of [...new Set(edges.flatMap(e => [e.from, e.to]))].sort()) {
    if (index.has(root)) continue;
    const work = [{ node: root, i: 0 }];
    index.set(root, counter); low.set(root, counter++); stack.push(root); onStack.add(root);
    while (work.length > 0) {
      const top = work[work.length - 1];
      const out = outgoing.get(top.node) ?? [];
      if (top.i < out.length) {
        const next = out[top.i++].to;
        if (!index.has(next)) {
          index.set(next, counter); low.set(next, counter++); stack.push(next); onStack.add(next);
          work.push({ node: next, i: 0 });
        } else if (onStack.has(next)) {
          low.set(top.node, Math.min(low.get(top.node)!, index.get(next)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) low.set(work[work.length - 1].node, Math.min(low.get(work[work.length - 1].node)!, low.get(top.node)!));
      if (low.get(top.node) === index.get(top.node)) {
        let node: string;
        do {
          node = stack.pop()!;
          onStack.delete(node);
          component.set(node, index.get(top.node)!);
        } while (node !== top.node);
      }
    }
  }
  return component;
}

/** The fewest edges from `from` to `to` (empty when they are the same node). */
function shortestPath(edges: CallEdge[], from: string, to: string): CallEdge[] {
  const outgoing = groupBy(edges, e => e.from);
  const via = new Map<string, CallEdge | undefined>([[from, undefined]]);
  for (let frontier = [from]; frontier.length > 0 && !via.has(to);) {
    frontier = frontier.flatMap(node => (outgoing.get(node) ?? []).filter(e => !via.has(e.to) && !!via.set(e.to, e)).map(e => e.to));
  }
  const path: CallEdge[] = [];
  for (let node = to; node !== from; node = via.get(node)!.from) path.unshift(via.get(node)!);
  return path;
}
