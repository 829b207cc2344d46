/**
 * What Envoy does to an incoming request's headers on an HTTP listener, for the
 * parts no implementation available here covers (jwt_authn, header_mutation).
 * Each step follows Envoy's source, cited beside it; tests run the emitted
 * configuration through it instead of trusting our own reading of the config.
 */

/** A request as it reaches the listener: lower-case header names, possibly repeated. */
export interface Request {
  readonly path: string;
  readonly headers: Array<[string, string]>;
  /** Claims of a valid token the request carries, if any, by provider name. */
  readonly tokens?: Record<string, Record<string, string>>;
}

/** The headers the application receives, or the status Envoy answered with. */
export type Outcome = { readonly status: 401 } | { readonly status: 200; readonly headers: Array<[string, string]> };

/**
 * Runs a request through an HttpConnectionManager's header handling and its
 * header_mutation and jwt_authn filters, in their configured order.
 */
export function serve(hcm: any, request: Request): Outcome {
  let headers = [...request.headers];
  // HCM: headers with underscores are dropped "before the filter chain is invoked"
  // (headers_with_underscores_action, envoy/config/core/v3/protocol.proto); the default is ALLOW.
  const underscores = hcm.common_http_protocol_options?.headers_with_underscores_action ?? 'ALLOW';
  if (underscores === 'DROP_HEADER') headers = headers.filter(([name]) => !name.includes('_'));
  if (underscores === 'REJECT_REQUEST' && headers.some(([name]) => name.includes('_'))) return { status: 401 };

  for (const filter of hcm.http_filters) {
    const config = filter.typed_config;
    if (filter.name === 'envoy.filters.http.header_mutation') {
      // HeaderMutation::decodeHeaders applies the request mutations at the filter's place in the chain
      // (source/extensions/filters/http/header_mutation/header_mutation.cc).
      for (const mutation of config.mutations?.request_mutations ?? []) {
        if (mutation.remove) headers = headers.filter(([name]) => name !== mutation.remove.toLowerCase());
      }
    } else if (filter.name === 'envoy.filters.http.jwt_authn') {
      const rule = firstMatchingRule(config.rules ?? [], request.path);
      if (!rule?.requires) continue; // no rule, or a rule without requirement: no verifier runs, headers untouched
      const providers = satisfied(rule.requires, request.tokens ?? {});
      if (!providers) return { status: 401 };
      for (const provider of providers) {
        const claims = (config.providers[provider].claim_to_headers ?? []) as Array<{ header_name: string; claim_name: string }>;
        // The verifier sanitizes the headers of the providers it runs (ExtractorImpl::sanitizeHeaders, called from
        // verifier.cc before verify), then addJWTClaimToHeader adds each claim with addCopy (authenticator.cc).
        headers = headers.filter(([name]) => !claims.some(c => c.header_name.toLowerCase() === name));
        for (const { header_name, claim_name } of claims) {
          const value = request.tokens![provider][claim_name];
          if (value !== undefined) headers.push([header_name.toLowerCase(), value]);
        }
      }
    }
  }
  return { status: 200, headers };
}

/**
 * The rule jwt_authn applies to a path: "the first matched requirement will be
 * applied" (`rules` in envoy/extensions/filters/http/jwt_authn/v3/config.proto;
 * `findVerifier` in source/extensions/filters/http/jwt_authn/filter_config.h).
 */
export function firstMatchingRule(rules: any[], path: string): any | undefined {
  return rules.find(rule => pathMatches(rule.match, path));
}

/** RouteMatch's path specifiers, case-sensitive (the default), safe_regex matching the whole path. */
export function pathMatches(match: any, path: string): boolean {
  if (match.prefix !== undefined) return path.startsWith(match.prefix);
  if (match.path !== undefined) return path === match.path;
  if (match.safe_regex) return new RegExp(`^(?:${match.safe_regex.regex})$`).test(path);
  throw new Error(`unsupported match ${JSON.stringify(match)}`);
}

/**
 * The providers whose tokens satisfied a requirement, or undefined when it fails.
 * `requires_any` ORs its requirements, `requires_all` ANDs them (config.proto).
 */
export function satisfied(requires: any, tokens: Record<string, unknown>): string[] | undefined {
  if (requires.provider_name) return tokens[requires.provider_name] ? [requires.provider_name] : undefined;
  const results = requires.requires_any?.requirements ?? requires.requires_all.requirements;
  const each = results.map((r: any) => satisfied(r, tokens));
  if (requires.requires_any) return each.find((r: string[] | undefined) => r !== undefined);
  return each.every((r: string[] | undefined) => r !== undefined) ? each.flat() : undefined;
}

/** The names of the providers a requirement asks for, and how they combine. */
export function requirementOf(requires: any): { providers: string[]; combine: 'one' | 'any' | 'all' } {
  if (requires.provider_name) return { providers: [requires.provider_name], combine: 'one' };
  const combine = requires.requires_any ? 'any' : 'all';
  const list = (requires.requires_any ?? requires.requires_all).requirements.map((r: any) => r.provider_name);
  return { providers: [...list].sort(), combine };
}

/** The path Envoy's filters see under UNESCAPE_AND_REDIRECT: "%2F" and "%5C" (any case) unescaped. */
export function unescapeSlashes(path: string): string {
  return path.replace(/%2f/gi, '/').replace(/%5c/gi, '\\');
}
