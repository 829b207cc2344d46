import { SidecarPlan } from '../plan/types';
import { PathMatch } from '../traffic/route-match';

/** What a service's sidecar does, in the library's terms: what `cdk8s-mesh diff` compares. */
export interface ServiceIntent {
  readonly service: string;
  readonly namespace: string;
  readonly mtls: string;
  readonly sidecarImage: string;
  /** Each caller allowed in, with what it may request (`*`: anything); absent without mTLS (callers cannot be told apart). */
  readonly callers?: Record<string, string[]>;
  /** Each upstream called, with its routes and failover settings. */
  readonly calls: Record<string, CallIntent>;
}

export interface CallIntent {
  /** Each route, in the order tried: what it matches, and the share of each version (`<service>_<version>` clusters). */
  readonly routes: Array<{ readonly match: string; readonly weights: Record<string, number> }>;
  readonly attempts?: number;
  readonly perTryTimeoutMs?: number;
  readonly timeoutMs?: number;
}

/** Annotation of a sidecar's ConfigMap that holds its intent (JSON): never on a pod template, which would restart pods. */
export const INTENT_ANNOTATION = 'mesh.cdk8s.io/intent';

/** The intent of a sidecar plan. Pure. */
export function sidecarIntent(plan: SidecarPlan, sidecarImage: string): ServiceIntent {
  const authorization = plan.security.authorization;
  return {
    service: plan.service,
    namespace: plan.namespace,
    mtls: plan.security.mtls,
    sidecarImage,
    ...(authorization && {
      callers: Object.fromEntries(authorization.callers.map(caller => [caller.name, caller.rules.length === 0 ? ['*'] : caller.rules.map(rule =>
        `${rule.methods.length > 0 ? rule.methods.join('|') : '*'} ${rule.paths.length > 0 ? rule.paths.map(describePath).join('|') : '*'}`)])),
    }),
    calls: Object.fromEntries(plan.upstreams.map(upstream => {
      const last = upstream.routes[upstream.routes.length - 1];
      return [upstream.name, {
        routes: upstream.routes.map(route => ({
          match: describeMatch(route.match),
          weights: Object.fromEntries(route.split.map(target => [target.cluster, target.weight])),
        })),
        ...(last?.retry && { attempts: last.retry.attempts }),
        ...(last?.retry?.perTryTimeoutMs !== undefined && { perTryTimeoutMs: last.retry.perTryTimeoutMs }),
        ...(last?.timeoutMs !== undefined && { timeoutMs: last.timeoutMs }),
      }];
    })),
  };
}

function describePath(path: PathMatch): string {
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
