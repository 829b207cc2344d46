import { AuthorizationPolicySpec, AuthorizationRule, PeerAuthenticationSpec, RequestAuthenticationSpec, WorkloadSelector } from './types';
import { SERVICE_LABEL } from '../../model/labels';
import { AuthorizationPlan, JwtPlan } from '../../plan/types';
import type { EdgeSource } from '../../security/edge-peer';
import { MtlsMode } from '../../security/mtls';
import { PathMatch } from '../../traffic/route-match';

/** Istio's annotation that has an AuthorizationPolicy only log what it would deny. */
export const DRY_RUN_ANNOTATION = 'istio.io/dry-run';

/** The workloads of one mesh service. */
export function selectorOf(service: string): WorkloadSelector {
  return { matchLabels: { [SERVICE_LABEL]: service } };
}

/** Mutual TLS of a service's pods. */
export function renderPeerAuthentication(service: string, mtls: MtlsMode): PeerAuthenticationSpec {
  return { selector: selectorOf(service), mtls: { mode: mtls === MtlsMode.DISABLED ? 'DISABLE' : mtls } };
}

/** An outside caller a service is opened to. */
export interface IstioEdgePeer {
  readonly namespace?: string;
  /** Whether the peer is only some pods of its namespace (which an AuthorizationPolicy cannot tell apart; refused by the checks). */
  readonly podLabels?: boolean;
  readonly ipBlock?: string;
}

/** An edge peer as an AuthorizationPolicy source: a namespace, addresses, or (neither) anyone. */
export function istioEdgePeer(source: EdgeSource): IstioEdgePeer {
  return {
    ...(source.namespace !== undefined && { namespace: source.namespace, podLabels: source.podLabels !== undefined }),
    ...(source.ipBlock !== undefined && { ipBlock: source.ipBlock }),
  };
}

/**
 * Who may call a service: an ALLOW policy with a rule per declared caller
 * (its identity, narrowed to paths and methods) and per edge peer. An ALLOW
 * policy denies every request no rule matches, so a service nobody was
 * declared to call gets a policy without rules, which denies everything.
 * An edge namespace rule excludes the declared callers' identities, so a
 * caller narrowed to some paths is not let through whole by its namespace.
 * With PERMISSIVE mTLS, plaintext requests (no identity) pass, as they pass a
 * static sidecar's plaintext chain.
 */
/** The trust domain Istio reads as its own and its aliases, whatever MeshConfig's `trustDomain`. */
const ISTIO_LOCAL_TRUST_DOMAIN = 'cluster.local';

export function renderAuthorizationPolicy(service: string, plan: AuthorizationPlan, edges: IstioEdgePeer[], mtls: MtlsMode): AuthorizationPolicySpec {
  // Istio expands a principal's trust domain only when it is MeshConfig's trustDomain, one of its aliases, or cluster.local,
  // which stands for the local trust domain and its aliases (pilot/pkg/security/trustdomain/bundle.go); any other is kept
  // as written and matches nobody unless MeshConfig names it. So principals are written with cluster.local, whatever the
  // mesh's trustDomain (which names only the static sidecars' certificates; Istio issues its own).
  const principal = (spiffe: string) => spiffe.replace(/^spiffe:\/\/[^/]+\//, `${ISTIO_LOCAL_TRUST_DOMAIN}/`);
  const declared = plan.callers.map(caller => principal(caller.principal));
  const callers: AuthorizationRule[] = plan.callers.flatMap(caller => {
    const from = [{ source: { principals: [principal(caller.principal)] } }];
    if (caller.rules.length === 0) return [{ from }];
    return caller.rules.map(rule => ({
      from,
      to: [{
        operation: {
          ...(rule.paths.length > 0 && { paths: rule.paths.map(authorizationPath) }),
          ...(rule.methods.length > 0 && { methods: rule.methods }),
        },
      }],
    }));
  });
  const outsiders: AuthorizationRule[] = edges.map(edge => (edge.namespace
    ? { from: [{ source: { namespaces: [edge.namespace], ...(declared.length > 0 && { notPrincipals: declared }) } }] }
    : edge.ipBlock ? { from: [{ source: { ipBlocks: [edge.ipBlock] } }] } : {}));
  const plaintext: AuthorizationRule[] = mtls === MtlsMode.PERMISSIVE ? [{ from: [{ source: { notPrincipals: ['*'] } }] }] : [];
  const rules = [...callers, ...outsiders, ...plaintext];
  return { selector: selectorOf(service), action: 'ALLOW', ...(rules.length > 0 && { rules }) };
}

/** A path as AuthorizationPolicy writes it: exact, or a prefix ending in `*` (regular expressions are refused by the checks). */
export function authorizationPath(path: PathMatch): string {
  return path._kind === 'prefix' ? `${path._value}*` : path._value;
}

/** The token issuers of a service and the keys that verify their tokens. */
export function renderRequestAuthentication(service: string, jwt: JwtPlan): RequestAuthenticationSpec {
  return {
    selector: selectorOf(service),
    jwtRules: jwt.providers.map(p => ({
      issuer: p.issuer,
      jwksUri: 'uri' in p.keys ? p.keys.uri : '', // file keys are refused by the checks
      ...(p.audiences.length > 0 && { audiences: p.audiences }),
      forwardOriginalToken: p.forwardToken,
      ...(p.claimHeaders.length > 0 && { outputClaimToHeaders: p.claimHeaders.map(({ claim, header }) => ({ header, claim })) }),
    })),
  };
}

/**
 * A DENY policy for requests without a valid token on the paths that need
 * one: a RequestAuthentication alone lets requests without a token through
 * (Istio: "requests without a token are accepted ... add an authorization
 * policy"). Each path accepts the issuers of the providers guarding it, and
 * leaves out the paths of earlier rules: the first rule that matches decides,
 * as jwt_authn's rules do on a static sidecar.
 */
export function renderJwtRequirement(service: string, jwt: JwtPlan): AuthorizationPolicySpec {
  const issuerOf = new Map(jwt.providers.map(p => [p.name, p.issuer]));
  return {
    selector: selectorOf(service),
    action: 'DENY',
    rules: jwt.rules.map((rule, i) => {
      const earlier = jwt.rules.slice(0, i).map(r => authorizationPath(r.path));
      return {
        from: [{ source: { notRequestPrincipals: [...new Set(rule.providers.map(p => `${issuerOf.get(p)}/*`))] } }],
        to: [{ operation: { paths: [authorizationPath(rule.path)], ...(earlier.length > 0 && { notPaths: earlier }) } }],
      };
    }),
  };
}
