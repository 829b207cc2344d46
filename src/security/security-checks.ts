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

/** Headers a claim may not be copied into: where the token travels, and headers HTTP reserves (hop by hop, framing). */
const HTTP_RESERVED_HEADERS = ['authorization', 'host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'proxy-connection', 'te', 'upgrade'];

/**
 * Request headers Envoy sets, sanitizes or reads itself: a claim copied into
 * one would be overwritten by Envoy, or would change what Envoy does.
 * Source: Envoy's "HTTP header manipulation" (docs/root/configuration/http/
 * http_conn_man/headers.rst): user-agent, x-client-trace-id, x-envoy-*,
 * x-forwarded-client-cert, x-forwarded-for, x-forwarded-proto, x-request-id,
 * the tracers' x-ot-span-context, x-b3-*, b3, x-datadog-*, sw8,
 * x-amzn-trace-id; the OpenTelemetry tracer's W3C traceparent / tracestate;
 * x-forwarded-host and x-forwarded-port (RouteAction.append_x_forwarded_host,
 * HttpConnectionManager.append_x_forwarded_port). Pseudo-headers (:authority,
 * :path, ...) are not header names and fail the name check before this one.
 */
const ENVOY_SET_HEADERS = [
  'user-agent', 'x-client-trace-id', 'x-forwarded-client-cert', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host',
  'x-forwarded-port', 'x-request-id', 'x-ot-span-context', 'b3', 'sw8', 'x-amzn-trace-id', 'traceparent', 'tracestate',
];
const ENVOY_SET_PREFIXES = ['x-envoy-', 'x-b3-', 'x-datadog-'];

/** Why a claim may not be copied into `header`, if it may not. */
function claimHeaderProblem(header: string): string | undefined {
  if (!isHeaderName(header)) return `claim header '${header}' is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_\`|~)`;
  const name = header.toLowerCase();
  if (HTTP_RESERVED_HEADERS.includes(name)) {
    return `claim header '${header}' is reserved: the sidecar strips claim headers from incoming requests, and this one carries the token `
      + 'or frames the request; use a header of your own, such as x-user-id';
  }
  if (ENVOY_SET_HEADERS.includes(name) || ENVOY_SET_PREFIXES.some(prefix => name.startsWith(prefix))) {
    return `claim header '${header}' is reserved: Envoy sets or reads it itself (x-envoy-*, x-forwarded-*, x-request-id, tracing headers); `
      + 'use a header of your own, such as x-user-id';
  }
  if (name.includes('_')) {
    // The sidecar strips exactly this name; servers and proxies that read '_' as '-' (CGI-style frameworks, nginx with
    // underscores_in_headers, WSGI) would also read a client-sent x-user-id as this claim.
    return `claim header '${header}' contains '_': the sidecar strips only '${header}', and applications that treat '_' and '-' alike `
      + `would read a client-sent '${name.replace(/_/g, '-')}' as the claim; use '${name.replace(/_/g, '-')}'`;
  }
  return undefined;
}

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
      const problem = claimHeaderProblem(header);
      if (problem) errors.push(problem);
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

/**
 * Adopted Deployments and StatefulSets whose pods Pod Security "restricted" would refuse
 * (https://kubernetes.io/docs/concepts/security/pod-security-standards/). What a container
 * leaves unset is completed at synth (capabilities dropped: `Workload.dropAllCapabilities`;
 * cdk8s-plus writes the rest); what it sets against the profile is refused here, naming it.
 */
export function adoptedPodSecurityChecks(model: MeshModel): Problem[] {
  const adopted = (workloads: MeshModel['services'][number]['workloads']) => workloads.filter(w => !w.created);
  return model.services.flatMap(({ service, workloads }) => problemsAt(service.node.path, adopted(workloads).flatMap(({ workload }) => {
    const pods = workload.pods;
    const what = `the adopted ${pods.kind} ${pods.name}`;
    const restricted = 'which Pod Security "restricted" refuses';
    const errors: string[] = [];
    if (pods.hostNetwork) errors.push(`${what} sets hostNetwork: true, ${restricted}: remove it`);
    if (!pods.securityContext.ensureNonRoot) {
      errors.push(`${what} sets securityContext.ensureNonRoot: false, ${restricted}: remove it (cdk8s-plus then writes runAsNonRoot: true)`);
    }
    if (pods.securityContext.user === 0) errors.push(`${what} sets securityContext.user: 0 (root), ${restricted}: run as a non-zero user`);
    for (const container of [...pods.initContainers, ...pods.containers]) { // the mesh's sidecar passes these as built
      const sc = container.securityContext;
      const at = `${what}: container '${container.name}' sets securityContext`;
      if (sc.privileged) errors.push(`${at}.privileged: true, ${restricted}: remove it`);
      if (sc.allowPrivilegeEscalation) errors.push(`${at}.allowPrivilegeEscalation: true, ${restricted}: remove it (cdk8s-plus then writes false)`);
      if (!sc.ensureNonRoot) errors.push(`${at}.ensureNonRoot: false, ${restricted}: remove it (cdk8s-plus then writes runAsNonRoot: true)`);
      if (sc.user === 0) errors.push(`${at}.user: 0 (root), ${restricted}: run as a non-zero user`);
      const added = (sc.capabilities?.add ?? []).map(String).filter(c => c !== 'NET_BIND_SERVICE');
      if (added.length > 0) {
        errors.push(`${at}.capabilities.add [${added.join(', ')}], ${restricted} (only NET_BIND_SERVICE may be added): remove them`);
      }
    }
    return errors;
  })));
}
