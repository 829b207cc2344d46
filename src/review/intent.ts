import { RateLimitPlan, SidecarPlan } from '../plan/types';
import { PathMatch } from '../traffic/route-match';

/**
 * What a service's mesh does, in the library's terms: what `cdk8s-mesh diff`
 * compares. Static sidecars carry it on their ConfigMap; for Istio and
 * Gateway API it is read back from their resources. A field an engine does not
 * express is absent.
 */
export interface ServiceIntent {
  readonly service: string;
  readonly namespace: string;
  readonly mtls: string;
  readonly sidecarImage?: string;
  /** `ENFORCE` or `DRY_RUN`; absent without authorization (mTLS disabled). */
  readonly authorization?: string;
  /** Each caller allowed in, with what it may request (`*`: anything); absent without mTLS (callers cannot be told apart). */
  readonly callers?: Record<string, string[]>;
  /** Ways in for callers outside the mesh (`port 8000 from anywhere`). */
  readonly edges?: string[];
  /** Paths that need an end-user token, with the issuers accepted there. */
  readonly jwt?: Record<string, string[]>;
  /** Oldest TLS version accepted (static sidecars). */
  readonly tlsMinimumVersion?: string;
  /** Whether the mesh CA comes from a trust bundle (static sidecars). */
  readonly trustBundle?: boolean;
  /** Inbound rate limits by the paths they count (`*`: every other request). */
  readonly rateLimits?: Record<string, RateIntent>;
  /** Each upstream called, with its routes and failover settings (static sidecars: this service's own calls). */
  readonly calls: Record<string, CallIntent>;
  /** Routes to this service by caller (`*`: every caller), for engines that route at the destination (Istio, Gateway API). */
  readonly routedFrom?: Record<string, CallIntent>;
}

/** A token bucket, per pod. */
export interface RateIntent {
  readonly perSecond: number;
  readonly burst: number;
}

export interface CallIntent {
  /** Each route, in the order tried: what it matches, and the share of each version (`<service>_<version>` clusters). */
  readonly routes: Array<{ readonly match: string; readonly weights: Record<string, number> }>;
  readonly attempts?: number;
  readonly perTryTimeoutMs?: number;
  readonly timeoutMs?: number;
  /** Hosts outside the mesh, each `host:port TLS` or `host:port plaintext`. */
  readonly external?: string[];
}

/** Annotation of a sidecar's ConfigMap that holds its intent (JSON): never on a pod template, which would restart pods. */
export const INTENT_ANNOTATION = 'mesh.cdk8s.io/intent';

/** The intent of a sidecar plan; `edgePeers` describes who each edge port is open to. Pure. */
export function sidecarIntent(plan: SidecarPlan, sidecarImage: string, edgePeers: Record<number, string[]> = {}): ServiceIntent {
  const { authorization, jwt, edges } = plan.security;
  const issuerOf = new Map(jwt?.providers.map(p => [p.name, p.issuer]));
  return {
    service: plan.service,
    namespace: plan.namespace,
    mtls: plan.security.mtls,
    sidecarImage,
    tlsMinimumVersion: plan.security.tlsMinimumVersion,
    trustBundle: plan.security.trustBundle,
    ...(authorization && {
      authorization: authorization.mode,
      callers: Object.fromEntries(authorization.callers.map(caller => [caller.name, caller.rules.length === 0 ? ['*'] : caller.rules.map(rule =>
        `${rule.methods.length > 0 ? rule.methods.join('|') : '*'} ${rule.paths.length > 0 ? rule.paths.map(describePath).join('|') : '*'}`)])),
    }),
    ...(edges.length > 0 && {
      edges: edges.flatMap(e => (edgePeers[e.port] ?? ['?']).map(peer => `port ${e.port} from ${peer}${e.tls ? ' (TLS)' : ''}`)).sort(),
    }),
    ...(jwt && { jwt: Object.fromEntries(jwt.rules.map(rule => [describePath(rule.path), rule.providers.map(p => issuerOf.get(p) ?? p).sort()])) }),
    ...(plan.rateLimits && { rateLimits: Object.fromEntries(plan.rateLimits.limits.map(limit => [limit.path ? describePath(limit.path) : '*', rateOf(limit)])) }),
    calls: Object.fromEntries(plan.upstreams.map(upstream => {
      const last = upstream.routes[upstream.routes.length - 1];
      const external = upstream.clusters.flatMap(c => c.endpoints.filter(e => e.external).map(e => `${e.host}:${e.port} ${e.external!.tls ? 'TLS' : 'plaintext'}`));
      return [upstream.name, {
        routes: upstream.routes.map(route => ({
          match: describeMatch(route.match),
          weights: Object.fromEntries(route.split.map(target => [target.cluster, target.weight])),
        })),
        ...(last?.retry && { attempts: last.retry.attempts }),
        ...(last?.retry?.perTryTimeoutMs !== undefined && { perTryTimeoutMs: last.retry.perTryTimeoutMs }),
        ...(last?.timeoutMs !== undefined && { timeoutMs: last.timeoutMs }),
        ...(external.length > 0 && { external: [...new Set(external)].sort() }),
      }];
    })),
  };
}

function rateOf(limit: RateLimitPlan): RateIntent {
  return { perSecond: (limit.tokensPerFill * 1000) / limit.fillIntervalMs, burst: limit.maxTokens };
}

/** A path as the intent writes it: `/a/*` (prefix), `/a` (exact), `~re` (regex). */
export function describePath(path: PathMatch): string {
  return { prefix: `${path._value}*`, path: path._value, regex: `~${path._value}` }[path._kind];
}

function describeMatch(match: SidecarPlan['upstreams'][number]['routes'][number]['match']): string {
  const parts = [
    ...(match.path ? [describePath(match.path)] : []),
    ...(match.headers ?? []).map(h => `${h._name}${h._kind === 'present' ? '' : `=${h._value}`}`),
    ...(match.methods ?? []),
  ];
  return parts.length > 0 ? parts.join(' ') : '*';
}
