import * as kplus from 'cdk8s-plus-27';
import { Backup, EdgePeer, FailoverPolicy, JwksSource, JwtAuthentication, Mesh, MeshService, OutlierDetection, TlsVersion } from '../../src';
import { assembleSidecar, newChart, objectsOf, synth, TEST_MESH } from '../helpers';

const ORDER = ['TLSv1_0', 'TLSv1_1', 'TLSv1_2', 'TLSv1_3'];

/**
 * The versions a TLS context can negotiate. Envoy's defaults when a bound is
 * unset (tls_params in envoy/extensions/transport_sockets/tls/v3/common.proto):
 * minimum TLSv1_2; maximum TLSv1_2 for clients and TLSv1_3 for servers
 * (ClientContextConfigImpl / ServerContextConfigImpl::DEFAULT_MAX_VERSION in
 * source/common/tls/context_config_impl.cc).
 */
function versions(context: any, client: boolean): string[] {
  const params = context.common_tls_context?.tls_params ?? {};
  const min = ORDER.indexOf(params.tls_minimum_protocol_version ?? 'TLSv1_2');
  const max = ORDER.indexOf(params.tls_maximum_protocol_version ?? (client ? 'TLSv1_2' : 'TLSv1_3'));
  return ORDER.slice(min, max + 1);
}

/** Every TLS context of every sidecar, as [where, client?, context]. */
function tlsContexts(manifests: any[]): Array<[string, boolean, any]> {
  const found: Array<[string, boolean, any]> = [];
  const walk = (value: any, where: string) => {
    if (Array.isArray(value)) return value.forEach((v, i) => walk(v, `${where}[${i}]`));
    if (value === null || typeof value !== 'object') return;
    const type = String(value['@type'] ?? '');
    if (type.endsWith('UpstreamTlsContext') || type.endsWith('DownstreamTlsContext')) found.push([where, type.endsWith('UpstreamTlsContext'), value]);
    for (const [key, child] of Object.entries(value)) walk(child, `${where}.${key}`);
  };
  for (const configMap of objectsOf(manifests, 'ConfigMap')) {
    if (configMap.data?.['envoy.json']) walk(assembleSidecar(configMap.data), configMap.metadata.name);
  }
  return found;
}

describe('TLS versions', () => {
  function shopWith(tlsMinimumVersion: TlsVersion) {
    const chart = newChart();
    const mesh = new Mesh(chart, 'mesh', { ...TEST_MESH, tlsMinimumVersion });
    const orders = new MeshService(chart, 'orders', { mesh, image: 'example/orders:1.0.0', port: 8080 });
    new MeshService(chart, 'users', { mesh, image: 'example/users:1.0.0', port: 3000 }).callTo(orders);
    orders.exposeTo(EdgePeer.namespace('ingress'), { port: 8443, tlsSecret: kplus.Secret.fromSecretName(chart, 'edge-tls', 'orders-edge-tls') });
    // Every kind of client context: mesh calls, a JWKS fetch and a TLS backup outside the mesh.
    new JwtAuthentication(chart, 'login', { service: orders, issuer: 'https://login.example.com/', jwks: JwksSource.remote('https://login.example.com/jwks') });
    new FailoverPolicy(chart, 'dr', { service: orders, outlierDetection: OutlierDetection.consecutiveErrors(3), backup: Backup.host('orders.dr.example.com', 443) });
    return { manifests: synth(chart) };
  }

  test.each([TlsVersion.TLS_1_2, TlsVersion.TLS_1_3])('with minimum %s every context can negotiate, and sidecars agree on TLS 1.3', minimum => {
    const { manifests } = shopWith(minimum);
    const contexts = tlsContexts(manifests);
    expect(contexts.filter(([, client]) => client).length).toBeGreaterThan(2);
    for (const [where, client, context] of contexts) {
      const range = versions(context, client);
      expect({ where, range }).toEqual({ where, range: expect.arrayContaining([minimum]) });
      expect({ where, max: range[range.length - 1] }).toEqual({ where, max: 'TLSv1_3' });
    }
  });
});
