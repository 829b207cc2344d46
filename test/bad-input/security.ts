import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  AuthorizationPolicy, CertificateSource, EdgePeer, FailoverPolicy, HealthCheck, HttpMethod, JwksSource, JwtAuthentication, JwtAuthenticationProps,
  JwtProviderOverlap, Mesh, MeshProps, MeshService, MtlsMode, PathMatch, TrustBundle,
} from '../../src';
import { newChart, TEST_MESH } from '../helpers';
import { BadInput } from './bad-input';

function shop(mesh: MeshProps = TEST_MESH) {
  const chart = newChart();
  const m = new Mesh(chart, 'mesh', mesh);
  const orders = new MeshService(chart, 'order-service', { mesh: m, image: 'example/orders:1.0.0', port: 8080 });
  const users = new MeshService(chart, 'user-service', { mesh: m, image: 'example/users:1.0.0', port: 3000 });
  const admin = new MeshService(chart, 'admin', { mesh: m, image: 'example/admin:1.0.0', port: 3001 });
  users.callTo(orders);
  return { chart, orders, users, admin };
}

function jwt(props: Omit<JwtAuthenticationProps, 'service' | 'jwks'> & { jwks?: JwksSource }) {
  const { chart, orders } = shop();
  new JwtAuthentication(chart, 'jwt', { service: orders, ...props } as JwtAuthenticationProps);
  return chart;
}

/** Two JWT providers, `a` and `b`, on one service. */
function jwtPair(a: Partial<JwtAuthenticationProps>, b: Partial<JwtAuthenticationProps>) {
  const { chart, orders } = shop();
  for (const [id, props] of [['a', a], ['b', b]] as const) {
    new JwtAuthentication(chart, id, { service: orders, issuer: 'https://i.example.com', jwks: JwksSource.remote('https://k.example.com/jwks'), ...props });
  }
  return chart;
}

function withEnv(envVariables: (chart: ReturnType<typeof newChart>) => Record<string, kplus.EnvValue>) {
  const chart = newChart();
  const mesh = new Mesh(chart, 'mesh', TEST_MESH);
  new MeshService(chart, 'orders', { mesh, image: 'example/orders:1.0.0', port: 8080, envVariables: envVariables(chart) });
  return chart;
}

/** Bad input of identities, authorization, the edge, JWT and Secrets. */
/** A service adopting a Deployment built with the given pod props and container props. */
function adoptedWith(pod: Partial<kplus.DeploymentProps>, container: Partial<kplus.ContainerProps>) {
  const chart = newChart();
  const deployment = new kplus.Deployment(chart, 'legacy-deployment', {
    metadata: { name: 'legacy' },
    serviceAccount: new kplus.ServiceAccount(chart, 'legacy-sa', { metadata: { name: 'legacy' } }),
    containers: [{ name: 'main', image: 'example/legacy:3.1.0', portNumber: 7000, ...container }],
    ...pod,
  });
  new MeshService(chart, 'legacy', { mesh: new Mesh(chart, 'mesh', TEST_MESH), deployment, port: 7000 });
  return chart;
}

export const SECURITY_CASES: BadInput[] = [
  ['STRICT mTLS with no certificate source', () => shop({}).chart,
    [/\[test\/mesh\]/, /mtls STRICT needs certificates: pass certificates: CertificateSource.selfSignedCa\(\)/]],
  ['PERMISSIVE mTLS with no certificate source', () => shop({ mtls: MtlsMode.PERMISSIVE }).chart, [/mtls PERMISSIVE needs certificates/]],
  ['a trust domain that is not a DNS name', () => shop({ ...TEST_MESH, trustDomain: 'Shop Local' }).chart,
    [/trustDomain 'Shop Local' is not a valid DNS name/]],
  ['a renewal margin longer than the certificate', () => shop({
    ...TEST_MESH, certificateDuration: Duration.hours(2), certificateRenewBefore: Duration.hours(3),
  }).chart, [/certificateDuration 120m and certificateRenewBefore 180m are invalid/]],
  ['an authorization rule for a caller that does not call the service', () => {
    const { chart, users, admin } = shop();
    new AuthorizationPolicy(chart, 'policy', { service: users, caller: admin, methods: [HttpMethod.GET] });
    return chart;
  }, [/\[test\/policy\] caller admin does not call user-service/]],
  ['authorization without mTLS', () => {
    const { chart, orders, users } = shop({ mtls: MtlsMode.DISABLED });
    new AuthorizationPolicy(chart, 'policy', { service: orders, caller: users });
    return chart;
  }, [/authorization by caller identity needs mutual TLS/]],
  ['an edge port that collides with another port', () => {
    const { chart, orders } = shop();
    orders.exposeTo(EdgePeer.anywhere(), { port: 8080 });
    return chart;
  }, [/exposeTo\(anywhere\) on port 8080: the port is already the application port/]],
  ['a JWT provider without issuer', () => jwt({ issuer: '', jwks: JwksSource.remote('https://k.example.com/jwks') }),
    [/\[test\/jwt\] JWT provider has no issuer/]],
  ['a JWT provider without keys', () => jwt({ issuer: 'https://i.example.com' }), [/JWT provider has no keys/]],
  ['a JWT provider with keys over plaintext', () => jwt({ issuer: 'https://i.example.com', jwks: JwksSource.remote('http://k.example.com/jwks') }),
    [/JWKS URL 'http:\/\/k.example.com\/jwks' is invalid: use an https:\/\/ URL/]],
  ['a Secret reference to a key the Secret does not define', () => withEnv(chart => {
    const secret = new kplus.Secret(chart, 'db', { metadata: { name: 'db' }, stringData: { username: 'orders' } });
    return { PASSWORD: kplus.EnvValue.fromSecretValue({ secret, key: 'password' }) };
  }), [/variable PASSWORD references key 'password' of Secret 'db', which defines no such key/]],
  ['a literal secret value in plain text', () => withEnv(() => ({ DB_PASSWORD: kplus.EnvValue.fromValue('hunter2') })),
    [/variable DB_PASSWORD holds a literal secret, which would be stored in plain text/]],
  ['a short secret variable name, a URL with a password and a secret argument', () => {
    const chart = newChart();
    const mesh = new Mesh(chart, 'mesh', TEST_MESH);
    new MeshService(chart, 'orders', {
      mesh,
      image: 'example/orders:1.0.0',
      port: 8080,
      args: ['--db-password=hunter2', '--token=$(API_TOKEN)'],
      envVariables: { DB_PWD: kplus.EnvValue.fromValue('hunter2'), DATABASE_URL: kplus.EnvValue.fromValue('postgres://app:hunter2@db:5432/app') },
    });
    return chart;
  }, [/variable DB_PWD holds a literal secret/, /variable DATABASE_URL holds a literal secret/, /argument '--db-password=\.\.\.' holds a literal secret/]],
  ['an edge port that is a sidecar port', () => {
    const { chart, orders } = shop();
    orders.exposeTo(EdgePeer.anywhere(), { port: 15006 });
    return chart;
  }, [/exposeTo\(anywhere\) on port 15006: the port is already the sidecar's inbound port/]],
  ['an edge peer namespace that is not a DNS label', () => {
    const { chart, orders } = shop();
    orders.exposeTo(EdgePeer.namespace('Ingress_'), { port: 8443 });
    return chart;
  }, [/exposeTo\(namespace Ingress_\): namespace 'Ingress_' is not a valid DNS label/]],
  ['an edge peer CIDR that is not one', () => {
    const { chart, orders } = shop();
    orders.exposeTo(EdgePeer.ipBlock('10.0.0.0/33'), { port: 8443 });
    return chart;
  }, [/'10.0.0.0\/33' is not an IPv4 CIDR block/]],
  ['an authorization path that is not absolute', () => {
    const { chart, orders, users } = shop();
    new AuthorizationPolicy(chart, 'policy', { service: orders, caller: users, paths: [PathMatch.prefix('orders')] });
    return chart;
  }, [/\[test\/policy\] path 'orders' must start with '\/'/]],
  ['a JWT provider id that cannot name it', () => {
    const { chart, orders } = shop();
    new JwtAuthentication(chart, 'Login (prod)', { service: orders, issuer: 'https://i.example.com', jwks: JwksSource.remote('https://k.example.com/jwks') });
    return chart;
  }, [/the construct id 'Login \(prod\)' names the JWT provider/]],
  ['a JWKS URL with an invalid port', () => jwt({ issuer: 'https://i.example.com', jwks: JwksSource.remote('https://k.example.com:70000/jwks') }),
    [/JWKS URL 'https:\/\/k.example.com:70000\/jwks' is invalid/]],
  ['a mesh CA namespace that is not a DNS label', () => shop({ certificates: CertificateSource.selfSignedCa({ namespace: 'Cert_Manager' }) }).chart,
    [/selfSignedCa namespace 'Cert_Manager' is not a valid DNS label/]],
  ['a mesh id that cannot name its CA issuers', () => {
    const chart = newChart();
    new Mesh(chart, 'Mesh', TEST_MESH);
    return chart;
  }, [/\[test\/Mesh\] the mesh's construct id names its CA issuers \(cluster-wide\): 'Mesh' is not a valid DNS label/]],
  ['two meshes with the same id bootstrapping a CA', () => {
    const chart = newChart();
    new Mesh(new Chart(App.of(chart), 'other'), 'mesh', TEST_MESH);
    new Mesh(chart, 'mesh', TEST_MESH);
    return chart;
  }, [/has the same construct id and also bootstraps a CA: the cluster-wide issuers 'mesh-ca' would collide/]],
  ['a JWKS cache duration of zero', () => jwt({
    issuer: 'https://i.example.com', jwks: JwksSource.remote('https://k.example.com/jwks', { cacheDuration: Duration.millis(0) }),
  }), [/JWKS cacheDuration 0ms is invalid: use at least one millisecond/]],
  ['an authorization policy under PERMISSIVE mTLS', () => {
    const { chart, orders, users } = shop({ ...TEST_MESH, mtls: MtlsMode.PERMISSIVE });
    new AuthorizationPolicy(chart, 'policy', { service: orders, caller: users, paths: [PathMatch.prefix('/orders/')] });
    return chart;
  }, [/\[test\/policy\] authorization by caller identity needs mutual TLS, but the mesh has mtls: MtlsMode.PERMISSIVE/]],
  ['a JWT path regex RE2 refuses', () => jwt({
    issuer: 'https://i.example.com', jwks: JwksSource.remote('https://k.example.com/jwks'), paths: [PathMatch.regex('/(?<=a)b')],
  }), [/\[test\/jwt\] regular expression '\/\(\?<=a\)b' is refused by RE2/]],
  ['a trust bundle ConfigMap name that is not a Kubernetes name', () => shop({ ...TEST_MESH, trustBundle: TrustBundle.fromConfigMap('Mesh Trust') }).chart,
    [/\[test\/mesh\] trustBundle ConfigMap name 'Mesh Trust' is not a valid Kubernetes name/]],
  ['a trust bundle without mutual TLS', () => shop({ mtls: MtlsMode.DISABLED, trustBundle: TrustBundle.fromConfigMap('mesh-trust') }).chart,
    [/trustBundle is given but mtls is DISABLED/]],
  ['a self-signed CA that lives less than an hour', () => shop({ certificates: CertificateSource.selfSignedCa({ duration: Duration.minutes(30) }) }).chart,
    [/\[test\/mesh\] selfSignedCa duration 0.5h is invalid: cert-manager needs at least 1 hour/]],
  ['a JWT provider on the path callers health-check', () => {
    const { chart, orders, users } = shop();
    new FailoverPolicy(chart, 'checks', { service: orders, caller: users, healthCheck: HealthCheck.http({ path: '/healthz' }) });
    new JwtAuthentication(chart, 'login', { service: orders, issuer: 'https://i.example.com', jwks: JwksSource.remote('https://k.example.com/jwks') });
    return chart;
  }, [/\[test\/login\] JWT provider 'login' requires a token on \/healthz, the path user-service's sidecar health-checks without one/]],
  ['a JWT path with a dot segment', () => jwt({
    issuer: 'https://i.example.com', jwks: JwksSource.remote('https://k.example.com/jwks'), paths: [PathMatch.prefix('/public/../admin/')],
  }), [/path "\/public\/\.\.\/admin\/" is not in the form Envoy compares requests in/]],
  ['a claim copied into a header with an underscore', () => jwt({
    issuer: 'https://i.example.com', jwks: JwksSource.remote('https://k.example.com/jwks'), claimHeaders: { sub: 'x_user_id' },
  }), [/claim header 'x_user_id' contains '_': the sidecar strips only 'x_user_id'/]],
  ['a claim copied into a header Envoy sets', () => jwt({
    issuer: 'https://i.example.com', jwks: JwksSource.remote('https://k.example.com/jwks'), claimHeaders: { sub: 'x-forwarded-client-cert' },
  }), [/claim header 'x-forwarded-client-cert' is reserved: Envoy sets or reads it itself/]],
  ['a claim copied into the header that carries the token', () => jwt({
    issuer: 'https://i.example.com', jwks: JwksSource.remote('https://k.example.com/jwks'), claimHeaders: { sub: 'Authorization' },
  }), [/claim header 'Authorization' is reserved: the sidecar strips claim headers from incoming requests/]],
  ['JWT providers on overlapping paths without a declared meaning', () => jwtPair(
    { paths: [PathMatch.prefix('/')] }, { paths: [PathMatch.prefix('/admin/')] },
  ), [/\[test\/b\] the paths of JWT providers a, b overlap \(prefix '\/admin\/'\): say whether/]],
  ['JWT providers of different issuers all required on one path', () => jwtPair(
    { overlap: JwtProviderOverlap.ALL_PROVIDERS }, { overlap: JwtProviderOverlap.ALL_PROVIDERS, issuer: 'https://other.example.com' },
  ), [/\[test\/a\] JWT providers a, b require all their tokens on prefix '\/', but a request carries one bearer token/]],
  ['JWT providers on one service with a regex path', () => jwtPair(
    { paths: [PathMatch.regex('/v[0-9]+/.*')] }, { paths: [PathMatch.prefix('/admin/')] },
  ), [/\[test\/a\] JWT provider 'a' has a regex path, and the service has other JWT providers \(b\)/]],
  ['restricted egress without network policies', () => shop({ ...TEST_MESH, restrictEgress: true, networkPolicies: false }).chart,
    [/\[test\/mesh\] restrictEgress needs networkPolicies/]],
  ['an adopted container that adds capabilities', () => adoptedWith({}, { securityContext: { capabilities: { add: ['NET_ADMIN' as kplus.Capability] } } }),
    [/\[test\/legacy\] the adopted Deployment legacy: container 'main' sets securityContext.capabilities.add \[NET_ADMIN\], which Pod Security "restricted" refuses/]],
  ['an adopted privileged container', () => adoptedWith({}, { securityContext: { privileged: true } }),
    [/container 'main' sets securityContext.privileged: true, which Pod Security "restricted" refuses: remove it/]],
  ['an adopted pod on the host network', () => adoptedWith({ hostNetwork: true }, {}),
    [/\[test\/legacy\] the adopted Deployment legacy sets hostNetwork: true, which Pod Security "restricted" refuses: remove it/]],
  ['a JWT audience with control characters', () => jwt({ issuer: 'https://issuer.example.com', audiences: ['\n'] }),
    [/\[test\/jwt\] audiences\[0\] "\\n" holds control characters \(CR, LF, NUL, \.\.\.\): remove them/]],
];
