import { Duration } from 'cdk8s';
import { MeshModel } from '../model/mesh-model';
import { Problem, problemsAt } from '../model/problem';
import { isHttp } from '../protocol';
import { durationProblem, isUint32, UINT32_MAX } from '../value-checks';
import { perPodRequests, serviceReplicas } from './rate-limit-plan';
import { RateLimitScope } from './rate-limit-scope';
import { isCatchAll, shadows, validateMatch } from './route-match';

/** Envoy refuses token buckets refilled more often than every 50 ms (local_rate_limit.proto). */
const MIN_FILL_INTERVAL_MS = 50;

/** Problems of each rate limit: its figures, its path, and limits that could never count a request. */
export function rateLimitChecks(model: MeshModel): Problem[] {
  return model.services.flatMap(service => service.rateLimits.flatMap((limit, i) => {
    const errors: string[] = [];
    if (!isHttp(service.service.protocol)) {
      errors.push(`${service.service.name} speaks TCP: rate limits count HTTP requests; remove the limit or give the service an HTTP protocol`);
    }
    if (!isUint32(limit.requests, 1)) errors.push(`requests ${limit.requests} is invalid: use an integer from 1 to ${UINT32_MAX}`);
    const interval = durationProblem(Duration.millis(limit.intervalMs), { min: MIN_FILL_INTERVAL_MS });
    if (interval) errors.push(`interval: ${interval}; Envoy refills a token bucket at most every 50 ms`);
    const perPod = perPodRequests(service, limit);
    if (limit.scope === RateLimitScope.SERVICE && serviceReplicas(service) === 0) {
      // Dividing by no pods would write max_tokens: null, which Envoy refuses (token_bucket.proto: max_tokens > 0).
      errors.push(`a service-wide limit divides requests ${limit.requests} among the replicas of ${service.service.name}, which has 0 replicas: `
        + 'give it replicas, or use RateLimitScope.PER_POD');
    } else if (perPod === undefined) {
      errors.push(`a service-wide limit needs the replicas of every workload of ${service.service.name}, and an adopted one sets none: `
        + 'set its replicas, or use RateLimitScope.PER_POD');
    } else if (isUint32(limit.requests, 1) && perPod < 1) {
      const replicas = serviceReplicas(service);
      errors.push(`requests ${limit.requests} for the whole service is less than 1 per pod over its ${replicas} replicas: `
        + `raise requests to at least ${replicas}, or lengthen the interval`);
    }
    if (limit.burst !== undefined && (!isUint32(limit.burst, 1) || (perPod !== undefined && limit.burst < perPod))) {
      errors.push(`burst ${limit.burst} is invalid: use an integer from the per-pod figure (${perPod ?? limit.requests}) to ${UINT32_MAX}`);
    }
    if (limit.match) errors.push(...validateMatch({ path: limit.match }));
    // Envoy tries the limits with a path in declaration order, then the one without.
    const covering = limit.match
      ? service.rateLimits.slice(0, i).find(other => other.match && shadows({ path: other.match }, { path: limit.match }))
      : service.rateLimits.find((other, j) => (other.match ? isCatchAll({ path: other.match }) : j < i));
    if (covering) {
      errors.push(`every request it would count is already counted by ${covering.path}: a request counts against one limit only; `
        + 'remove one of them, or give this one a path the other does not cover');
    }
    return problemsAt(limit.path, errors);
  }));
}
