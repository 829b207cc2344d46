import type { IstioSettings } from './istio-resources';
import { circuitBreakerSpec } from '../../failover/circuit-breaker';
import type { FailoverOptions } from '../../failover/failover-options';
import type { MeshModel, ServiceModel } from '../../model/mesh-model';
import { Problem, problemsAt } from '../../model/problem';
import { JwtProviderOverlap } from '../../security/jwt-provider-overlap';
import { TlsVersion } from '../../security/mtls';
import { LoadBalancingSpec } from '../../traffic/load-balancer';
import { PathMatch } from '../../traffic/route-match';

/**
 * What a mesh on Istio cannot express with the meaning it has on static
 * Envoy sidecars. Each declaration either maps with the same meaning or is
 * refused here, naming the feature and what would be valid.
 */
export function istioChecks(model: MeshModel, settings: IstioSettings): Problem[] {
  const { mesh } = model;
  const on = `on ${mesh.engine.description}`;
  const meshProblems = problemsAt(mesh.node.path, [
    ...(mesh.certificates && !mesh.certificates._meshPrivateCa
      ? [`certificates ${on}: Istio issues the workload certificates from its own CA, not yours; remove certificates (or plug your CA into Istio)`] : []),
    ...(mesh.trustBundle ? [`trustBundle ${on}: Istio distributes its own root certificates; remove trustBundle`] : []),
    ...(mesh.tlsMinimumVersion === TlsVersion.TLS_1_3
      ? [`tlsMinimumVersion TLS_1_3 ${on}: set meshMTLS.minProtocolVersion: TLSV1_3 in Istio's MeshConfig instead; no mesh resource can set it`] : []),
    ...(mesh.nativeSidecars ? [`nativeSidecars ${on}: Istio injects its own sidecar; enable native sidecars in Istio's installation instead`] : []),
    ...(mesh.restrictEgress ? [`restrictEgress ${on}: Istio's REGISTRY_ONLY binds only traffic its proxy captures, which a NetworkPolicy does not; `
      + 'remove restrictEgress and restrict egress outside the mesh'] : []),
    ...(mesh.tracing && !settings.tracingProvider
      ? [`tracing ${on}: Istio's proxies send spans to an extension provider of its MeshConfig; name the one for `
        + `${mesh.tracing._spec().collectorHost}:${mesh.tracing._spec().collectorPort} with MeshEngine.istio({ tracingProvider: '<name>' })`] : []),
    ...(!mesh.tracing && settings.tracingProvider
      ? [`tracingProvider '${settings.tracingProvider}' ${on}, but the mesh has no tracing: its Telemetry would disable span reporting `
        + '(disableSpanReporting: true); set Mesh tracing (Tracing.openTelemetry({ collectorHost })) or remove tracingProvider'] : []),
  ]);
  return [
    ...meshProblems,
    ...model.services.flatMap(service => serviceProblems(service, on, !!settings.decodeAndMergeSlashes)),
    ...model.externals.flatMap(external => problemsAt(external.node.path, failoverProblems(external.failover, on))),
  ];
}

function serviceProblems(service: ServiceModel, on: string, decodesPaths: boolean): Problem[] {
  const path = service.service.node.path;
  return [
    ...problemsAt(path, [
      ...service.exposures.filter(e => e.peer._source.podLabels !== undefined).map(e => `exposeTo ${e.peer.description} with pod labels ${on}: `
        + 'an AuthorizationPolicy tells namespaces apart, not pods; open the service to the whole namespace'),
      ...jwtIssuerProblems(service, on),
      ...service.externalCalls.filter(({ external }) => external.mesh.namespace !== service.service.namespace)
        .map(({ external }) => `callTo(${external.name}) from namespace ${service.service.namespace} ${on}: its ServiceEntry and rules live in the `
          + `mesh's namespace ${external.mesh.namespace}, and Istio applies them to callers there; call it from there`),
      ...loadBalancerProblems(service.service.loadBalancer._spec(), on),
    ]),
    ...service.failoverPolicies.flatMap(policy => problemsAt(policy.path, [
      ...failoverProblems(policy.options, on),
      ...(policy.caller && (policy.options.outlierDetection || policy.options.circuitBreaker)
        ? [`outlier detection or circuit breaker for caller ${policy.caller.name} only ${on}: a DestinationRule applies to every caller; declare them without caller`] : []),
    ])),
    ...service.authorizationPolicies.flatMap(policy => problemsAt(policy.path, policy.paths.flatMap(p => pathProblems(p, on, decodesPaths)))),
    ...service.jwtProviders.flatMap(jwt => problemsAt(jwt.path, [
      ...(jwt.jwks._remote ? [] : [`JWKS from a mounted file ${on}: a RequestAuthentication fetches keys from a URL; use JwksSource.remote()`]),
      ...(jwt.overlap === JwtProviderOverlap.ALL_PROVIDERS ? [`overlap ALL_PROVIDERS ${on}: Istio accepts a token of any provider; use ANY_PROVIDER`] : []),
      ...(jwt.paths ?? []).flatMap(p => pathProblems(p, on, decodesPaths)),
      ...(Object.keys(jwt.claimHeaders ?? {}).length > 0 ? [`claimHeaders ${on}: Istio's sidecars let a client's x_user_id through beside the x-user-id `
        + 'they write, which many frameworks read as the same header; remove claimHeaders and read the forwarded token'] : []),
    ])),
  ];
}

/**
 * What Istio ignores without a change of meaning, reported as notes at synth:
 * `CertificateSource.selfSignedCa()` asks for a CA private to the mesh, and
 * Istio's own CA is one, issuing the same SPIFFE identities (one per
 * ServiceAccount, in the trust domain both share). A source naming a CA of
 * yours stays refused.
 */
export function istioNotes(model: MeshModel): Problem[] {
  const { mesh } = model;
  return problemsAt(mesh.node.path, mesh.certificates?._meshPrivateCa
    ? [`certificates (a self-signed mesh CA) ignored on ${mesh.engine.description}: Istio's own CA, also private to the mesh, issues the workload `
      + 'certificates with the same SPIFFE identities'] : []);
}

/**
 * A path an AuthorizationPolicy or a token requirement matches: exact or a
 * prefix, without `*` or `{` (Istio reads them as wildcards and templates),
 * and only where Istio normalizes paths as a static sidecar does.
 */
function pathProblems(path: PathMatch, on: string, decodesPaths: boolean): string[] {
  if (path._kind === 'regex') return [`path regex '${path._value}' ${on}: AuthorizationPolicy paths are exact or prefixes; use PathMatch.exact() or PathMatch.prefix()`];
  if (/[*{}]/.test(path._value)) return [`path '${path._value}' ${on}: Istio reads '*' and '{' in a path as wildcards and templates; match another path`];
  if (!decodesPaths && path._value !== '/') {
    return [`path '${path._value}' ${on}: Istio matches paths before merging slashes or decoding %2F unless its MeshConfig sets pathNormalization `
      + 'DECODE_AND_MERGE_SLASHES, so //x or %2F would slip past the rule; set it and pass decodeAndMergeSlashes: true '
      + '(istioDecodeAndMergeSlashes with Gateway API)'];
  }
  return [];
}

/**
 * Token issuers Istio cannot tell apart: a DENY rule accepts a path's
 * providers by request principal (`<issuer>/<subject>`), so two providers
 * with one issuer (differing in audiences), or an issuer that begins another
 * one's principals, would let either's tokens through the other's paths.
 */
function jwtIssuerProblems(service: ServiceModel, on: string): string[] {
  const providers = service.jwtProviders;
  const begins = (a: string, b: string) => `${b}/`.startsWith(`${a}/`);
  return providers.flatMap((a, i) => providers.slice(i + 1).filter(b => begins(a.issuer, b.issuer) || begins(b.issuer, a.issuer))
    .map(b => `JWT providers ${a.providerName} and ${b.providerName} ${on}: Istio accepts a token by its principal (<issuer>/<subject>), and issuers `
      + `'${a.issuer}' and '${b.issuer}' give overlapping principals, so one's tokens would pass the other's paths; give the service providers of unrelated issuers`));
}

function failoverProblems(failover: FailoverOptions, on: string): string[] {
  const retry = failover.retry?._spec();
  const outlier = failover.outlierDetection?._spec();
  const breaker = failover.circuitBreaker && circuitBreakerSpec(failover.circuitBreaker);
  return [
    ...(breaker && [breaker.maxConnections, breaker.maxPendingRequests, breaker.maxRequests, breaker.maxRetries].includes(0)
      ? [`a circuit breaker limit of 0 ${on}: Istio drops limits of 0 and leaves them unbounded; use at least 1`] : []),
    ...(outlier?.ejectOn.kind === 'successRate' ? [`success-rate outlier detection ${on}: Istio ejects on consecutive errors only; use OutlierDetection.consecutiveErrors()`] : []),
    ...(failover.circuitBreaker?.retryBudgetPercent !== undefined ? [`circuit breaker retryBudget ${on}: Istio limits retries by count only; use maxRetries`] : []),
    ...(retry && (retry.backoffBaseMs !== 25 || (retry.backoffMaxMs !== undefined && retry.backoffMaxMs !== 250))
      ? [`retry back-off ${on}: Istio always backs off from 25 ms up to 250 ms; remove backoffBase and backoffMax`] : []),
  ];
}

function loadBalancerProblems(spec: LoadBalancingSpec, on: string): string[] {
  if (spec.policy === 'leastRequest' && spec.choiceCount !== 2) return [`least request with ${spec.choiceCount} choices ${on}: Istio picks among 2; remove choiceCount`];
  if ((spec.policy === 'ringHash' || spec.policy === 'maglev') && !spec.key) {
    return [`consistent hashing without a key ${on}: Istio hashes on a header, a cookie or the source IP; pass key`];
  }
  if (spec.policy === 'ringHash' && spec.maximumRingSize !== undefined) return [`ring hash maximumRingSize ${on}: Istio sets only the minimum; remove maximumRingSize`];
  return [];
}
