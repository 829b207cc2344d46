/**
 * Property: every Duration, quantity, label map and list of free strings the
 * public API accepts is either refused at synth with a message naming the
 * prop, or written as output every validator accepts (Kubernetes and CRD
 * schemas, Envoy's protos) holding no NaN or Infinity. The props are found
 * in the public API itself (src/index.ts, through the TypeScript compiler):
 * a new prop of one of these types fails the completeness test until it is
 * walked here.
 */
import * as path from 'path';
import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import * as fc from 'fast-check';
import * as ts from 'typescript';
import {
  CertificateSource, EdgePeer, ExternalEndpoint, ExternalService, FailoverOptions, FailoverPolicy, HashKey, HealthCheck, JwksSource,
  JwtAuthentication, LoadBalancer, Mesh, MeshDashboard, MeshProps, MeshService, MonitoredWorkload, Objective, OutlierDetection, RateLimit,
  Retry, RouteTarget, WeightedRoute,
} from '../../src';
import { newChart, outputProblems, synth } from '../helpers';

type Kind = 'duration' | 'resources' | 'labels' | 'strings';
interface Prop { readonly kind: Kind; readonly name: RegExp; readonly build: (value: any) => void }

/** A small mesh: users calls orders over HTTP; `props` go to the mesh. */
function base(props: MeshProps = {}) {
  const chart = newChart();
  const mesh = new Mesh(chart, 'mesh', { certificates: CertificateSource.selfSignedCa(), ...props });
  const orders = new MeshService(chart, 'orders', { mesh, image: 'example/orders:1.0.0', port: 8080 });
  const users = new MeshService(chart, 'users', { mesh, image: 'example/users:1.0.0', port: 9090 });
  users.callTo(orders);
  return { chart, mesh, orders, users };
}

const failover = (options: FailoverOptions) => {
  const m = base();
  new FailoverPolicy(m.chart, 'policy', { service: m.orders, ...options });
  return m.chart;
};
const monitored = (props: object) => {
  const m = base();
  new MonitoredWorkload(m.chart, 'monitoring', { service: m.orders, ...props });
  return m.chart;
};

/** Every public prop of a walked type, with how a mesh takes it. */
const PROPS: Record<string, Prop> = {
  'MeshProps.sidecarResources': { kind: 'resources', name: /sidecarResources/, build: v => base({ sidecarResources: v }).chart },
  'MeshProps.drainDuration': { kind: 'duration', name: /drainDuration/, build: v => base({ drainDuration: v }).chart },
  'MeshProps.certificateDuration': { kind: 'duration', name: /certificateDuration/, build: v => base({ certificateDuration: v }).chart },
  'MeshProps.certificateRenewBefore': { kind: 'duration', name: /certificateRenewBefore/, build: v => base({ certificateRenewBefore: v }).chart },
  'SelfSignedCaOptions.duration': {
    kind: 'duration',
    name: /selfSignedCa duration|certificates\.duration/,
    build: v => base({ certificates: CertificateSource.selfSignedCa({ duration: v }) }).chart,
  },
  'MeshServiceProps.resources': {
    kind: 'resources',
    name: /resources/,
    build: v => {
      const chart = newChart();
      const mesh = new Mesh(chart, 'mesh', { certificates: CertificateSource.selfSignedCa() });
      new MeshService(chart, 'orders', { mesh, image: 'example/orders:1.0.0', port: 8080, resources: v });
      return chart;
    },
  },
  'VersionOptions.resources': {
    kind: 'resources',
    name: /version 'v2': resources/,
    build: v => {
      const m = base();
      m.orders.addVersion('v2', { image: 'example/orders:2.0.0', resources: v });
      return m.chart;
    },
  },
  'InstancePoolOptions.resources': {
    kind: 'resources',
    name: /instance pool 'large': resources/,
    build: v => {
      const m = base();
      m.orders.addInstancePool('large', { weight: 2, resources: v });
      return m.chart;
    },
  },
  'RetryOptions.perTryTimeout': { kind: 'duration', name: /perTryTimeout/, build: v => failover({ retry: Retry.onServerErrors({ perTryTimeout: v }) }) },
  'RetryOptions.backoffBase': { kind: 'duration', name: /backoff/, build: v => failover({ retry: Retry.onServerErrors({ backoffBase: v }) }) },
  'RetryOptions.backoffMax': { kind: 'duration', name: /backoff/, build: v => failover({ retry: Retry.onServerErrors({ backoffMax: v }) }) },
  'OutlierDetectionOptions.interval': {
    kind: 'duration',
    name: /outlierDetection\.interval|outlier detection interval/,
    build: v => failover({ outlierDetection: OutlierDetection.consecutiveErrors(5, { interval: v }) }),
  },
  'OutlierDetectionOptions.baseEjectionTime': {
    kind: 'duration',
    name: /outlierDetection\.baseEjectionTime|outlier detection baseEjectionTime/,
    build: v => failover({ outlierDetection: OutlierDetection.consecutiveErrors(5, { baseEjectionTime: v }) }),
  },
  'FaultInjection.delay': { kind: 'duration', name: /fault\.delay|fault delay/, build: v => failover({ fault: { delay: v } }) },
  'HealthCheckOptions.interval': {
    kind: 'duration',
    name: /healthCheck\.interval|health check interval|interval/,
    build: v => failover({ healthCheck: HealthCheck.http({ path: '/healthz', interval: v }) }),
  },
  'HealthCheckOptions.timeout': {
    kind: 'duration',
    name: /healthCheck\.timeout|timeout/,
    build: v => failover({ healthCheck: HealthCheck.http({ path: '/healthz', timeout: v }) }),
  },
  'FailoverOptions.timeout': { kind: 'duration', name: /timeout/, build: v => failover({ timeout: v }) },
  'FailoverOptions.idleTimeout': { kind: 'duration', name: /idleTimeout/, build: v => failover({ idleTimeout: v }) },
  'CookieHashOptions.ttl': {
    kind: 'duration',
    name: /ttl/,
    build: v => {
      const chart = newChart();
      const mesh = new Mesh(chart, 'mesh', { certificates: CertificateSource.selfSignedCa() });
      new MeshService(chart, 'orders', {
        mesh,
        image: 'example/orders:1.0.0',
        port: 8080,
        loadBalancer: LoadBalancer.ringHash({ key: HashKey.cookie('session', { ttl: v }) }),
      });
      return chart;
    },
  },
  'WeightedRouteOptions.timeout': {
    kind: 'duration',
    name: /timeout/,
    build: v => {
      const m = base();
      new WeightedRoute(m.chart, 'route', { service: m.orders, targets: [RouteTarget.version('v1')], timeout: v });
      return m.chart;
    },
  },
  'HeaderRewrite.remove': {
    kind: 'strings',
    name: /requestHeaders|header/,
    build: v => {
      const m = base();
      new WeightedRoute(m.chart, 'route', { service: m.orders, targets: [RouteTarget.version('v1')], requestHeaders: { remove: v } });
      return m.chart;
    },
  },
  'HeaderRewrite.set': {
    kind: 'labels',
    name: /requestHeaders|header/,
    build: v => {
      const m = base();
      new WeightedRoute(m.chart, 'route', { service: m.orders, targets: [RouteTarget.version('v1')], requestHeaders: { set: v } });
      return m.chart;
    },
  },
  'JwtAuthenticationOptions.claimHeaders': {
    kind: 'labels',
    name: /claimHeaders|claim/,
    build: v => {
      const m = base();
      new JwtAuthentication(m.chart, 'jwt', { service: m.orders, issuer: 'https://issuer.example.com', jwks: JwksSource.remote('https://issuer.example.com/jwks'), claimHeaders: v });
      return m.chart;
    },
  },
  'RateLimitProps.interval': {
    kind: 'duration',
    name: /interval/,
    build: v => {
      const m = base();
      new RateLimit(m.chart, 'limit', { service: m.orders, requests: 100, interval: v });
      return m.chart;
    },
  },
  'JwtAuthenticationOptions.audiences': {
    kind: 'strings',
    name: /audiences/,
    build: v => {
      const m = base();
      new JwtAuthentication(m.chart, 'jwt', { service: m.orders, issuer: 'https://issuer.example.com', jwks: JwksSource.remote('https://issuer.example.com/jwks'), audiences: v });
      return m.chart;
    },
  },
  'RemoteJwksOptions.cacheDuration': {
    kind: 'duration',
    name: /cacheDuration/,
    build: v => {
      const m = base();
      new JwtAuthentication(m.chart, 'jwt', {
        service: m.orders,
        issuer: 'https://issuer.example.com',
        jwks: JwksSource.remote('https://issuer.example.com/jwks', { cacheDuration: v }),
      });
      return m.chart;
    },
  },
  'ExternalHostOptions.cidrs': {
    kind: 'strings',
    name: /cidr/,
    build: v => {
      const m = base({ restrictEgress: true });
      const api = new ExternalService(m.chart, 'api', { mesh: m.mesh, endpoint: ExternalEndpoint.host('api.example.com', 443, { cidrs: v }) });
      m.users.callTo(api);
      return m.chart;
    },
  },
  'ClusterServiceOptions.podLabels': {
    kind: 'labels',
    name: /podLabels/,
    build: v => {
      const m = base({ restrictEgress: true });
      const db = new ExternalService(m.chart, 'db', { mesh: m.mesh, endpoint: ExternalEndpoint.clusterService({ name: 'db', namespace: 'data', port: 5432, podLabels: v }) });
      m.users.callTo(db);
      return m.chart;
    },
  },
  'EdgePeer.namespace podLabels': {
    kind: 'labels',
    name: /podLabels|pod label/,
    build: v => {
      const m = base();
      m.orders.exposeTo(EdgePeer.namespace('ingress', v), { port: 8443 });
      return m.chart;
    },
  },
  'LatencyObjectiveOptions.threshold': {
    kind: 'duration',
    name: /threshold|objective latency/,
    build: v => monitored({ objectives: [Objective.latency({ percentile: 99, threshold: v })] }),
  },
  'AlertThresholds.latencyP99': { kind: 'duration', name: /latencyP99/, build: v => monitored({ alerts: { latencyP99: v } }) },
  'MonitoredWorkloadProps.scrapeInterval': { kind: 'duration', name: /scrapeInterval/, build: v => monitored({ scrapeInterval: v }) },
  'MonitoredWorkloadProps.monitorLabels': { kind: 'labels', name: /monitorLabels/, build: v => monitored({ monitorLabels: v }) },
  'MeshDashboardProps.labels': {
    kind: 'labels',
    name: /labels/,
    build: v => {
      const m = base();
      new MeshDashboard(m.chart, 'dashboard', { mesh: m.mesh, labels: v });
      return m.chart;
    },
  },
};

/** Props of these types that reach no output as such, and why. */
const NOT_WALKED: Record<string, string> = {
  'MeshServiceProps.command': 'container command: lines of a script are legitimate, and Kubernetes writes any string',
  'MeshServiceProps.args': 'container arguments: as command',
  'VersionOptions.command': 'as MeshServiceProps.command',
  'VersionOptions.args': 'as MeshServiceProps.command',
  'CallOptions.fromVersions': 'names of the caller\'s declared versions, written nowhere: a name that is not one (control characters included) is refused by the call checks',
};

const WALKED_TYPE = /\bDuration\b|ContainerResources|\bCpu\b|\bSize\b|string\[\]|\[\w+: string\]: string|Record<string, string>/;

/** `Interface.prop` of every exported interface prop of a walked type (and of factories' label maps). */
function publicValueProps(): string[] {
  const index = path.join(__dirname, '..', '..', 'src', 'index.ts');
  const program = ts.createProgram([index], { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const found: string[] = [];
  for (const symbol of checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(index)!)!)) {
    // eslint-disable-next-line no-bitwise
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    for (const declaration of target.declarations ?? []) {
      if (!ts.isInterfaceDeclaration(declaration)) continue;
      for (const member of declaration.members) {
        if (ts.isPropertySignature(member) && member.type && WALKED_TYPE.test(member.type.getText())) found.push(`${target.name}.${member.name.getText()}`);
      }
    }
  }
  return found.sort();
}

test('every public prop of a Duration, quantity, label or string-list type is walked by the property below', () => {
  const missing = publicValueProps().filter(name => !(name in PROPS) && !(name in NOT_WALKED));
  expect(missing).toEqual([]);
});

const HOSTILE_NUMBERS = [NaN, Infinity, -Infinity, -1, -0.5, 0, 0.5, 1, 1e6, 1e13, 1e20, 1e300];
const CONTROL = fc.constantFrom('\n', '\r', '\u0000', '\t', '\u007f', ' ', 'a b', 'c\nd', '', 'x'.repeat(70), 'ok', 'team-a');

const ARBITRARIES: Record<Kind, fc.Arbitrary<unknown>> = {
  // cdk8s' Duration refuses negative amounts where they are made; the rest reaches the library.
  duration: fc.oneof(fc.constantFrom(...HOSTILE_NUMBERS), fc.double()).filter(ms => !(ms < 0)).chain(ms =>
    fc.constantFrom(Duration.millis(ms), Duration.seconds(ms), Duration.hours(ms))),
  resources: fc.record({
    cpu: fc.record({
      request: fc.oneof(
        fc.constantFrom(...HOSTILE_NUMBERS).map(n => kplus.Cpu.millis(n)),
        fc.constantFrom(...HOSTILE_NUMBERS).map(n => kplus.Cpu.units(n)),
      ),
      limit: fc.constantFrom(...HOSTILE_NUMBERS).map(n => kplus.Cpu.units(n)),
    }, { requiredKeys: [] }),
    // cdk8s' Size refuses negative amounts where they are made; the rest reaches the library.
    memory: fc.record({
      request: fc.constantFrom(...HOSTILE_NUMBERS.filter(n => !(n < 0)), 0.001).map(n => Size.mebibytes(n)),
      limit: fc.constantFrom(...HOSTILE_NUMBERS.filter(n => !(n < 0)), 0.001).map(n => Size.gibibytes(n)),
    }, { requiredKeys: [] }),
  }, { requiredKeys: [] }),
  labels: fc.dictionary(fc.oneof(CONTROL, fc.constantFrom('team', 'example.com/team', 'Bad/Key', '/x')), CONTROL, { maxKeys: 3, noNullPrototype: true }),
  strings: fc.array(CONTROL, { minLength: 1, maxLength: 3 }),
};

describe.each(Object.entries(PROPS))('%s', (_name, prop) => {
  test('hostile values are refused naming the prop, or written as valid output', () => {
    fc.assert(fc.property(ARBITRARIES[prop.kind], value => {
      let manifests: any[];
      try {
        manifests = synth(prop.build(value) as any);
      } catch (error) {
        const message = (error as Error).message;
        if (!message.startsWith('Validation failed')) throw error;
        // Refused: a line names the prop (other lines may report other consequences of the value).
        expect(message).toMatch(prop.name);
        return;
      }
      expect(outputProblems(manifests)).toEqual([]);
      expect(JSON.stringify(manifests)).not.toMatch(/NaN|Infinity|-1m\b/);
    }), { numRuns: 12, seed: 20251125 });
  });
});
