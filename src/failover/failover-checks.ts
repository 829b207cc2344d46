import { failoverFor, MeshModel, ServiceModel } from '../model/mesh-model';
import { Problem, problemsAt } from '../model/problem';
import { isHttp, Protocol } from '../protocol';
import { durationProblem } from '../value-checks';
import { validateCircuitBreaker } from './circuit-breaker';
import type { FailoverOptions } from './failover-options';
import { validateFault } from './fault-injection';
import type { ServiceRef } from '../model/refs';

/** Problems of each failover policy of the mesh's services. */
export function failoverPolicyChecks(model: MeshModel): Problem[] {
  return model.services.flatMap(service => service.failoverPolicies.map(policy => {
    const { backup } = policy.options;
    const target = service.service;
    const errors = failoverOptionProblems(policy.options, target);
    if (backup?._service && backup._service.mesh !== target.mesh) {
      errors.push(`backup ${backup.description} belongs to mesh ${backup._service.mesh.node.path}, not ${target.mesh.node.path}: `
        + 'its pods would not accept this mesh\'s callers; back up to a service of the same mesh, or Backup.host() for one outside');
    }
    if (backup?.backupService === target) {
      errors.push(`backup is ${target.name} itself: name another service or host`);
    }
    if (policy.caller && !calls(model.of(policy.caller), target)) {
      errors.push(`caller ${policy.caller.name} does not call ${target.name}: declare ${policy.caller.name}.callTo(${target.name}) first`);
    }
    return problemsAt(policy.path, errors);
  }).flat());
}

/** Problems of failover settings on their own, for a target speaking `protocol`: values, and settings its protocol cannot apply. */
export function failoverOptionProblems(options: FailoverOptions, target: { readonly name: string; readonly protocol: Protocol }): string[] {
  const { retry, timeout, idleTimeout, outlierDetection, circuitBreaker, healthCheck, backup, fault } = options;
  const errors = [
    ...(retry?._validate(timeout) ?? []),
    ...(outlierDetection?._validate() ?? []),
    ...(circuitBreaker ? validateCircuitBreaker(circuitBreaker) : []),
    ...(healthCheck?._validate() ?? []),
    ...(backup?._validate() ?? []),
    ...(fault ? validateFault(fault) : []),
  ];
  for (const [name, value] of [['timeout', timeout], ['idleTimeout', idleTimeout]] as const) {
    if (value && value.toMilliseconds({ integral: false }) <= 0) {
      errors.push(`${name} must be a positive duration`);
    } else if (value && durationProblem(value)) {
      errors.push(`${name}: ${durationProblem(value)}`);
    }
  }
  if (!isHttp(target.protocol)) {
    const httpOnly = { retry, timeout, idleTimeout, fault, healthCheck: healthCheck?._http ? healthCheck : undefined };
    for (const [name, value] of Object.entries(httpOnly)) {
      if (value !== undefined) errors.push(`${name} needs an HTTP or gRPC service, but ${target.name} speaks TCP`);
    }
  }
  if (backup && !outlierDetection && !healthCheck) {
    errors.push('backup is never used without outlierDetection or healthCheck: hosts are only found unhealthy by one of them');
  }
  return errors;
}

/** Problems a service's policies make together: several for one caller, or a backup chain that loops. */
export function failoverServiceChecks(model: MeshModel, service: ServiceModel): string[] {
  const errors: string[] = [];
  const callers = service.failoverPolicies.map(p => p.caller);
  for (const caller of new Set(callers)) {
    const paths = service.failoverPolicies.filter(p => p.caller === caller).map(p => p.path);
    if (paths.length > 1) {
      const scope = caller ? `caller ${caller.name}` : 'all callers';
      errors.push(`${paths.length} FailoverPolicies apply to ${scope} (${paths.join(', ')}): merge them into one`);
    }
  }
  const self = service.service;
  const chain: ServiceRef[] = [self];
  for (let backup = failoverFor(service, self).backup; backup?._service; backup = failoverFor(model.of(backup._service), self).backup) {
    if (chain.includes(backup._service)) {
      errors.push(`the failover chain loops: ${[...chain, backup._service].map(s => s.name).join(' -> ')}: end it at a service or host without a backup`);
      break;
    }
    chain.push(backup._service);
  }
  return errors;
}

/** Whether `caller` declared a call to `upstream`. */
export function calls(caller: ServiceModel, upstream: ServiceRef): boolean {
  return caller.declaredCalls.some(c => c.upstream === upstream);
}
