import { RE2 } from 're2-wasm';
import { HeaderMatcher, RouteMatch, StringMatcher } from '../engines/envoy/types';
import { headerValueProblem, isHeaderName, pathFormProblem, re2Problem } from '../value-checks';

/** HTTP methods a route can match. */
export enum HttpMethod {
  /** The GET method. */
  GET = 'GET',
  /** The HEAD method. */
  HEAD = 'HEAD',
  /** The POST method. */
  POST = 'POST',
  /** The PUT method. */
  PUT = 'PUT',
  /** The DELETE method. */
  DELETE = 'DELETE',
  /** The PATCH method. */
  PATCH = 'PATCH',
  /** The OPTIONS method. */
  OPTIONS = 'OPTIONS',
  /** The CONNECT method. */
  CONNECT = 'CONNECT',
  /** The TRACE method. */
  TRACE = 'TRACE',
}

/** How a route matches the request path. */
export abstract class PathMatch {
  /** Paths starting with `prefix` (for example `/api/`). */
  public static prefix(prefix: string): PathMatch {
    return new SimplePathMatch('prefix', prefix);
  }

  /** Exactly this path. */
  public static exact(path: string): PathMatch {
    return new SimplePathMatch('path', path);
  }

  /** Paths matching an RE2 regular expression (the whole path must match). */
  public static regex(regex: string): PathMatch {
    return new SimplePathMatch('regex', regex);
  }

  /** @internal */
  public abstract readonly _kind: 'prefix' | 'path' | 'regex';
  /** @internal */
  public abstract readonly _value: string;
}

class SimplePathMatch extends PathMatch {
  constructor(public readonly _kind: 'prefix' | 'path' | 'regex', public readonly _value: string) { super(); }
}

/** A condition on a request header. */
export abstract class HeaderMatch {
  /** The header has exactly this value. */
  public static exact(name: string, value: string): HeaderMatch {
    return new SimpleHeaderMatch(name, 'exact', value);
  }

  /** The header's value matches an RE2 regular expression. */
  public static regex(name: string, regex: string): HeaderMatch {
    return new SimpleHeaderMatch(name, 'regex', regex);
  }

  /** The header is present, with any value. */
  public static present(name: string): HeaderMatch {
    return new SimpleHeaderMatch(name, 'present', '');
  }

  /** @internal */
  public abstract readonly _name: string;
  /** @internal */
  public abstract readonly _kind: 'exact' | 'regex' | 'present';
  /** @internal */
  public abstract readonly _value: string;
}

class SimpleHeaderMatch extends HeaderMatch {
  constructor(public readonly _name: string, public readonly _kind: 'exact' | 'regex' | 'present', public readonly _value: string) { super(); }
}

/** A condition on a query parameter. */
export abstract class QueryParameterMatch {
  /** The parameter has exactly this value. */
  public static exact(name: string, value: string): QueryParameterMatch {
    return new SimpleQueryParameterMatch(name, value);
  }

  /** @internal */
  public abstract readonly _name: string;
  /** @internal */
  public abstract readonly _value: string;
}

class SimpleQueryParameterMatch extends QueryParameterMatch {
  constructor(public readonly _name: string, public readonly _value: string) { super(); }
}

/** Which requests a route applies to: every condition given must hold. */
export interface HttpRouteMatch {
  /**
   * Condition on the path.
   * @default - any path
   */
  readonly path?: PathMatch;
  /**
   * Conditions on request headers.
   * @default - none
   */
  readonly headers?: HeaderMatch[];
  /**
   * Conditions on query parameters.
   * @default - none
   */
  readonly queryParameters?: QueryParameterMatch[];
  /**
   * The request method is one of these.
   * @default - any method
   */
  readonly methods?: HttpMethod[];
}

/** Whether the match accepts every request. */
export function isCatchAll(match: HttpRouteMatch): boolean {
  const path = match.path;
  return (!path || (path._kind === 'prefix' && path._value === '/'))
    && !match.headers?.length && !match.queryParameters?.length && !match.methods?.length;
}

/**
 * Whether every request `later` matches is already matched by `earlier`, so
 * a route with `later` placed after `earlier` can never be reached. Conservative:
 * false when it cannot tell.
 */
export function shadows(earlier: HttpRouteMatch, later: HttpRouteMatch): boolean {
  return pathShadows(earlier.path, later.path)
    && (earlier.headers ?? []).every(h => (later.headers ?? []).some(l => sameHeader(h, l)))
    && (earlier.queryParameters ?? []).every(q => (later.queryParameters ?? []).some(l => l._name === q._name && l._value === q._value))
    && (!earlier.methods?.length || (!!later.methods?.length && later.methods.every(m => earlier.methods!.includes(m))));
}

function pathShadows(earlier: PathMatch | undefined, later: PathMatch | undefined): boolean {
  if (!earlier || (earlier._kind === 'prefix' && earlier._value === '/')) return true;
  if (!later) return false;
  if (earlier._kind === 'prefix') return later._kind !== 'regex' && later._value.startsWith(earlier._value);
  return earlier._kind === later._kind && earlier._value === later._value;
}

function sameHeader(a: HeaderMatch, b: HeaderMatch): boolean {
  return a._name.toLowerCase() === b._name.toLowerCase()
    && (a._kind === 'present' || (a._kind === b._kind && a._value === b._value));
}

/** Problems with a match: invalid regular expressions and header names. */
export function validateMatch(match: HttpRouteMatch): string[] {
  const errors: string[] = [];
  const path = match.path;
  if (path && path._kind !== 'regex' && !path._value?.startsWith('/')) {
    errors.push(`path '${path._value}' must start with '/'`);
  }
  for (const query of match.queryParameters ?? []) {
    if (!query._name) errors.push('a query parameter match has an empty name');
  }
  const regexes = [
    ...(path?._kind === 'regex' ? [path._value] : []),
    ...(match.headers ?? []).filter(h => h._kind === 'regex').map(h => h._value),
  ];
  for (const regex of regexes) {
    const problem = re2Problem(regex);
    if (problem) errors.push(problem);
  }
  for (const header of match.headers ?? []) {
    if (!isHeaderName(header._name.replace(/^:/, ''))) {
      errors.push(`header name '${header._name}' is not a valid HTTP header name`);
    }
    const valueProblem = header._kind === 'exact' ? headerValueProblem(header._value) : undefined;
    if (valueProblem) errors.push(`header match ${header._name}: ${valueProblem}`);
  }
  for (const query of match.queryParameters ?? []) {
    const valueProblem = headerValueProblem(query._value) ?? headerValueProblem(query._name);
    if (valueProblem) errors.push(`query parameter match ${JSON.stringify(query._name)}: ${valueProblem.replace('header value', 'value')}`);
  }
  if (path && path._kind !== 'regex' && /[\s\u0000-\u001f\u007f?#]/.test(path._value)) {
    errors.push(`path ${JSON.stringify(path._value)} holds whitespace, control characters, '?' or '#': a request path Envoy compares never does`);
  } else if (path && path._kind !== 'regex' && path._value.startsWith('/') && pathFormProblem(path._value)) {
    errors.push(pathFormProblem(path._value)!);
  }
  return errors;
}

/** Whether a path match takes `path` (a regex must match the whole path, as Envoy's `safe_regex` does). */
export function pathMatches(match: PathMatch, path: string): boolean {
  if (match._kind === 'prefix') return path.startsWith(match._value);
  if (match._kind === 'path') return path === match._value;
  try {
    return new RE2(`^(?:${match._value})$`, 'u').test(path);
  } catch {
    return false; // an invalid regex is reported by validateMatch
  }
}

/** The Envoy route match of an `HttpRouteMatch`. */
export function renderMatch(match: HttpRouteMatch): RouteMatch {
  const path = match.path ?? PathMatch.prefix('/');
  const headers: HeaderMatcher[] = (match.headers ?? []).map(h => h._kind === 'present'
    ? { name: h._name.toLowerCase(), present_match: true }
    : { name: h._name.toLowerCase(), string_match: h._kind === 'exact' ? { exact: h._value } : { safe_regex: { regex: h._value } } });
  if (match.methods?.length) {
    headers.push({ name: ':method', string_match: { safe_regex: { regex: `^(${[...match.methods].sort().join('|')})$` } } });
  }
  return {
    ...(path._kind === 'regex' ? { safe_regex: { regex: path._value } } : { [path._kind]: path._value }),
    ...(headers.length > 0 && { headers }),
    ...(match.queryParameters?.length && {
      query_parameters: match.queryParameters.map(q => ({ name: q._name, string_match: { exact: q._value } })),
    }),
  };
}

/** An `envoy.type.matcher.v3.StringMatcher` for a path, as RBAC's `url_path` takes it. */
export function renderPathMatcher(path: PathMatch): StringMatcher {
  if (path._kind === 'regex') return { safe_regex: { regex: path._value } };
  return path._kind === 'prefix' ? { prefix: path._value } : { exact: path._value };
}
