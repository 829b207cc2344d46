import { jwksCluster } from './jwks-source';
import { jwtProviderPaths, planJwtRules } from './jwt-rules';
import { JWKS_DIR } from '../engines/envoy/paths';
import { JwtDeclaration } from '../model/declarations';
import { ServiceModel } from '../model/mesh-model';
import { AuthorizationPlan, JwtPlan, JwtProviderPlan } from '../plan/types';
import { PathMatch } from '../traffic/route-match';

/**
 * Who may call a service: its callers, each narrowed by the authorization
 * policies naming it. A narrowed caller may still make the health checks its
 * sidecar sends to the service (they carry its identity): without them every
 * host would look unhealthy and traffic would fail over.
 */
export function planAuthorization(service: ServiceModel): AuthorizationPlan {
  return {
    mode: service.service.mesh.authorization,
    callers: service.callers.map(caller => {
      const policies = service.authorizationPolicies.filter(p => p.caller === caller.service);
      const rules = policies.map(p => ({ paths: p.paths, methods: [...p.methods].sort() }));
      const checks = healthCheckPaths(caller, service).map(path => ({ paths: [PathMatch.exact(path)], methods: [HEALTH_CHECK_METHOD] }));
      return { name: caller.service.qualifiedName, principal: caller.service.spiffeId, rules: rules.length > 0 ? [...rules, ...checks] : [] };
    }),
  };
}

/** Envoy's HTTP health checks use GET unless told otherwise (`HttpHealthCheck.method` in envoy/config/core/v3/health_check.proto). */
const HEALTH_CHECK_METHOD = 'GET';

/** The paths of the HTTP health checks `caller`'s sidecar sends to `service`'s pods (as a target or as a backup), sorted. */
export function healthCheckPaths(caller: ServiceModel, service: ServiceModel): string[] {
  const clusters = caller.calls.flatMap(call => call.clusters)
    .filter(cluster => cluster.service === service || cluster.backups.some(b => b.service === service));
  const paths = clusters.flatMap(({ failover }) => {
    const probe = failover.healthCheck?._spec().probe;
    return probe?.kind === 'http' ? [probe.path] : [];
  });
  return [...new Set(paths)].sort();
}

/** The jwt_authn providers, rules and key-fetching clusters of a service, if it has providers. */
export function planJwt(service: ServiceModel): JwtPlan | undefined {
  const providers = service.jwtProviders;
  if (providers.length === 0) return undefined;
  const remote = providers.flatMap(j => (j.jwks?._remote ? [{ ...j.jwks._remote, source: j.path }] : []));
  return {
    providers: providers.map(planProvider),
    rules: planJwtRules(providers.map(jwtProviderPaths)).rules,
    headersWritten: [...new Set(providers.flatMap(j => Object.values(j.claimHeaders ?? {}).map(h => h.toLowerCase())))].sort(),
    jwksClusters: [...new Map(remote.reverse().map(({ host, port, source }) => {
      const name = jwksCluster(host, port);
      return [name, { name, host, port, source }];
    })).values()].reverse(),
  };
}

function planProvider(jwt: JwtDeclaration): JwtProviderPlan {
  const remote = jwt.jwks?._remote;
  return {
    name: jwt.providerName,
    issuer: jwt.issuer,
    audiences: jwt.audiences ?? [],
    keys: remote
      ? { uri: remote.uri, cluster: jwksCluster(remote.host, remote.port), cacheDurationMs: remote.cacheDuration.toMilliseconds({ integral: false }) }
      : { file: `${jwksDir(jwt.providerName)}/jwks.json` },
    forwardToken: jwt.forwardToken ?? true,
    claimHeaders: Object.entries(jwt.claimHeaders ?? {}).map(([claim, header]) => ({ claim, header })),
  };
}

/** Where a provider's mounted keys are found in the sidecar. */
export function jwksDir(providerName: string): string {
  return `${JWKS_DIR}/${providerName}`;
}
