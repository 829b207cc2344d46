import { ENGINES, reviewShop, ReviewShopOptions } from './review-shop';
import { diffApps } from './synth-pair';
import { AuthorizationMode } from '../../src';

/**
 * The diff of Istio and Gateway API outputs, read from the engines' own
 * resources, on real synth pairs that differ by one change each.
 */
const istio = (options: ReviewShopOptions = {}) => reviewShop({ ...options, engine: ENGINES.Istio() });
const gatewayApi = (options: ReviewShopOptions = {}) => reviewShop({ ...options, engine: ENGINES['Gateway API']() });

test.each(Object.keys(ENGINES))('a re-synth on %s reports no change', engine => {
  const build = () => reviewShop({ engine: ENGINES[engine](), jwtPaths: engine === 'Gateway API' ? undefined : ['/'], exposeAnywhere: engine !== 'Gateway API' });
  expect(diffApps(build(), build())).toEqual({ code: 0, changes: [], lines: [] });
});

describe('Istio', () => {
  test('authorization switched to DRY_RUN (the istio.io/dry-run annotation) is risky', () => {
    const { code, lines } = diffApps(istio(), istio({ authorization: AuthorizationMode.DRY_RUN }));
    expect(lines.sort()).toEqual([
      'RISKY shop/orders: authorization ENFORCE → DRY_RUN: denials are only logged, every caller gets in',
      'RISKY shop/users: authorization ENFORCE → DRY_RUN: denials are only logged, every caller gets in',
    ]);
    expect(code).toBe(1);
  });

  test('JWT paths narrowed (RequestAuthentication and its DENY policy) are risky', () => {
    const { code, lines } = diffApps(istio({ jwtPaths: ['/'] }), istio({ jwtPaths: ['/admin/'] }));
    expect(lines).toEqual(['RISKY shop/orders: end-user token required on /admin/* (https://login.example.com/) (was /* (https://login.example.com/)): /* no longer guarded']);
    expect(code).toBe(1);
  });

  test('an edge exposure to anywhere (an AuthorizationPolicy rule without source) is risky', () => {
    const { code, lines } = diffApps(istio(), istio({ exposeAnywhere: true }));
    expect(lines).toEqual(expect.arrayContaining(['RISKY shop/users: open outside the mesh: from anywhere', 'RISKY shop/users: open outside the mesh: port 8000']));
    expect(code).toBe(1);
  });

  test('TLS origination turned off (the DestinationRule of a ServiceEntry) is risky', () => {
    const { code, lines } = diffApps(istio(), istio({ paymentsTls: false }));
    expect(lines).toEqual(['RISKY shop/orders: orders → payments: api.payments.example.com:443 TLS → plaintext: requests leave the cluster unencrypted']);
    expect(code).toBe(1);
  });

  test('moved traffic (VirtualService weights) is reported, not risky', () => {
    const { code, lines } = diffApps(istio(), istio({ canaryPercent: 10 }));
    expect(lines).toEqual(['shop/orders: orders: v1 100% / v2 0% → v1 90% / v2 10% (from every caller)']);
    expect(code).toBe(0);
  });

  test('NetworkPolicies turned off are risky', () => {
    const { code, lines } = diffApps(istio(), istio({ networkPolicies: false }));
    expect(lines.filter(l => l.includes('NetworkPolicy removed'))).toHaveLength(2);
    expect(code).toBe(1);
  });
});

describe('Gateway API', () => {
  test('moved traffic (HTTPRoute backend weights) is reported, not risky', () => {
    const { code, lines } = diffApps(gatewayApi(), gatewayApi({ canaryPercent: 25 }));
    expect(lines).toEqual(['shop/orders: orders: v1 100% / v2 0% → v1 75% / v2 25% (from every caller)']);
    expect(code).toBe(0);
  });
});

test.each([['static Envoy', 'Istio'], ['Istio', 'Gateway API'], ['Gateway API', 'static Envoy']])('an engine switch %s → %s is one risky change', (from, to) => {
  const { code, changes } = diffApps(reviewShop({ engine: ENGINES[from]() }), reviewShop({ engine: ENGINES[to]() }));
  expect(changes).toEqual([{ service: 'shop', text: expect.stringMatching(new RegExp(`^engine switched ${from} → ${to}: every pod restarts`)), risky: true }]);
  expect(code).toBe(1);
});
