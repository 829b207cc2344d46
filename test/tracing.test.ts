import { EdgePeer, Mesh, MeshService, Protocol, Tracing } from '../src';
import { clusterNamed, envoyConfigOf, listenerNamed, networkFilterOf, newChart, objectNamed, outputProblems, synth, TEST_MESH } from './helpers';

function shop(tracing: Tracing | undefined, meshProps = {}) {
  const chart = newChart();
  const mesh = new Mesh(chart, 'mesh', { ...TEST_MESH, tracing, accessLogs: true, ...meshProps });
  const orders = new MeshService(chart, 'order-service', { mesh, image: 'example/orders:1.0.0', port: 8080 });
  const users = new MeshService(chart, 'user-service', { mesh, image: 'example/users:1.0.0', port: 3000 });
  const db = new MeshService(chart, 'db', { mesh, image: 'example/db:1.0.0', port: 5432, protocol: Protocol.TCP });
  users.callTo(orders);
  orders.callTo(db);
  users.exposeTo(EdgePeer.namespace('ingress-nginx'), { port: 8000 });
  return { chart, manifests: synth(chart) };
}

const COLLECTOR = 'otel-collector.observability.svc.cluster.local';

describe('OpenTelemetry tracing', () => {
  const { manifests } = shop(Tracing.openTelemetry({ collectorHost: COLLECTOR, samplingPercent: 5 }), { restrictEgress: true });
  const users = envoyConfigOf(manifests, 'user-service');

  test('every HTTP hop is a span named after its service: inbound, edge and outbound listeners', () => {
    for (const listener of ['inbound', 'edge_8000', 'outbound_order-service']) {
      const tracing = networkFilterOf(listenerNamed(users, listener)).tracing;
      expect(tracing.provider.name).toBe('envoy.tracers.opentelemetry');
      expect(tracing.provider.typed_config.service_name).toBe('user-service');
      expect(tracing.random_sampling).toEqual({ value: 5 });
      // Clients outside the mesh cannot force a trace with x-client-trace-id.
      expect(tracing.client_sampling).toEqual(listener === 'edge_8000' ? { value: 0 } : undefined);
    }
    expect(networkFilterOf(listenerNamed(envoyConfigOf(manifests, 'order-service'), 'inbound')).tracing.provider.typed_config.service_name)
      .toBe('order-service');
  });

  test('spans go over OTLP/gRPC (HTTP/2) to the collector, whose port the egress policy opens', () => {
    const collector = clusterNamed(users, '_otel_collector');
    expect(collector.load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address).toEqual({ address: COLLECTOR, port_value: 4317 });
    expect(collector.typed_extension_protocol_options['envoy.extensions.upstreams.http.v3.HttpProtocolOptions'].explicit_http_config)
      .toEqual({ http2_protocol_options: {} });
    const tracing = networkFilterOf(listenerNamed(users, 'inbound')).tracing;
    expect(tracing.provider.typed_config.grpc_service.envoy_grpc.cluster_name).toBe('_otel_collector');
    const egress = objectNamed(manifests, 'NetworkPolicy', 'user-service-mesh').spec.egress;
    expect(egress).toContainEqual({ ports: [{ protocol: 'TCP', port: 4317 }] });
  });

  test('access log lines carry the trace id', () => {
    const log = networkFilterOf(listenerNamed(users, 'inbound')).access_log[0].typed_config.log_format.json_format;
    expect(log.trace_id).toBe('%TRACE_ID%');
  });

  test('TCP upstreams are proxied as bytes, without spans; the output passes the Envoy protos', () => {
    expect(networkFilterOf(listenerNamed(envoyConfigOf(manifests, 'order-service'), 'outbound_db')).tracing).toBeUndefined();
    expect(outputProblems(manifests)).toEqual([]);
  });
});

test('without tracing, no listener traces and no collector cluster exists', () => {
  const { manifests } = shop(undefined);
  const users = envoyConfigOf(manifests, 'user-service');
  expect(networkFilterOf(listenerNamed(users, 'inbound')).tracing).toBeUndefined();
  expect(networkFilterOf(listenerNamed(users, 'inbound')).access_log[0].typed_config.log_format.json_format.trace_id).toBeUndefined();
  expect(users.static_resources.clusters.map((c: any) => c.name)).not.toContain('_otel_collector');
});

test('changing the sampling percentage restarts no pod', () => {
  const templates = (percent: number) => shop(Tracing.openTelemetry({ collectorHost: COLLECTOR, samplingPercent: percent })).manifests
    .filter(m => m.kind === 'Deployment').map(d => JSON.stringify(d.spec.template));
  expect(templates(10)).toEqual(templates(50));
});
