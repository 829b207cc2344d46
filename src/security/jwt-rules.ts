import { JwtProviderOverlap } from './jwt-provider-overlap';
import type { JwtDeclaration } from '../model/declarations';
import { PathMatch } from '../traffic/route-match';

/** One provider as the rule planner sees it. */
export interface JwtProviderPaths {
  readonly name: string;
  readonly issuer: string;
  /** Paths that need this provider's token; never empty (`prefix('/')` stands for every request). */
  readonly paths: PathMatch[];
  readonly overlap?: JwtProviderOverlap;
}

/** The paths a declared provider guards; none declared means every request. */
export function jwtProviderPaths(jwt: JwtDeclaration): JwtProviderPaths {
  const { providerName, issuer, paths, overlap } = jwt;
  return { name: providerName, issuer, paths: paths?.length ? paths : [PathMatch.prefix('/')], overlap };
}

/** One jwt_authn rule: requests matching `path` need tokens of `providers`, combined by `overlap`. */
export interface JwtRulePlan {
  readonly path: PathMatch;
  /** Provider names, sorted. */
  readonly providers: string[];
  readonly overlap: JwtProviderOverlap;
}

/** The rules, or the problems (by provider name) that keep them from being exact. */
export interface JwtRules {
  readonly rules: JwtRulePlan[];
  readonly problems: Array<{ readonly provider: string; readonly message: string }>;
}

/**
 * The jwt_authn rules of one service. Envoy applies the *first* rule whose
 * match fits (`rules` in envoy/extensions/filters/http/jwt_authn/v3/config.proto:
 * "the first matched requirement will be applied"), so every path must get, as
 * its first match, a rule requiring exactly the providers that declared it.
 *
 * With prefix and exact paths this is decidable: the paths that fit a request
 * form a chain (an exact path, then ever shorter prefixes), so rules sorted from
 * the most to the least specific give each request its most specific path, whose
 * providers are those of every path enclosing it. A rule is left out when the
 * next rule enclosing it requires the same, so no rule is written that never
 * applies or changes nothing. Overlap between regular expressions cannot be
 * decided, so regex paths are accepted only when the service has one provider.
 */
export function planJwtRules(providers: JwtProviderPaths[]): JwtRules {
  const problems: Array<{ provider: string; message: string }> = [];
  const distinct = [...new Set(providers.map(p => p.name))];
  if (distinct.length > 1) {
    for (const provider of providers.filter(p => p.paths.some(isRegex))) {
      problems.push({
        provider: provider.name,
        message: `JWT provider '${provider.name}' has a regex path, and the service has other JWT providers (${distinct.filter(n => n !== provider.name).join(', ')}): `
          + 'whether regular expressions overlap cannot be decided, so a request could get the wrong requirement; use prefix or exact paths',
      });
    }
  }
  if (problems.length > 0) return { rules: [], problems };

  const declared = providers.flatMap(p => p.paths.map(path => ({ path, provider: p })));
  const matchers = uniqueBy(declared.map(d => d.path), key).sort(bySpecificity);
  const planned = matchers.map(path => {
    const covering = uniqueBy(declared.filter(d => encloses(d.path, path)).map(d => d.provider), p => p.name)
      .sort((a, b) => a.name.localeCompare(b.name));
    return { path, covering };
  });

  const rules: JwtRulePlan[] = [];
  const reported = new Set<string>();
  for (const { path, covering } of planned) {
    const overlap = agreedOverlap(path, covering, reported, problems);
    if (overlap) rules.push({ path, providers: covering.map(p => p.name), overlap });
  }
  return { rules: problems.length > 0 ? [] : withoutRedundant(rules), problems };
}

/** How the providers covering `path` combine, or undefined (with a problem) when they do not say the same. */
function agreedOverlap(
  path: PathMatch, covering: JwtProviderPaths[], reported: Set<string>, problems: Array<{ provider: string; message: string }>,
): JwtProviderOverlap | undefined {
  if (covering.length === 1) return covering[0].overlap ?? JwtProviderOverlap.ANY_PROVIDER;
  const names = covering.map(p => p.name).join(', ');
  const values = new Set(covering.map(p => p.overlap));
  const report = (message: string) => {
    if (reported.has(names)) return;
    reported.add(names);
    for (const provider of covering) problems.push({ provider: provider.name, message });
  };
  if (values.size !== 1 || values.has(undefined)) {
    report(`the paths of JWT providers ${names} overlap (${describe(path)}): say whether a request there needs a token of any of them `
      + 'or of all of them: set overlap: JwtProviderOverlap.ANY_PROVIDER or JwtProviderOverlap.ALL_PROVIDERS, the same on each');
    return undefined;
  }
  const overlap = [...values][0]!;
  if (overlap === JwtProviderOverlap.ALL_PROVIDERS && new Set(covering.map(p => p.issuer)).size > 1) {
    report(`JWT providers ${names} require all their tokens on ${describe(path)}, but a request carries one bearer token and their issuers differ, `
      + 'so no request could pass: use JwtProviderOverlap.ANY_PROVIDER, or providers of one issuer');
    return undefined;
  }
  return overlap;
}

/** The rules without those whose nearest enclosing rule requires the same (they change nothing). */
function withoutRedundant(rules: JwtRulePlan[]): JwtRulePlan[] {
  return rules.filter((rule, i) => {
    if (isRegex(rule.path)) return true;
    const enclosing = rules.slice(i + 1).find(later => !isRegex(later.path) && encloses(later.path, rule.path));
    return !enclosing || requirementKey(enclosing) !== requirementKey(rule);
  });
}

/** Whether every path `inner` matches is also matched by `outer` (prefix and exact paths; a regex only encloses itself). */
function encloses(outer: PathMatch, inner: PathMatch): boolean {
  if (outer._kind === 'prefix') return inner._kind !== 'regex' && inner._value.startsWith(outer._value);
  return key(outer) === key(inner);
}

/** Exact paths first, then regular expressions, then prefixes from the longest: each path's most specific rule comes first. */
function bySpecificity(a: PathMatch, b: PathMatch): number {
  const rank = { path: 0, regex: 1, prefix: 2 };
  if (rank[a._kind] !== rank[b._kind]) return rank[a._kind] - rank[b._kind];
  return a._kind === 'prefix' ? b._value.length - a._value.length : 0;
}

function isRegex(path: PathMatch): boolean {
  return path._kind === 'regex';
}

function key(path: PathMatch): string {
  return `${path._kind}:${path._value}`;
}

function requirementKey(rule: JwtRulePlan): string {
  return `${rule.overlap}:${rule.providers.join(',')}`;
}

function describe(path: PathMatch): string {
  return `${path._kind === 'path' ? 'exact' : path._kind} '${path._value}'`;
}

function uniqueBy<T>(items: T[], keyOf: (item: T) => string): T[] {
  return [...new Map(items.map(item => [keyOf(item), item])).values()];
}
