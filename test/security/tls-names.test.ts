import { Backup, FailoverPolicy, JwksSource, JwtAuthentication, Mesh, MeshService, OutlierDetection } from '../../src';
import { clusterNamed, envoyConfigOf, newChart, outputProblems, synth, TEST_MESH } from '../helpers';

describe('TLS to hosts outside the mesh verifies the name they were given', () => {
  const chart = newChart();
  const mesh = new Mesh(chart, 'mesh', TEST_MESH);
  const orders = new MeshService(chart, 'orders', { mesh, image: 'example/orders:1.0.0', port: 8080 });
  new MeshService(chart, 'users', { mesh, image: 'example/users:1.0.0', port: 3000 }).callTo(orders);
  new JwtAuthentication(chart, 'login', { service: orders, issuer: 'https://login.example.com/', jwks: JwksSource.remote('https://10.0.0.5/jwks.json') });
  new FailoverPolicy(chart, 'dr', { service: orders, outlierDetection: OutlierDetection.consecutiveErrors(3), backup: Backup.host('10.0.0.9', 443) });
  const manifests = synth(chart);

  test('an IP literal by IP SAN and without SNI (RFC 6066 allows host names only)', () => {
    const jwks = clusterNamed(envoyConfigOf(manifests, 'orders'), '_jwks_10_0_0_5').transport_socket.typed_config;
    expect(jwks.sni).toBeUndefined();
    expect(jwks.common_tls_context.validation_context.match_typed_subject_alt_names).toEqual([{ san_type: 'IP_ADDRESS', matcher: { exact: '10.0.0.5' } }]);
    const cluster = clusterNamed(envoyConfigOf(manifests, 'users'), 'orders_v1');
    const backup = cluster.transport_socket_matches.find((m: any) => JSON.stringify(m).includes('10.0.0.9')) ?? cluster;
    expect(JSON.stringify(backup)).toContain('"san_type":"IP_ADDRESS"');
    expect(outputProblems(manifests)).toEqual([]);
  });

  test('a DNS name by DNS SAN, with SNI', () => {
    const other = newChart();
    const m = new Mesh(other, 'mesh', TEST_MESH);
    const svc = new MeshService(other, 'orders', { mesh: m, image: 'example/orders:1.0.0', port: 8080 });
    new JwtAuthentication(other, 'login', { service: svc, issuer: 'https://login.example.com/', jwks: JwksSource.remote('https://login.example.com/jwks.json') });
    const tls = clusterNamed(envoyConfigOf(synth(other), 'orders'), '_jwks_login_example_com').transport_socket.typed_config;
    expect(tls.sni).toBe('login.example.com');
    expect(tls.common_tls_context.validation_context.match_typed_subject_alt_names).toEqual([{ san_type: 'DNS', matcher: { exact: 'login.example.com' } }]);
  });
});
