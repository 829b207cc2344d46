import { EdgePeer, Mesh, MeshService, Protocol } from '../../src';
import { envoyConfigOf, listenerNamed, networkFilterOf, newChart, outputProblems, synth, TEST_MESH } from '../helpers';

/**
 * The listeners `exposeTo` opens follow Envoy's edge best practices
 * (docs/root/configuration/best_practices/edge.rst); mesh listeners get the
 * limits that protect Envoy itself.
 */
describe('listeners for callers outside the mesh', () => {
  function exposed(protocol: Protocol) {
    const chart = newChart();
    const mesh = new Mesh(chart, 'mesh', TEST_MESH);
    const api = new MeshService(chart, 'api', { mesh, image: 'example/api:1.0.0', port: 8080, protocol });
    new MeshService(chart, 'web', { mesh, image: 'example/web:1.0.0', port: 3000 }).callTo(api);
    api.exposeTo(EdgePeer.namespace('ingress-nginx'), { port: 8443 });
    const manifests = synth(chart);
    expect(outputProblems(manifests)).toEqual([]);
    return { api: envoyConfigOf(manifests, 'api'), web: envoyConfigOf(manifests, 'web') };
  }

  test('HTTP: the peer is the client, headers must arrive within 10 s, requests and idle streams end after 5 min', () => {
    const { api } = exposed(Protocol.HTTP);
    const edge = listenerNamed(api, 'edge_8443');
    expect(edge.per_connection_buffer_limit_bytes).toBe(32768);
    expect(networkFilterOf(edge)).toMatchObject({
      use_remote_address: true,
      request_headers_timeout: '10s',
      stream_idle_timeout: '300s',
      request_timeout: '300s',
      common_http_protocol_options: { headers_with_underscores_action: 'DROP_HEADER', idle_timeout: '3600s' },
      http2_protocol_options: { max_concurrent_streams: 100, initial_stream_window_size: 65536, initial_connection_window_size: 1048576 },
    });
  });

  test('gRPC: long-lived streams are not cut by a whole-request timeout, only when idle', () => {
    const hcm = networkFilterOf(listenerNamed(exposed(Protocol.GRPC).api, 'edge_8443'));
    expect(hcm.request_timeout).toBeUndefined();
    expect(hcm.stream_idle_timeout).toBe('300s');
  });

  test('mesh listeners keep mesh semantics but get the HTTP/2 limits; every sidecar caps its connections', () => {
    const { api, web } = exposed(Protocol.HTTP);
    for (const hcm of [networkFilterOf(listenerNamed(api, 'inbound')), networkFilterOf(listenerNamed(web, 'outbound_api'))]) {
      expect(hcm.use_remote_address).toBeUndefined();
      expect(hcm.request_timeout).toBeUndefined();
      expect(hcm.http2_protocol_options.max_concurrent_streams).toBe(100);
    }
    expect(api.overload_manager.resource_monitors).toEqual([{
      name: 'envoy.resource_monitors.global_downstream_max_connections',
      typed_config: {
        '@type': 'type.googleapis.com/envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig',
        'max_active_downstream_connections': 50000,
      },
    }]);
  });
});
