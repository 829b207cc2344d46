import { jwksCluster } from './jwks-source';
import { jwtProviderPaths, planJwtRules } from './jwt-rules';
import { JWKS_DIR } from '../envoy/paths';
import { AuthorizationPlan, JwtPlan, JwtProviderPlan } from '../envoy/plan';
import { JwtDeclaration } from '../model/declarations';
import { ServiceModel } from '../model/mesh-model';

/** Who may call a service: its callers, each narrowed by the authorization policies naming it. */
export function planAuthorization(service: ServiceModel): AuthorizationPlan {
  return {
    mode: service.service.mesh.authorization,
    callers: service.callers.map(({ service: caller }) => ({
      name: caller.qualifiedName,
      principal: caller.spiffeId,
      rules: service.authorizationPolicies.filter(p => p.caller === caller).map(p => ({ paths: p.paths, methods: [...p.methods].sort() })),
    })),
  };
}

/** The jwt_authn providers, rules and key-fetching clusters of a service, if it has providers. */
export function planJwt(service: ServiceModel): JwtPlan | undefined {
  const providers = service.jwtProviders;
  if (providers.length === 0) return undefined;
  const remote = providers.map(j => j.jwks?._remote).filter(r => r !== undefined);
  return {
    providers: providers.map(planProvider),
    rules: planJwtRules(providers.map(jwtProviderPaths)).rules,
    headersWritten: [...new Set(providers.flatMap(j => Object.values(j.claimHeaders ?? {}).map(h => h.toLowerCase())))].sort(),
    jwksClusters: [...new Map(remote.map(r => [jwksCluster(r.host), { name: jwksCluster(r.host), host: r.host, port: r.port }])).values()],
  };
}

function planProvider(jwt: JwtDeclaration): JwtProviderPlan {
  const remote = jwt.jwks?._remote;
  return {
    name: jwt.providerName,
    issuer: jwt.issuer,
    audiences: jwt.audiences ?? [],
    keys: remote
      ? { uri: remote.uri, cluster: jwksCluster(remote.host), cacheDurationMs: remote.cacheDuration.toMilliseconds({ integral: false }) }
      : { file: `${jwksDir(jwt.providerName)}/jwks.json` },
    forwardToken: jwt.forwardToken ?? true,
    claimHeaders: Object.entries(jwt.claimHeaders ?? {}).map(([claim, header]) => ({ claim, header })),
  };
}

/** Where a provider's mounted keys are found in the sidecar. */
export function jwksDir(providerName: string): string {
  return `${JWKS_DIR}/${providerName}`;
}
