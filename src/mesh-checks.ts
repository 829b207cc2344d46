import { Duration } from 'cdk8s';
import { ENVOY_RELEASE_IMAGE } from './engines/envoy/image';
import { failoverPolicyChecks } from './failover/failover-checks';
import { CallEdge, retryAmplification, retryCycles, timeoutBudgets } from './failover/graph-analysis';
import { MeshModel } from './model/mesh-model';
import { Problem, problemsAt } from './model/problem';
import { monitorChecks } from './monitoring/monitor-checks';
import { isHttp } from './protocol';
import { MtlsMode } from './security/mtls';
import { secretLookup } from './security/secret-env';
import { adoptedPodSecurityChecks, authorizationChecks, jwtChecks } from './security/security-checks';
import { serviceChecks } from './service-checks';
import { externalServiceChecks } from './traffic/external-checks';
import { rateLimitChecks } from './traffic/rate-limit-checks';
import { routeChecks } from './traffic/route-checks';
import { invalidDnsLabel, isDnsName, isImageReference, isPort, MAX_GO_DURATION_MS } from './value-checks';

/** Envoy's route timeout when none is set. */
const ENVOY_DEFAULT_TIMEOUT_MS = 15_000;

/** Every problem of the mesh, each at the construct it concerns; `engineProblems` are what its engine refuses. */
export function meshProblems(model: MeshModel, engineProblems: Problem[]): Problem[] {
  const findSecret = secretLookup();
  return [
    ...meshChecks(model),
    ...model.services.flatMap(service => serviceChecks(model, service, findSecret)),
    ...routeChecks(model),
    ...failoverPolicyChecks(model),
    ...authorizationChecks(model),
    ...jwtChecks(model),
    ...adoptedPodSecurityChecks(model),
    ...monitorChecks(model),
    ...rateLimitChecks(model),
    ...externalServiceChecks(model),
    ...engineProblems,
    ...model.declarationProblems,
  ];
}

/** Problems of the mesh-wide settings and of the whole call graph. */
function meshChecks(model: MeshModel): Problem[] {
  const { mesh } = model;
  const errors: string[] = [];
  const nsError = invalidDnsLabel(mesh.namespace);
  if (nsError) errors.push(`namespace ${nsError}`);
  if (!isDnsName(mesh.clusterDomain)) {
    errors.push(`clusterDomain '${mesh.clusterDomain}' is not a valid DNS name (for example 'cluster.local')`);
  }
  if (!isDnsName(mesh.trustDomain)) {
    errors.push(`trustDomain '${mesh.trustDomain}' is not a valid DNS name: use lower-case labels separated by dots, for example 'shop.example.com'`);
  }
  if (mesh.engine._translator.ownsSidecar && mesh.mtls !== MtlsMode.DISABLED && !mesh.certificates) {
    errors.push(`mtls ${mesh.mtls} needs certificates: pass certificates: CertificateSource.selfSignedCa() (a mesh CA bootstrapped with cert-manager), CertificateSource.clusterIssuer('<name>'), CertificateSource.issuer('<name>') or CertificateSource.existingSecrets(); or set mtls: MtlsMode.DISABLED`);
  }
  const duration = mesh.certificateDuration.toMinutes({ integral: false });
  const renewBefore = mesh.certificateRenewBefore.toMinutes({ integral: false });
  // Durations that are not finite are reported by the value walk (valueProblems).
  const finite = Number.isFinite(duration) && Number.isFinite(renewBefore);
  if (finite && (!(duration >= 60) || !(renewBefore > 0) || renewBefore >= duration || duration * 60_000 > MAX_GO_DURATION_MS)) {
    errors.push(`certificateDuration ${duration}m and certificateRenewBefore ${renewBefore}m are invalid: the duration must be at least 60m and at most 292 years (cert-manager parses Go durations), and the renewal margin positive and shorter than it`);
  }
  if (!isPinnedImage(mesh.envoyImage)) {
    errors.push(`envoyImage '${mesh.envoyImage}' is not pinned: use a release tag such as '${ENVOY_RELEASE_IMAGE}' or a digest (image@sha256:...), never 'latest' or no tag`);
  }
  const ports = mesh._ports;
  for (const [name, port] of Object.entries(ports)) {
    if (!isPort(port)) errors.push(`ports.${name} ${port} is not a valid port: use an integer from 1 to 65535`);
  }
  if (new Set(Object.values(ports)).size !== 3) {
    errors.push(`ports admin ${ports.admin}, inbound ${ports.inbound} and stats ${ports.stats} must be three different ports`);
  }
  errors.push(...mesh.tracing?._validate() ?? []);
  errors.push(...duplicateObjectNames(model));
  const drain = mesh.drainDuration.toSeconds({ integral: false });
  if (!Number.isInteger(drain) || drain < 1) {
    errors.push(`drainDuration ${drain}s is invalid: use a whole number of seconds, at least 1`);
  }
  if (mesh.restrictEgress && !mesh.networkPolicies) {
    errors.push('restrictEgress needs networkPolicies: egress is limited by the services\' NetworkPolicies; enable them or drop restrictEgress');
  }
  const monitoringError = invalidDnsLabel(mesh.monitoringNamespace);
  if (monitoringError) errors.push(`monitoringNamespace ${monitoringError}`);
  errors.push(...mesh.certificates?._validate(mesh) ?? []);
  errors.push(...mesh.trustBundle?._validate() ?? []);
  if (mesh.trustBundle && mesh.mtls === MtlsMode.DISABLED) {
    errors.push('trustBundle is given but mtls is DISABLED: sidecars verify no certificates; remove trustBundle or enable mutual TLS');
  }
  const edges = callEdges(model);
  if (mesh.maxRetryAmplification >= 1) {
    errors.push(...retryAmplification(edges, mesh.maxRetryAmplification));
    // An infinite limit accepts any amplification, even an unbounded one.
    if (Number.isFinite(mesh.maxRetryAmplification)) errors.push(...retryCycles(edges));
  } else {
    errors.push(`maxRetryAmplification ${mesh.maxRetryAmplification} is invalid: use a number of at least 1`);
  }
  errors.push(...timeoutBudgets(edges));
  return problemsAt(mesh.node.path, errors);
}

/** The mesh's HTTP calls with their failover settings, for whole-graph checks. */
function callEdges(model: MeshModel): CallEdge[] {
  return model.services.flatMap(service => service.calls.filter(call => isHttp(call.upstream.service.protocol)).map(call => {
    const { retry, timeout } = call.failover;
    return {
      from: service.service.name,
      to: call.upstream.service.name,
      attempts: retry?.attempts ?? 1,
      timeoutMs: milliseconds(timeout) ?? ENVOY_DEFAULT_TIMEOUT_MS,
      perTryTimeoutMs: milliseconds(retry?.perTryTimeout),
    };
  }));
}

function milliseconds(duration?: Duration): number | undefined {
  return duration?.toMilliseconds({ integral: false });
}

/** Kubernetes names are the mesh's contract: two services must never claim the same one. */
function duplicateObjectNames(model: MeshModel): string[] {
  const owners = new Map<string, string>();
  const errors: string[] = [];
  for (const { service, workloads } of model.services) {
    for (const name of [service.name, ...workloads.map(w => w.name)]) {
      const key = `${service.namespace}/${name}`;
      const owner = owners.get(key);
      if (owner === service.node.path) {
        errors.push(`Kubernetes name '${key}' is claimed twice by ${owner} (a version '<version>-<pool>' next to an instance pool '<pool>'?): rename the version or the pool`);
      } else if (owner !== undefined) {
        errors.push(`Kubernetes name '${key}' is claimed by both ${owner} and ${service.node.path}: give one of them another name`);
      }
      owners.set(key, service.node.path);
    }
  }
  return errors;
}

function isPinnedImage(image: string): boolean {
  if (!isImageReference(image)) return false;
  if (/@sha256:[a-f0-9]{64}$/.test(image)) return true;
  const lastSegment = image.split('/').pop() ?? '';
  const tag = lastSegment.includes(':') ? lastSegment.split(':').pop()! : '';
  return tag !== '' && tag !== 'latest' && /^[\w][\w.-]{0,127}$/.test(tag);
}
