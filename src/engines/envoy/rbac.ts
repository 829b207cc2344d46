import { HttpRbac, NetworkRbac, Rbac, RbacFilterRules, RbacPermission, RbacPolicy, TypedExtension, TYPE_URL } from './types';
import { AuthorizationPlan, CallerPlan, CallerRulePlan } from '../../plan/types';
import { renderPathMatcher } from '../../traffic/route-match';

/**
 * Envoy RBAC rules allowing only the declared callers, by the SPIFFE identity
 * of their client certificate; everyone else is denied (deny by default).
 * In dry-run mode the same rules are shadow rules: evaluated and counted,
 * never enforced.
 */
function rbacRules(plan: AuthorizationPlan, http: boolean): RbacFilterRules {
  const policies = Object.fromEntries(plan.callers.map(caller => [caller.name, policy(caller, http)]));
  const rules: Rbac = { action: 'ALLOW', policies };
  return plan.mode === 'DRY_RUN'
    ? { shadow_rules: rules, shadow_rules_stat_prefix: 'dry_run_' }
    : { rules };
}

/** A caller's policy: its identity, and what it may request (anything over TCP). */
function policy(caller: CallerPlan, http: boolean): RbacPolicy {
  return {
    permissions: http && caller.rules.length > 0 ? caller.rules.map(permission) : [{ any: true }],
    principals: [{ authenticated: { principal_name: { exact: caller.principal } } }],
  };
}

/** The HTTP RBAC filter of an inbound listener. */
export function httpRbacFilter(plan: AuthorizationPlan): TypedExtension<HttpRbac> {
  return {
    name: 'envoy.filters.http.rbac',
    typed_config: { '@type': `${TYPE_URL}envoy.extensions.filters.http.rbac.v3.RBAC`, ...rbacRules(plan, true) },
  };
}

/** The network RBAC filter of a TCP inbound listener. */
export function networkRbacFilter(plan: AuthorizationPlan): TypedExtension<NetworkRbac> {
  return {
    name: 'envoy.filters.network.rbac',
    typed_config: {
      '@type': `${TYPE_URL}envoy.extensions.filters.network.rbac.v3.RBAC`,
      'stat_prefix': 'inbound',
      ...rbacRules(plan, false),
    },
  };
}

/** A permission: one of the paths (if any) and one of the methods (if any). */
function permission(rule: CallerRulePlan): RbacPermission {
  const conditions = [
    ...(rule.paths.length > 0 ? [{ or_rules: { rules: rule.paths.map(path => ({ url_path: { path: renderPathMatcher(path) } })) } }] : []),
    ...(rule.methods.length > 0 ? [{
      or_rules: { rules: rule.methods.map(method => ({ header: { name: ':method', string_match: { exact: method } } })) },
    }] : []),
  ];
  return conditions.length === 0 ? { any: true } : { and_rules: { rules: conditions } };
}
