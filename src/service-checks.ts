import { failoverServiceChecks } from './failover/failover-checks';
import { Upstream } from './model/declarations';
import { MAIN_POOL } from './model/labels';
import { MeshModel, ServiceModel, wiredUpstreams } from './model/mesh-model';
import { Problem, problemsAt } from './model/problem';
import { isHttp } from './protocol';
import { SecretLookup, secretLookup, validateSecretEnv } from './security/secret-env';
import { routeShadowChecks } from './traffic/route-checks';
import { aliasesOf, loopbackAddress, upstreamVariables } from './traffic/upstream-address';
import { invalidDnsLabel, isImageReference, isPort, isUint32, UINT32_MAX } from './value-checks';

/**
 * Problems of one service: its name and ports, workloads, calls, exposures,
 * failover chain and routes. `findSecret` finds the Secrets its variables
 * reference (share one among the services of a validation).
 */
export function serviceChecks(mesh: MeshModel, model: ServiceModel, findSecret: SecretLookup = secretLookup()): Problem[] {
  const { service, props } = model;
  const errors: string[] = [];
  const nameError = invalidDnsLabel(service.name);
  if (nameError) errors.push(`name ${nameError}`);
  errors.push(...workloadProblems(model));
  const nsError = invalidDnsLabel(service.namespace);
  if (nsError) errors.push(`namespace ${nsError}`);
  for (const [prop, port] of [['port', service.port], ['appPort', service.appPort]] as const) {
    if (prop === 'appPort' && service.appPort === service.port) continue;
    if (!isPort(port)) errors.push(`${prop} ${port} is not a valid port: use an integer from 1 to 65535`);
    for (const [role, sidecarPort] of Object.entries(service.mesh._ports)) {
      if (sidecarPort === port) {
        errors.push(`${prop} ${port} collides with the sidecar's ${role} port: use another ${prop}, or move the sidecar's with Mesh ports.${role}`);
      }
    }
  }
  if ([props.image, props.deployment, props.statefulSet].filter(source => source !== undefined).length !== 1) {
    errors.push('give exactly one of image (a Deployment is created), deployment or statefulSet (an existing one is adopted)');
  }
  if (props.image !== undefined && props.image.trim() === '') {
    errors.push('image is empty: give the application\'s container image');
  } else if (props.image !== undefined && !isImageReference(props.image)) {
    errors.push(`image ${JSON.stringify(props.image)} is not a container image reference: use [registry/]name[:tag][@sha256:digest], `
      + 'for example registry.example.com/orders:1.4.2');
  }
  const grace = model.workloads.map(w => w.workload.pods.terminationGracePeriod?.toSeconds() ?? DEFAULT_GRACE_SECONDS);
  const drain = service.mesh.drainDuration.toSeconds({ integral: false });
  if (!service.mesh.nativeSidecars && grace.some(seconds => drain >= seconds)) {
    errors.push(`the mesh's drainDuration of ${drain}s is not shorter than the pods' termination grace period of ${Math.min(...grace)}s: `
      + 'Kubernetes would kill the sidecar while it drains; shorten drainDuration or give the Deployment a longer terminationGracePeriod');
  }
  const adopted = props.deployment ?? props.statefulSet;
  if (adopted && !adopted.serviceAccount) {
    errors.push(`the adopted ${adopted.kind} has no serviceAccount: give it one of its own, it is the service's mesh identity`);
  }
  errors.push(...service.loadBalancer._validate(isHttp(service.protocol)).map(e => `loadBalancer: ${e}`));
  if (model.monitors.length > 1) {
    errors.push(`${model.monitors.length} MonitoredWorkloads monitor this service (${model.monitors.map(m => m.path).join(', ')}): their rules would have duplicate names; merge them into one`);
  }
  errors.push(
    ...callProblems(model), ...failoverServiceChecks(mesh, model), ...routeShadowChecks(model), ...exposureProblems(model),
    ...model.workloads.flatMap(w => validateSecretEnv(w.workload.pods, findSecret)),
  );
  return problemsAt(service.node.path, errors);
}

function workloadProblems(model: ServiceModel): string[] {
  const errors: string[] = [];
  for (const { version, pool, name, replicas, weight, created } of model.workloads) {
    const what = pool === MAIN_POOL ? `version '${version}'` : `instance pool '${pool}'`;
    if (replicas !== undefined && !(Number.isInteger(replicas) && replicas >= 0)) {
      errors.push(`${what}: replicas ${replicas} is invalid: use a non-negative integer`);
    }
    const labelError = invalidDnsLabel(version) ?? invalidDnsLabel(pool);
    if (labelError) {
      errors.push(`${what}: ${labelError}`);
    } else if (invalidDnsLabel(name) && !invalidDnsLabel(model.service.name)) {
      errors.push(`${what}: the Deployment and headless Service name '${name}' is longer than 63 characters: shorten the service name, version or pool`);
    }
    if (!isUint32(weight, 1)) {
      errors.push(`${what}: weight ${weight} is invalid: use an integer from 1 to ${UINT32_MAX}`);
    }
    if (pool !== MAIN_POOL && !created) {
      errors.push(`${what}: instance pools need the image of a Deployment created by the mesh, but this service adopted its Deployment`);
    }
  }
  return errors;
}

/** Calls that cannot be served: repeated, across meshes, to itself, or clashing in names, variables or local ports. */
function callProblems(model: ServiceModel): string[] {
  const { service, props } = model;
  const errors: string[] = [];
  const seen = new Set<unknown>();
  const listeners = new Map<string, string>();
  const names = new Map<string, Upstream>();
  const variables = new Map<string, string>();
  for (const { upstream, options } of model.declaredCalls) {
    const edge = `callTo(${upstream.node.path})`;
    if (seen.has(upstream)) {
      errors.push(`${edge} is declared more than once: declare each upstream once, with all its options`);
      continue;
    }
    seen.add(upstream);
    if (upstream.mesh !== service.mesh) {
      errors.push(`${edge}: the upstream belongs to mesh ${upstream.mesh.node.path}, not ${service.mesh.node.path}; services call only within their own mesh`);
      continue;
    }
    if (upstream === service) {
      errors.push(`${edge}: a service cannot call itself through its own sidecar; the application reaches itself on localhost`);
      continue;
    }
    const sameName = names.get(upstream.name);
    if (sameName) {
      errors.push(`${edge}: this service also calls ${sameName.node.path}, another service named '${upstream.name}' (in namespace ${sameName.namespace}); a sidecar names its listeners, clusters and metrics after the service name, so give one of them another name`);
      continue;
    }
    names.set(upstream.name, upstream);
    if (options.fromVersions !== undefined && options.fromVersions.length === 0) {
      errors.push(`${edge}: fromVersions is empty: name the versions that make the call, or leave fromVersions out for every version`);
    }
    for (const version of new Set(options.fromVersions ?? [])) {
      if (!model.versions.includes(version)) {
        errors.push(`${edge}: fromVersions names version '${version}', which this service does not have: use one of ${model.versions.map(v => `'${v}'`).join(', ')}`);
      }
    }
    for (const variable of Object.keys(upstreamVariables(upstream, options))) {
      const holder = variables.get(variable);
      if (holder) errors.push(`${edge}: environment variable ${variable} is also set for ${holder}: pass another addressVariable`);
      variables.set(variable, upstream.node.path);
    }
    const port = options.localPort ?? upstream.port;
    const ownListener = service.mesh.engine._translator.ownsSidecar; // other engines' proxies capture calls without a listener in the pod
    if (!isPort(port)) {
      errors.push(`${edge}: localPort ${port} is not a valid port: use an integer from 1 to 65535`);
    } else if (!ownListener) {
      // nothing to bind
    } else if (port === service.appPort) {
      errors.push(`${edge}: the upstream's port ${port} is also the port this application listens on, and both cannot be bound in one pod: pass localPort (e.g. ${port + 10000 <= 65535 ? port + 10000 : port - 1}) and point the application at it, or give one service another port`);
    } else if (Object.values(service.mesh._ports).includes(port)) {
      errors.push(`${edge}: port ${port} is one of the sidecar's own ports: pass another localPort`);
    }
    const listen = `${loopbackAddress(upstream.namespace, upstream.name)}:${port}`;
    const clash = listeners.get(listen);
    if (clash && ownListener) {
      errors.push(`${edge}: its local address ${listen} is also that of ${clash}: pass another localPort for one of them`);
    }
    listeners.set(listen, upstream.node.path);
    errors.push(...(options.loadBalancer?._validate(isHttp(upstream.protocol)) ?? []).map(e => `${edge} loadBalancer: ${e}`));
    if (options.addressVariable !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(options.addressVariable)) {
      errors.push(`${edge}: addressVariable '${options.addressVariable}' is not a valid environment variable name (letters, digits and '_', not starting with a digit)`);
    } else if (options.addressVariable !== undefined && RESERVED_VARIABLES.includes(options.addressVariable)) {
      errors.push(`${edge}: addressVariable '${options.addressVariable}' would overwrite a variable the system or Kubernetes sets: choose a name of your own`);
    }
    for (const variable of Object.keys(upstreamVariables(upstream, options))) {
      if (variable in (props.envVariables ?? {})) {
        errors.push(`${edge}: environment variable ${variable}, which tells the application where ${upstream.name} is, is also set in envVariables: `
          + 'remove one of them or pass another addressVariable');
      }
    }
  }
  return [...errors, ...aliasLoops(model)];
}

/**
 * Hosts the sidecar resolves through DNS (external endpoints and backups)
 * that the pod's host aliases point at its own sidecar: the sidecar would
 * send those requests to itself.
 */
function aliasLoops(model: ServiceModel): string[] {
  const aliases = new Map<string, string>();
  for (const upstream of wiredUpstreams(model)) {
    for (const alias of aliasesOf(upstream, model.service.namespace)) aliases.set(alias, upstream.name);
  }
  const resolved = [
    ...model.externalCalls.flatMap(({ external }) => {
      const endpoint = external._endpoint;
      return [...(endpoint.service ? [] : [endpoint.host]), ...(external.failover.backup?._host ? [external.failover.backup._host.hostname] : [])];
    }),
    ...model.calls.flatMap(call => call.clusters.flatMap(cluster => cluster.backups.flatMap(b => (b.host ? [b.host.hostname] : [])))),
  ];
  const problems = [...new Set(resolved)].filter(host => aliases.has(host)).map(host =>
    `host '${host}' is also a name this service's pods resolve to their own sidecar (for ${aliases.get(host)}), which would send to itself: `
    + 'give that upstream another name, or use the host\'s fully qualified name');
  // The sidecar sends spans to the collector from the same pod, whose /etc/hosts holds the aliases.
  const tracing = model.service.mesh.tracing;
  const collector = tracing && model.service.mesh.engine._translator.ownsSidecar ? tracing._spec().collectorHost : undefined;
  if (collector !== undefined && aliases.has(collector)) {
    problems.push(`the mesh's tracing collectorHost '${collector}' is also a name this service's pods resolve to their own sidecar (for ${aliases.get(collector)}), `
      + 'so its spans would go to its own sidecar: give the collector\'s fully qualified name, e.g. otel-collector.observability.svc.cluster.local');
  }
  return problems;
}

/** Variables an address variable may not replace. */
const RESERVED_VARIABLES = [
  'PATH', 'HOME', 'HOSTNAME', 'USER', 'SHELL', 'PWD', 'LANG', 'TERM', 'TZ', 'TMPDIR', 'LD_PRELOAD', 'LD_LIBRARY_PATH',
  'KUBERNETES_SERVICE_HOST', 'KUBERNETES_SERVICE_PORT', 'NODE_OPTIONS', 'JAVA_TOOL_OPTIONS', 'PYTHONPATH',
];

/** Kubernetes' default termination grace period of a pod. */
const DEFAULT_GRACE_SECONDS = 30;

/** Ports of the pod an edge listener cannot take, and what holds them. */
export function reservedPorts(model: ServiceModel): Map<number, string> {
  const { mesh, port, appPort } = model.service;
  return new Map<number, string>([
    [mesh._ports.admin, "the sidecar's admin port"], [mesh._ports.stats, "the sidecar's stats port"],
    [mesh._ports.inbound, "the sidecar's inbound port"], [port, 'the service port'], [appPort, 'the application port'],
  ]);
}

function exposureProblems(model: ServiceModel): string[] {
  const errors: string[] = [];
  const taken = reservedPorts(model);
  for (const { port, peer } of model.exposures) {
    errors.push(...peer._validate().map(e => `exposeTo(${peer.description}): ${e}`));
    const what = `exposeTo(${peer.description}) on port ${port}`;
    if (!isPort(port)) {
      errors.push(`${what}: not a valid port; use an integer from 1 to 65535`);
    } else if (taken.has(port)) {
      errors.push(`${what}: the port is already ${taken.get(port)}; choose another port for the edge listener`);
    }
    taken.set(port, `exposed to ${peer.description}`);
  }
  return errors;
}
