import { jwtProviderPaths, planJwtRules } from './jwt-rules';
import { MtlsMode } from './mtls';
import { healthCheckPaths } from './security-plan';
import { calls } from '../failover/failover-checks';
import { MeshModel } from '../model/mesh-model';
import { Problem, problemsAt } from '../model/problem';
import { isHttp } from '../protocol';
import { pathMatches, validateMatch } from '../traffic/route-match';
import { invalidDnsLabel, isHeaderName } from '../value-checks';

/** Problems of each authorization policy: a caller that does not call, paths on TCP, no mTLS to identify callers. */
export function authorizationChecks(model: MeshModel): Problem[] {
  return model.services.flatMap(({ service, authorizationPolicies, callers }) => authorizationPolicies.flatMap(policy => {
    const errors: string[] = [];
    if (!calls(model.of(policy.caller), service) && !callers.some(c => c.service === policy.caller)) {
      errors.push(`caller ${policy.caller.name} does not call ${service.name} (directly, through a route or as a backup): declare ${policy.caller.name}.callTo(${service.name}), or remove the policy`);
    }
    if (!isHttp(service.protocol) && (policy.paths.length > 0 || policy.methods.length > 0)) {
      errors.push(`${service.name} speaks TCP: paths and methods cannot be authorized; remove them`);
    }
    errors.push(...policy.paths.flatMap(path => validateMatch({ path })));
    if (service.mesh.mtls === MtlsMode.DISABLED) {
      errors.push('authorization by caller identity needs mutual TLS, but the mesh has mtls: MtlsMode.DISABLED');
    } else if (service.mesh.mtls === MtlsMode.PERMISSIVE) {
      errors.push('authorization by caller identity needs mutual TLS, but the mesh has mtls: MtlsMode.PERMISSIVE, which also accepts plaintext '
        + 'requests that carry no identity and that no policy could narrow; use MtlsMode.STRICT once every caller is in the mesh');
    }
    return problemsAt(policy.path, errors);
  }));
}

/** Headers a claim may not be copied into: where the token travels, and headers Envoy or HTTP reserve. */
const RESERVED_CLAIM_HEADERS = ['authorization', 'host', 'content-length', 'transfer-encoding', 'connection', 'te', 'upgrade'];

/** Problems of each JWT provider, and of the providers of one service together. */
export function jwtChecks(model: MeshModel): Problem[] {
  return model.services.flatMap(({ service, jwtProviders }) => jwtProviders.flatMap(jwt => {
    const errors: string[] = [];
    const { issuer, jwks, claimHeaders } = jwt;
    if (!issuer || issuer.trim() === '') errors.push('JWT provider has no issuer: give the iss claim tokens must carry');
    if (!jwks) {
      errors.push('JWT provider has no keys: give jwks: JwksSource.remote(url), JwksSource.fromConfigMap(...) or JwksSource.fromSecret(...)');
    } else {
      errors.push(...jwks._validate());
    }
    for (const header of Object.values(claimHeaders ?? {})) {
      if (!isHeaderName(header)) {
        errors.push(`claim header '${header}' is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_\`|~)`);
      } else if (RESERVED_CLAIM_HEADERS.includes(header.toLowerCase()) || /^x-envoy-/i.test(header)) {
        errors.push(`claim header '${header}' is reserved: the sidecar strips claim headers from incoming requests, and this one carries the token `
          + 'or is set by Envoy itself; use a header of your own, such as x-user-id');
      }
    }
    errors.push(...(jwt.paths ?? []).flatMap(path => validateMatch({ path })));
    if (!isHttp(service.protocol)) errors.push(`${service.name} speaks TCP: JWT authentication needs HTTP or gRPC`);
    if (invalidDnsLabel(`jwks-${jwt.providerName}`)) {
      errors.push(`the construct id '${jwt.id}' names the JWT provider: use lower-case letters, digits and '-', at most 57 characters`);
    }
    // Health checks carry no token: a provider guarding a caller's health-check path would fail every host.
    for (const caller of model.of(service).callers) {
      for (const path of healthCheckPaths(caller, model.of(service)).filter(p => jwtProviderPaths(jwt).paths.some(m => pathMatches(m, p)))) {
        errors.push(`JWT provider '${jwt.providerName}' requires a token on ${path}, the path ${caller.service.name}'s sidecar health-checks without one: `
          + 'every host would look unhealthy; leave the health-check path out of paths');
      }
    }
    const twins = jwtProviders.filter(p => p !== jwt && p.providerName === jwt.providerName);
    if (twins.length > 0) {
      errors.push(`JWT provider name '${jwt.providerName}' is also that of ${twins[0].path}: give the constructs different ids`);
    } else {
      errors.push(...planJwtRules(jwtProviders.map(jwtProviderPaths)).problems.filter(p => p.provider === jwt.providerName).map(p => p.message));
    }
    return problemsAt(jwt.path, errors);
  }));
}
