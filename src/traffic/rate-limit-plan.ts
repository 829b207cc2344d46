import { RateLimitScope } from './rate-limit-scope';
import { RateLimitDeclaration } from '../model/declarations';
import { ServiceModel } from '../model/mesh-model';
import { InboundRateLimitPlan } from '../plan/types';
import { healthCheckPaths } from '../security/security-plan';

/** The service's rate limits, if it has any. Pure. */
export function planRateLimits(service: ServiceModel): InboundRateLimitPlan | undefined {
  if (service.rateLimits.length === 0) return undefined;
  const ordered = [...service.rateLimits.filter(l => l.match), ...service.rateLimits.filter(l => !l.match)];
  return {
    limits: ordered.map(limit => {
      const tokensPerFill = perPodRequests(service, limit) ?? 0;
      return {
        source: limit.path,
        ...(limit.match && { path: limit.match }),
        tokensPerFill,
        maxTokens: Math.max(limit.burst ?? tokensPerFill, tokensPerFill),
        fillIntervalMs: limit.intervalMs,
      };
    }),
    exemptPaths: [...new Set(service.callers.flatMap(caller => healthCheckPaths(caller, service)))].sort(),
  };
}

/** What one pod admits per interval; undefined when a service-wide figure cannot be divided (replicas unknown, or none). */
export function perPodRequests(service: ServiceModel, limit: RateLimitDeclaration): number | undefined {
  if (limit.scope === RateLimitScope.PER_POD) return limit.requests;
  const replicas = serviceReplicas(service);
  return replicas === undefined || replicas === 0 ? undefined : Math.floor(limit.requests / replicas);
}

/** The pods of all the service's workloads; undefined when one of them sets no replicas (adopted). */
export function serviceReplicas(service: ServiceModel): number | undefined {
  let total = 0;
  for (const { replicas } of service.workloads) {
    if (replicas === undefined) return undefined;
    total += replicas;
  }
  return total;
}
