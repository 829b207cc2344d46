import * as kplus from 'cdk8s-plus-27';
import {
  AuthorizationMode, AuthorizationPolicy, Backup, CertificateSource, EdgePeer, FailoverPolicy, HttpMethod, JwksSource, JwtAuthentication,
  Mesh, MeshService,
  MtlsMode, OutlierDetection, PathMatch, Protocol, TlsVersion,
} from '../src';
import {
  clusterNamed, containerNamed, envoyConfigOf, listenerNamed, networkFilterOf, newChart, objectNamed, objectsOf,
  outputProblems, podSpecOf, routesOf, synth, TEST_MESH,
} from './helpers';

function shop(mesh: ConstructorParameters<typeof Mesh>[2] = TEST_MESH) {
  const chart = newChart();
  const m = new Mesh(chart, 'mesh', { trustDomain: 'shop.example.com', ...mesh });
  const orders = new MeshService(chart, 'order-service', { mesh: m, image: 'example/orders:1.0.0', port: 8080 });
  const users = new MeshService(chart, 'user-service', { mesh: m, image: 'example/users:1.0.0', port: 3000 });
  const admin = new MeshService(chart, 'admin', { mesh: m, image: 'example/admin:1.0.0', port: 3001 });
  users.callTo(orders);
  admin.callTo(orders);
  return { chart, mesh: m, orders, users, admin };
}

const rbacOf = (listener: any) => networkFilterOf(listener).http_filters.find((f: any) => f.name === 'envoy.filters.http.rbac')?.typed_config;
const policyOf = (manifests: any[], service: string) => objectNamed(manifests, 'NetworkPolicy', `${service}-mesh`).spec;
const principalsOf = (rules: any) => Object.values<any>(rules.policies)
  .flatMap(p => p.principals.map((x: any) => x.authenticated.principal_name.exact)).sort();

describe('identities', () => {
  test('one certificate per service account with its SPIFFE identity, mounted into the sidecar', () => {
    const { chart } = shop();
    const manifests = synth(chart);
    const certificate = objectNamed(manifests, 'Certificate', 'order-service-mesh');
    expect(certificate.spec).toMatchObject({
      secretName: 'order-service-mesh-tls',
      uris: ['spiffe://shop.example.com/ns/shop/sa/order-service'],
      duration: '24h',
      renewBefore: '8h',
      issuerRef: { kind: 'ClusterIssuer', name: 'mesh-ca', group: 'cert-manager.io' },
    });
    const pod = podSpecOf(manifests, 'order-service-v1');
    const volume = pod.volumes.find((v: any) => v.secret?.secretName === 'order-service-mesh-tls');
    expect(containerNamed(pod, 'envoy').volumeMounts).toContainEqual({ mountPath: '/etc/mesh/certs', name: volume.name, readOnly: true });
    // the application never sees the key
    expect(containerNamed(pod, 'app').volumeMounts ?? []).toEqual([]);
    expect(outputProblems(manifests)).toEqual([]);
  });

  test('the self-signed mesh CA is bootstrapped once, cluster-scoped', () => {
    const manifests = synth(shop().chart);
    const issuers = objectsOf(manifests, 'ClusterIssuer');
    expect(issuers.map(i => i.metadata.name)).toEqual(['mesh-selfsigned', 'mesh-ca']);
    expect(issuers.every(i => i.metadata.namespace === undefined)).toBe(true);
    expect(objectNamed(manifests, 'Certificate', 'mesh-ca').spec).toMatchObject({ isCA: true, secretName: 'mesh-ca' });
    expect(objectNamed(manifests, 'Certificate', 'mesh-ca').metadata.namespace).toBe('cert-manager');
  });

  test('an existing issuer issues the certificates and no CA is created', () => {
    const manifests = synth(shop({ certificates: CertificateSource.issuer('vault') }).chart);
    expect(objectsOf(manifests, 'ClusterIssuer')).toEqual([]);
    expect(objectNamed(manifests, 'Certificate', 'user-service-mesh').spec.issuerRef).toEqual({ name: 'vault', kind: 'Issuer', group: 'cert-manager.io' });
  });

  test('existing Secrets are mounted as they are', () => {
    const manifests = synth(shop({ certificates: CertificateSource.existingSecrets() }).chart);
    expect(objectsOf(manifests, 'Certificate')).toEqual([]);
    expect(podSpecOf(manifests, 'user-service-v1').volumes.some((v: any) => v.secret?.secretName === 'user-service-mesh-tls')).toBe(true);
  });

  test('the sidecar re-reads rotated certificates: SDS files watch the mounted directory', () => {
    const manifests = synth(shop().chart);
    const configMap = objectNamed(manifests, 'ConfigMap', 'order-service-envoy');
    const cert = JSON.parse(configMap.data['sds-cert.json']).resources[0];
    expect(cert.tls_certificate).toEqual({
      certificate_chain: { filename: '/etc/mesh/certs/tls.crt' }, private_key: { filename: '/etc/mesh/certs/tls.key' },
    });
    const inbound = listenerNamed(envoyConfigOf(manifests, 'order-service'), 'inbound');
    const tls = inbound.filter_chains[0].transport_socket.typed_config;
    expect(tls.common_tls_context.tls_certificate_sds_secret_configs[0].sds_config.path_config_source).toEqual({
      path: '/etc/mesh/envoy/sds-cert.json', watched_directory: { path: '/etc/mesh/certs' },
    });
  });
});

describe('mutual TLS', () => {
  test('inbound requires a client certificate from the mesh CA, TLS 1.2 at least', () => {
    const manifests = synth(shop().chart);
    const inbound = listenerNamed(envoyConfigOf(manifests, 'order-service'), 'inbound');
    expect(inbound.filter_chains).toHaveLength(1);
    const tls = inbound.filter_chains[0].transport_socket.typed_config;
    expect(tls.require_client_certificate).toBe(true);
    expect(tls.common_tls_context.tls_params).toEqual({ tls_minimum_protocol_version: 'TLSv1_2', tls_maximum_protocol_version: 'TLSv1_3' });
    expect(tls.common_tls_context.validation_context_sds_secret_config.name).toBe('mesh-ca');
  });

  test("outbound presents the caller's certificate and accepts only the upstream's identity", () => {
    const manifests = synth(shop({ ...TEST_MESH, tlsMinimumVersion: TlsVersion.TLS_1_3 }).chart);
    const cluster = clusterNamed(envoyConfigOf(manifests, 'user-service'), 'order-service_v1');
    const tls = cluster.transport_socket.typed_config;
    expect(tls.sni).toBe('order-service.shop.svc.cluster.local');
    expect(tls.common_tls_context.combined_validation_context.default_validation_context.match_typed_subject_alt_names)
      .toEqual([{ san_type: 'URI', matcher: { exact: 'spiffe://shop.example.com/ns/shop/sa/order-service' } }]);
    expect(tls.common_tls_context.tls_params.tls_minimum_protocol_version).toBe('TLSv1_3');
    expect(tls.common_tls_context.tls_certificate_sds_secret_configs[0].name).toBe('mesh-cert');
    expect(outputProblems(manifests)).toEqual([]);
  });

  test("a backup service's identity is accepted too; an external backup gets public TLS", () => {
    const { chart, mesh, orders } = shop();
    const standby = new MeshService(chart, 'standby', { mesh, namespace: 'dr', image: 'example/orders:1.0.0', port: 8080 });
    new FailoverPolicy(chart, 'f1', { service: orders, outlierDetection: OutlierDetection.consecutiveErrors(3), backup: Backup.service(standby) });
    new FailoverPolicy(chart, 'f2', { service: standby, outlierDetection: OutlierDetection.consecutiveErrors(3), backup: Backup.host('orders.example.net', 443) });
    const manifests = synth(chart);
    const cluster = clusterNamed(envoyConfigOf(manifests, 'user-service'), 'order-service_v1');
    const validation = cluster.transport_socket.typed_config.common_tls_context.combined_validation_context;
    const sans = validation.default_validation_context.match_typed_subject_alt_names;
    expect(sans.map((s: any) => s.matcher.exact)).toEqual([
      'spiffe://shop.example.com/ns/shop/sa/order-service', 'spiffe://shop.example.com/ns/dr/sa/standby',
    ]);
    expect(cluster.transport_socket_matches).toEqual([{
      name: 'external-orders.example.net:443',
      match: { external: 'orders.example.net:443' },
      transport_socket: expect.objectContaining({ typed_config: expect.objectContaining({ sni: 'orders.example.net' }) }),
    }]);
    const external = cluster.load_assignment.endpoints.find((e: any) => e.priority === 2).lb_endpoints[0];
    expect(external.metadata.filter_metadata['envoy.transport_socket_match']).toEqual({ external: 'orders.example.net:443' });
    expect(outputProblems(manifests)).toEqual([]);
  });

  test('PERMISSIVE accepts plaintext on a second chain, unauthorized; DISABLED has no TLS and no RBAC', () => {
    const permissive = synth(shop({ ...TEST_MESH, mtls: MtlsMode.PERMISSIVE }).chart);
    const inbound = listenerNamed(envoyConfigOf(permissive, 'order-service'), 'inbound');
    expect(inbound.listener_filters[0].name).toBe('envoy.filters.listener.tls_inspector');
    const chains = inbound.filter_chains.map((chain: any) => [
      chain.filter_chain_match?.transport_protocol, !!chain.transport_socket, !!rbacOf({ filter_chains: [chain] }),
    ]);
    expect(chains)
      .toEqual([['tls', true, true], [undefined, false, false]]);
    expect(outputProblems(permissive)).toEqual([]);

    const disabled = synth(shop({ mtls: MtlsMode.DISABLED }).chart);
    const plain = listenerNamed(envoyConfigOf(disabled, 'order-service'), 'inbound');
    expect(plain.filter_chains[0].transport_socket).toBeUndefined();
    expect(rbacOf(plain)).toBeUndefined();
    expect(clusterNamed(envoyConfigOf(disabled, 'user-service'), 'order-service_v1').transport_socket).toBeUndefined();
    expect(objectsOf(disabled, 'Certificate')).toEqual([]);
    expect(outputProblems(disabled)).toEqual([]);
  });
});

describe('authorization', () => {
  test('the RBAC principals of a service are exactly the SPIFFE IDs of its declared callers', () => {
    const manifests = synth(shop().chart);
    const rbac = rbacOf(listenerNamed(envoyConfigOf(manifests, 'order-service'), 'inbound'));
    expect(rbac.rules.action).toBe('ALLOW');
    expect(principalsOf(rbac.rules)).toEqual([
      'spiffe://shop.example.com/ns/shop/sa/admin', 'spiffe://shop.example.com/ns/shop/sa/user-service',
    ]);
    expect(Object.values<any>(rbac.rules.policies).every(p => p.permissions[0].any === true)).toBe(true);
  });

  test('a service nobody calls denies everyone', () => {
    const manifests = synth(shop().chart);
    const rbac = rbacOf(listenerNamed(envoyConfigOf(manifests, 'admin'), 'inbound'));
    expect(rbac.rules).toEqual({ action: 'ALLOW', policies: {} });
  });

  test('authorization policies narrow a caller to paths and methods', () => {
    const { chart, orders, users } = shop();
    new AuthorizationPolicy(chart, 'users-read-orders', {
      service: orders, caller: users, paths: [PathMatch.prefix('/orders/'), PathMatch.exact('/health')], methods: [HttpMethod.GET],
    });
    const manifests = synth(chart);
    const rbac = rbacOf(listenerNamed(envoyConfigOf(manifests, 'order-service'), 'inbound'));
    expect(rbac.rules.policies['user-service.shop'].permissions).toEqual([{
      and_rules: {
        rules: [
          { or_rules: { rules: [{ url_path: { path: { prefix: '/orders/' } } }, { url_path: { path: { exact: '/health' } } }] } },
          { or_rules: { rules: [{ header: { name: ':method', string_match: { exact: 'GET' } } }] } },
        ],
      },
    }]);
    expect(rbac.rules.policies['admin.shop'].permissions).toEqual([{ any: true }]);
    expect(outputProblems(manifests)).toEqual([]);
  });

  test('dry run evaluates the same rules as shadow rules, enforcing nothing', () => {
    const manifests = synth(shop({ ...TEST_MESH, authorization: AuthorizationMode.DRY_RUN }).chart);
    const rbac = rbacOf(listenerNamed(envoyConfigOf(manifests, 'order-service'), 'inbound'));
    expect(rbac.rules).toBeUndefined();
    expect(principalsOf(rbac.shadow_rules)).toHaveLength(2);
    expect(outputProblems(manifests)).toEqual([]);
  });

  test('a TCP service authorizes callers with the network RBAC filter', () => {
    const chart = newChart();
    const mesh = new Mesh(chart, 'mesh', TEST_MESH);
    const db = new MeshService(chart, 'db', { mesh, image: 'example/db:1.0.0', port: 5432, protocol: Protocol.TCP });
    new MeshService(chart, 'app', { mesh, image: 'example/app:1.0.0', port: 3000 }).callTo(db);
    const manifests = synth(chart);
    const filters = listenerNamed(envoyConfigOf(manifests, 'db'), 'inbound').filter_chains[0].filters;
    expect(filters.map((f: any) => f.name)).toEqual(['envoy.filters.network.rbac', 'envoy.filters.network.tcp_proxy']);
    expect(principalsOf(filters[0].typed_config.rules)).toEqual(['spiffe://cluster.local/ns/shop/sa/app']);
    expect(outputProblems(manifests)).toEqual([]);
  });
});


describe('network policies', () => {
  test('the peers of the inbound port are exactly the declared callers; metrics only from monitoring', () => {
    const manifests = synth(shop().chart);
    const spec = policyOf(manifests, 'order-service');
    expect(spec.podSelector).toEqual({ matchLabels: { 'mesh.cdk8s.io/service': 'order-service' } });
    expect(spec.policyTypes).toEqual(['Ingress']);
    const [callers, metrics] = spec.ingress;
    expect(callers.ports).toEqual([{ protocol: 'TCP', port: 15006 }]);
    expect(callers.from.map((p: any) => p.podSelector.matchLabels['mesh.cdk8s.io/service']).sort()).toEqual(['admin', 'user-service']);
    expect(callers.from[0].namespaceSelector).toEqual({ matchLabels: { 'kubernetes.io/metadata.name': 'shop' } });
    expect(metrics).toEqual({
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
      ports: [{ protocol: 'TCP', port: 15090 }],
    });
    // the application port is in no rule: unreachable from other pods
    expect(JSON.stringify(spec)).not.toContain('8080');
    // a service nobody calls admits only monitoring
    expect(policyOf(manifests, 'admin').ingress).toHaveLength(1);
    expect(outputProblems(manifests)).toEqual([]);
  });

  test("a backup's policy and RBAC admit the primary's callers", () => {
    const { chart, mesh, orders } = shop();
    const standby = new MeshService(chart, 'standby', { mesh, image: 'example/orders:1.0.0', port: 8080 });
    new FailoverPolicy(chart, 'failover', { service: orders, outlierDetection: OutlierDetection.consecutiveErrors(3), backup: Backup.service(standby) });
    const manifests = synth(chart);
    expect(policyOf(manifests, 'standby').ingress[0].from.map((p: any) => p.podSelector.matchLabels['mesh.cdk8s.io/service']))
      .toEqual(['admin', 'user-service']);
    expect(principalsOf(rbacOf(listenerNamed(envoyConfigOf(manifests, 'standby'), 'inbound')).rules)).toHaveLength(2);
  });

  test('restricted egress allows DNS, the pods of reached services and the ports of external hosts only', () => {
    const { chart, mesh, orders } = shop({ ...TEST_MESH, restrictEgress: true });
    const standby = new MeshService(chart, 'standby', { mesh, image: 'example/orders:1.0.0', port: 8080 });
    new FailoverPolicy(chart, 'failover', { service: orders, outlierDetection: OutlierDetection.consecutiveErrors(3), backup: Backup.service(standby) });
    new FailoverPolicy(chart, 'standby-failover', {
      service: standby, outlierDetection: OutlierDetection.consecutiveErrors(3), backup: Backup.host('orders.example.net', 8443),
    });
    const manifests = synth(chart);
    const spec = policyOf(manifests, 'user-service');
    expect(spec.policyTypes).toEqual(['Ingress', 'Egress']);
    const [dns, services, external] = spec.egress;
    expect(dns.ports).toEqual([{ protocol: 'UDP', port: 53 }, { protocol: 'TCP', port: 53 }]);
    expect(services.to.map((p: any) => p.podSelector.matchLabels['mesh.cdk8s.io/service'])).toEqual(['order-service', 'standby']);
    expect(services.ports).toEqual([{ protocol: 'TCP', port: 15006 }]);
    expect(external).toEqual({ ports: [{ protocol: 'TCP', port: 8443 }] });
    // a service that calls nobody may only resolve names
    expect(policyOf(manifests, 'order-service').egress).toHaveLength(1);
    expect(outputProblems(manifests)).toEqual([]);
  });

  test('PERMISSIVE opens the inbound port to any pod, for clients not yet in the mesh', () => {
    const spec = policyOf(synth(shop({ ...TEST_MESH, mtls: MtlsMode.PERMISSIVE }).chart), 'order-service');
    expect(spec.ingress[0]).toEqual({ ports: [{ protocol: 'TCP', port: 15006 }] });
  });
});

describe('the edge', () => {
  test('a service opened to an ingress namespace gets a TLS edge listener, a Service port and a policy rule', () => {
    const { chart, orders } = shop();
    const secret = kplus.Secret.fromSecretName(chart, 'orders-tls', 'orders-public-tls');
    orders.exposeTo(EdgePeer.namespace('ingress-nginx'), { port: 8443, tlsSecret: secret });
    const manifests = synth(chart);
    const bootstrap = envoyConfigOf(manifests, 'order-service');
    const edge = listenerNamed(bootstrap, 'edge_8443');
    const tls = edge.filter_chains[0].transport_socket.typed_config;
    expect(tls.require_client_certificate).toBeUndefined();
    expect(tls.common_tls_context.tls_certificate_sds_secret_configs[0].sds_config.path_config_source.watched_directory)
      .toEqual({ path: '/etc/mesh/edge/8443' });
    expect(routesOf(edge)[0].route.cluster).toBe('_app');
    expect(objectNamed(manifests, 'Service', 'order-service').spec.ports).toContainEqual({ name: 'edge-8443', port: 8443, targetPort: 8443 });
    const rule = policyOf(manifests, 'order-service').ingress.find((r: any) => r.ports[0].port === 8443);
    expect(rule.from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } }]);
    const pod = podSpecOf(manifests, 'order-service-v1');
    expect(pod.volumes.some((v: any) => v.secret?.secretName === 'orders-public-tls')).toBe(true);
    // mesh callers keep mutual TLS on the inbound listener
    expect(listenerNamed(bootstrap, 'inbound').filter_chains[0].transport_socket.typed_config.require_client_certificate).toBe(true);
    expect(outputProblems(manifests)).toEqual([]);
  });

  test('nothing is open to outsiders unless declared', () => {
    const manifests = synth(shop().chart);
    const names = envoyConfigOf(manifests, 'order-service').static_resources.listeners.map((l: any) => l.name);
    expect(names.filter((n: string) => n.startsWith('edge'))).toEqual([]);
  });
});

describe('end-user authentication', () => {
  test('a JWT provider with remote keys protects chosen paths, forwarding claims as headers', () => {
    const { chart, orders } = shop();
    new JwtAuthentication(chart, 'auth0', {
      service: orders,
      issuer: 'https://login.example.com/',
      audiences: ['orders'],
      jwks: JwksSource.remote('https://login.example.com/.well-known/jwks.json'),
      paths: [PathMatch.prefix('/api/')],
      claimHeaders: { sub: 'x-user-id' },
    });
    const manifests = synth(chart);
    const bootstrap = envoyConfigOf(manifests, 'order-service');
    const filters = networkFilterOf(listenerNamed(bootstrap, 'inbound')).http_filters;
    expect(filters.map((f: any) => f.name))
      .toEqual(['envoy.filters.http.header_mutation', 'envoy.filters.http.jwt_authn', 'envoy.filters.http.rbac', 'envoy.filters.http.router']);
    const jwt = filters[1].typed_config;
    expect(jwt.providers.auth0).toEqual({
      issuer: 'https://login.example.com/',
      audiences: ['orders'],
      remote_jwks: {
        http_uri: { uri: 'https://login.example.com/.well-known/jwks.json', cluster: '_jwks_login_example_com', timeout: '5s' },
        cache_duration: '600s',
      },
      forward: true,
      claim_to_headers: [{ header_name: 'x-user-id', claim_name: 'sub' }],
    });
    expect(jwt.rules).toEqual([{ match: { prefix: '/api/' }, requires: { provider_name: 'auth0' } }]);
    const keys = clusterNamed(bootstrap, '_jwks_login_example_com');
    expect(keys.transport_socket.typed_config.sni).toBe('login.example.com');
    expect(outputProblems(manifests)).toEqual([]);
  });

  test('local keys from a Secret are mounted into the sidecar only, and guard the edge too', () => {
    const { chart, orders } = shop();
    const keys = new kplus.Secret(chart, 'jwks', { metadata: { name: 'orders-jwks' }, stringData: { 'jwks.json': '{"keys":[]}' } });
    orders.exposeTo(EdgePeer.namespace('ingress-nginx'), { port: 8081 });
    new JwtAuthentication(chart, 'internal', { service: orders, issuer: 'https://sso.example.com', jwks: JwksSource.fromSecret(keys, 'jwks.json') });
    const manifests = synth(chart);
    const bootstrap = envoyConfigOf(manifests, 'order-service');
    const edgeFilters = networkFilterOf(listenerNamed(bootstrap, 'edge_8081')).http_filters;
    expect(edgeFilters.find((f: any) => f.name === 'envoy.filters.http.jwt_authn').typed_config.providers.internal.local_jwks).toEqual({ filename: '/etc/mesh/jwks/internal/jwks.json' });
    const pod = podSpecOf(manifests, 'order-service-v1');
    const volume = pod.volumes.find((v: any) => v.secret?.secretName === 'orders-jwks');
    expect(volume.secret.items).toEqual([{ key: 'jwks.json', path: 'jwks.json' }]);
    expect(containerNamed(pod, 'envoy').volumeMounts).toContainEqual({ mountPath: '/etc/mesh/jwks/internal', name: volume.name, readOnly: true });
    expect(outputProblems(manifests)).toEqual([]);
  });
});

describe('secrets', () => {
  test('a reference to an existing Secret reaches the container through secretKeyRef', () => {
    const chart = newChart();
    const mesh = new Mesh(chart, 'mesh', TEST_MESH);
    const existing = kplus.Secret.fromSecretName(chart, 'existing', 'db-credentials');
    const envVariables = { API_KEY: kplus.EnvValue.fromSecretValue({ secret: existing, key: 'api-key' }) };
    new MeshService(chart, 'orders', { mesh, image: 'example/orders:1.0.0', port: 8080, envVariables });
    const env = containerNamed(podSpecOf(synth(chart), 'orders-v1'), 'app').env;
    expect(env).toEqual([{ name: 'API_KEY', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'api-key' } } }]);
  });
});

