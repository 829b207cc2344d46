import { reviewShop, ReviewShopOptions } from './review-shop';
import { diffApps } from './synth-pair';
import { AuthorizationMode, TlsVersion } from '../../src';

/**
 * One kind of change per test, each on a real pair of synth outputs (static
 * Envoy sidecars) that differ by that one change: the diff names it, marks it
 * risky where it widens or weakens, and `--fail-on risky` exits 1.
 */
const diff = (before: ReviewShopOptions, after: ReviewShopOptions) => diffApps(reviewShop(before), reviewShop(after));

test('a re-synth of the same app reports no change', () => {
  expect(diff({}, {})).toEqual({ code: 0, changes: [], lines: [] });
});

test('a JWT requirement removed is risky', () => {
  const { code, lines } = diff({ jwtPaths: ['/'] }, {});
  expect(lines).toEqual(['RISKY shop/orders: end-user token required on no path (was /* (https://login.example.com/)): /* no longer guarded']);
  expect(code).toBe(1);
});

test('JWT paths narrowed from every path to /admin/ are risky; widened they are not', () => {
  const narrowed = diff({ jwtPaths: ['/'] }, { jwtPaths: ['/admin/'] });
  expect(narrowed.lines).toEqual(['RISKY shop/orders: end-user token required on /admin/* (https://login.example.com/) (was /* (https://login.example.com/)): /* no longer guarded']);
  expect(narrowed.code).toBe(1);
  expect(diff({ jwtPaths: ['/admin/'] }, { jwtPaths: ['/'] })).toMatchObject({ code: 0, changes: [{ risky: false }] });
});

test('an edge exposure to anywhere is risky: the edge listener and the NetworkPolicy both open', () => {
  const { code, lines } = diff({}, { exposeAnywhere: true });
  expect(lines).toEqual(expect.arrayContaining([
    'RISKY shop/users: open outside the mesh: port 8000 from anywhere',
    'RISKY shop/users: NetworkPolicy now admits port 8000 from anywhere',
  ]));
  expect(code).toBe(1);
});

test('authorization switched from ENFORCE to DRY_RUN is risky', () => {
  const { code, lines } = diff({}, { authorization: AuthorizationMode.DRY_RUN });
  expect(lines).toEqual(expect.arrayContaining(['RISKY shop/orders: authorization ENFORCE → DRY_RUN: denials are only logged, every caller gets in']));
  expect(lines.filter(l => !l.includes('authorization ENFORCE → DRY_RUN'))).toEqual([]);
  expect(code).toBe(1);
});

test('NetworkPolicies turned off are risky, once per service', () => {
  // restrictEgress needs NetworkPolicies: the pair differs in networkPolicies alone.
  const { code, lines } = diff({ restrictEgress: false }, { restrictEgress: false, networkPolicies: false });
  expect(lines.filter(l => l.includes('NetworkPolicy removed')).sort()).toEqual([
    'RISKY shop/orders: NetworkPolicy removed: any pod may connect to its pods, on every port (around the sidecar too)',
    'RISKY shop/users: NetworkPolicy removed: any pod may connect to its pods, on every port (around the sidecar too)',
  ]);
  expect(code).toBe(1);
});

test('restrictEgress removed is risky', () => {
  const { code, lines } = diff({}, { restrictEgress: false });
  expect(lines).toEqual(expect.arrayContaining(['RISKY shop/orders: egress no longer restricted: its pods may connect anywhere']));
  expect(code).toBe(1);
});

test('TLS origination to an external host turned off is risky', () => {
  const { code, lines } = diff({}, { paymentsTls: false });
  expect(lines).toEqual(expect.arrayContaining([
    'RISKY shop/orders: orders → payments: api.payments.example.com:443 TLS → plaintext: requests leave the cluster unencrypted',
  ]));
  expect(code).toBe(1);
  expect(diff({ paymentsTls: false }, {}).lines).toContain('shop/orders: orders → payments: api.payments.example.com:443 plaintext → TLS');
});

test('a rate limit removed is risky', () => {
  const { code, lines } = diff({}, { rateLimit: false });
  expect(lines).toEqual(['RISKY shop/orders: rate limit on requests: 100/s, burst 100 → none']);
  expect(code).toBe(1);
});

test('native sidecars turned on restart every pod, risky', () => {
  const { code, lines } = diff({}, { nativeSidecars: true });
  const restarts = lines.filter(l => l.includes('native sidecar off → on: pods of deployment'));
  expect(restarts.map(l => l.split(' restart')[0]).sort()).toEqual([
    'RISKY shop/orders: native sidecar off → on: pods of deployment orders-v1',
    'RISKY shop/orders: native sidecar off → on: pods of deployment orders-v2',
    'RISKY shop/users: native sidecar off → on: pods of deployment users-v1',
  ]);
  expect(code).toBe(1);
});

test('the TLS minimum version lowered from 1.3 to 1.2 is risky; raised it is not', () => {
  const lowered = diff({}, { tlsMinimumVersion: TlsVersion.TLS_1_2 });
  expect(lowered.lines).toContain('RISKY shop/orders: TLS minimum version TLSv1_3 → TLSv1_2');
  expect(lowered.code).toBe(1);
  expect(diff({ tlsMinimumVersion: TlsVersion.TLS_1_2 }, {}).lines).toContain('shop/orders: TLS minimum version TLSv1_2 → TLSv1_3');
});

test('the trust bundle removed is risky', () => {
  const { code, lines } = diff({}, { trustBundle: false });
  expect(lines).toContain('RISKY shop/orders: trust bundle removed: pods trust only the CA of their own certificate, '
    + 'so pods with certificates of an old and a new CA refuse each other while it rotates');
  expect(code).toBe(1);
});

test('moved traffic is reported, not risky', () => {
  const { code, lines } = diff({ canaryPercent: 0 }, { canaryPercent: 10 });
  expect(lines).toEqual(['shop/users: orders: v1 100% / v2 0% → v1 90% / v2 10% (from users)']);
  expect(code).toBe(0);
});
