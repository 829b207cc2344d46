import * as fc from 'fast-check';
import { JwksSource, JwtAuthentication, JwtProviderOverlap, Mesh, MeshService, PathMatch } from '../../src';
import { envoyConfigOf, listenerNamed, networkFilterOf, newChart, outputProblems, synth, synthError, TEST_MESH } from '../helpers';
import { firstMatchingRule, pathMatches, requirementOf } from './envoy-http-model';

interface Provider { readonly id: string; readonly paths: PathMatch[]; readonly overlap?: JwtProviderOverlap; readonly issuer?: string }

function meshWith(providers: Provider[]) {
  const chart = newChart();
  const mesh = new Mesh(chart, 'mesh', TEST_MESH);
  const orders = new MeshService(chart, 'orders', { mesh, image: 'example/orders:1.0.0', port: 8080 });
  for (const { id, paths, overlap, issuer } of providers) {
    new JwtAuthentication(chart, id, {
      service: orders, issuer: issuer ?? 'https://login.example.com/', jwks: JwksSource.remote(`https://${id}.example.com/jwks.json`), paths, overlap,
    });
  }
  return chart;
}

function jwtRulesOf(providers: Provider[]): any[] {
  const manifests = synth(meshWith(providers));
  expect(outputProblems(manifests)).toEqual([]);
  const filters = networkFilterOf(listenerNamed(envoyConfigOf(manifests, 'orders'), 'inbound')).http_filters;
  return filters.find((f: any) => f.name === 'envoy.filters.http.jwt_authn').typed_config.rules;
}

/** What a path must require: the providers whose declared paths match it. */
function declaredFor(providers: Provider[], path: string): string[] {
  const match = (p: PathMatch) => pathMatches(p._kind === 'regex' ? { safe_regex: { regex: p._value } } : { [p._kind]: p._value }, path);
  return providers.filter(p => p.paths.some(match)).map(p => p.id).sort();
}

describe('several JWT providers on one service', () => {
  test('a token of A does not open the path B guards: overlapping paths get the declared combination', () => {
    const any = (id: string, paths: PathMatch[]) => ({ id, paths, overlap: JwtProviderOverlap.ANY_PROVIDER });
    const rules = jwtRulesOf([any('a', [PathMatch.prefix('/')]), any('b', [PathMatch.prefix('/admin/')])]);
    expect(requirementOf(firstMatchingRule(rules, '/admin/users').requires)).toEqual({ providers: ['a', 'b'], combine: 'any' });
    expect(requirementOf(firstMatchingRule(rules, '/orders').requires)).toEqual({ providers: ['a'], combine: 'one' });

    const all = (id: string, paths: PathMatch[]) => ({ id, paths, overlap: JwtProviderOverlap.ALL_PROVIDERS });
    const strict = jwtRulesOf([all('a', [PathMatch.prefix('/')]), all('b', [PathMatch.prefix('/admin/')])]);
    expect(requirementOf(firstMatchingRule(strict, '/admin/users').requires)).toEqual({ providers: ['a', 'b'], combine: 'all' });
  });

  test('paths that do not overlap need no declaration, and each keeps its own provider', () => {
    const rules = jwtRulesOf([{ id: 'a', paths: [PathMatch.prefix('/api/')] }, { id: 'b', paths: [PathMatch.exact('/admin')] }]);
    expect(requirementOf(firstMatchingRule(rules, '/admin').requires).providers).toEqual(['b']);
    expect(requirementOf(firstMatchingRule(rules, '/api/x').requires).providers).toEqual(['a']);
    expect(firstMatchingRule(rules, '/public')).toBeUndefined();
  });

  test('overlap without a declared meaning is refused, naming both providers', () => {
    const message = synthError(meshWith([{ id: 'a', paths: [PathMatch.prefix('/')] }, { id: 'b', paths: [PathMatch.prefix('/admin/')] }]));
    expect(message).toMatch(/the paths of JWT providers a, b overlap \(prefix '\/admin\/'\): say whether a request there needs a token of any/);
  });

  test('requiring all tokens of providers with different issuers is refused: one bearer token has one issuer', () => {
    const all = JwtProviderOverlap.ALL_PROVIDERS;
    const message = synthError(meshWith([
      { id: 'a', paths: [PathMatch.prefix('/')], overlap: all },
      { id: 'b', paths: [PathMatch.prefix('/')], overlap: all, issuer: 'https://other.example.com/' },
    ]));
    expect(message).toMatch(/JWT providers a, b require all their tokens on prefix '\/', but a request carries one bearer token and their issuers differ/);
  });

  test('regex paths are refused when the service has several providers', () => {
    const message = synthError(meshWith([{ id: 'a', paths: [PathMatch.regex('/v[0-9]+/.*')] }, { id: 'b', paths: [PathMatch.prefix('/admin/')] }]));
    expect(message).toMatch(/JWT provider 'a' has a regex path, and the service has other JWT providers \(b\)/);
  });

  test('one provider may use regex paths; its rules come before its prefixes so each can apply', () => {
    const rules = jwtRulesOf([{ id: 'a', paths: [PathMatch.prefix('/'), PathMatch.regex('/v[0-9]+/.*')] }]);
    expect(rules.map(r => r.match)).toEqual([{ safe_regex: { regex: '/v[0-9]+/.*' } }, { prefix: '/' }]);
  });

  test('for random prefix and exact paths, every path gets exactly its providers, and every rule is the first match of some path', () => {
    const segment = fc.constantFrom('', 'a', 'a/', 'a/b', 'ab', 'b/', 'b');
    const path = fc.tuple(fc.constantFrom<'prefix' | 'exact'>('prefix', 'exact'), segment)
      .map(([kind, rest]) => (kind === 'prefix' ? PathMatch.prefix(`/${rest}`) : PathMatch.exact(`/${rest}`)));
    const provider = (id: string) => fc.array(path, { minLength: 1, maxLength: 3 })
      .map(paths => ({ id, paths, overlap: JwtProviderOverlap.ANY_PROVIDER }));
    const providers = fc.uniqueArray(fc.constantFrom('p1', 'p2', 'p3'), { minLength: 1, maxLength: 3 })
      .chain(ids => fc.tuple(...ids.map(provider)));
    const probes = ['/', '/a', '/a/', '/a/b', '/a/bc', '/ab', '/abc', '/b', '/b/', '/b/x', '/c'];
    fc.assert(fc.property(providers, declared => {
      const rules = jwtRulesOf(declared);
      for (const probe of probes) {
        const expected = declaredFor(declared, probe);
        const rule = firstMatchingRule(rules, probe);
        expect(rule ? requirementOf(rule.requires).providers : []).toEqual(expected);
      }
      // Every rule is the first match of some path ('~' appears in no declared path).
      for (const rule of rules) expect(firstMatchingRule(rules, rule.match.path ?? `${rule.match.prefix}~`)).toBe(rule);
    }), { numRuns: 150 });
  });
});
