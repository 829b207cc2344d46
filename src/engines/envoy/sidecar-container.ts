import { ApiObject, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { BOOTSTRAP_FILE, CERT_DIR, CONFIG_DIR, TRUST_DIR } from './paths';
import { shardName, shardPorts, shardStatsPort } from './shards';
import type { MeshRef } from '../../model/refs';
import type { WorkloadCertificate } from '../../security/certificate-source';
import { DROP_ALL_CAPABILITIES } from '../kubernetes/pod-security';

/** Name of the Envoy container in every mesh pod. */
export const SIDECAR_CONTAINER = 'envoy';
/** The unprivileged `envoy` user (and group) of the official image. */
const ENVOY_UID = 101;

/**
 * Adds the Envoy sidecar to a workload: pinned image, configuration from a
 * ConfigMap, readiness on Envoy, a drain delay on shutdown, and a security
 * context that passes the "restricted" Pod Security Standard.
 */
export function addSidecar(deployment: kplus.Workload, mesh: MeshRef, config: kplus.IConfigMap, certificates?: WorkloadCertificate): kplus.Container {
  const sidecar = addEnvoy(deployment, mesh, config, 0);
  if (certificates) sidecar.mount(CERT_DIR, certificates.volume(deployment, ENVOY_UID), { readOnly: true });
  if (certificates && mesh.trustBundle) sidecar.mount(TRUST_DIR, mesh.trustBundle._volume(deployment), { readOnly: true });
  return sidecar;
}

/**
 * Adds the Envoy of shard `shard` (from 1) of a workload's sidecar
 * (shards.ts), configured from its own ConfigMap, on its own ports, with the
 * certificate mounts of the sidecar's first Envoy.
 */
export function addSidecarShard(pods: kplus.Workload, mesh: MeshRef, config: kplus.IConfigMap, shard: number): kplus.Container {
  const first = [...pods.containers, ...pods.initContainers].find(c => c.name === SIDECAR_CONTAINER);
  const envoy = addEnvoy(pods, mesh, config, shard);
  const certificates = first?.mounts.filter(m => m.path === CERT_DIR || m.path === TRUST_DIR) ?? [];
  for (const { path, volume } of certificates) envoy.mount(path, volume, { readOnly: true });
  return envoy;
}

function addEnvoy(deployment: kplus.Workload, mesh: MeshRef, config: kplus.IConfigMap, shard: number): kplus.Container {
  const ports = shardPorts(mesh._ports, shard);
  const name = shardName(SIDECAR_CONTAINER, shard);
  const drainSeconds = String(mesh.drainDuration.toSeconds({ integral: false }));
  const container: kplus.ContainerProps = {
    name,
    image: mesh.envoyImage,
    // The image is pinned to a release tag or digest (mesh checks refuse 'latest'): a node that has it need not pull it again.
    imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
    command: ['envoy'],
    args: [
      '--config-path', `${CONFIG_DIR}/${BOOTSTRAP_FILE}`,
      '--disable-hot-restart',
      '--drain-time-s', drainSeconds,
      '--log-level', 'warn',
    ],
    // Equal ports are reported by the mesh's validation; declaring them twice would fail here first.
    ports: shard > 0 ? [shardStatsPort(mesh._ports, shard)]
      : ports.inbound === ports.stats ? [{ name: 'mesh', number: ports.inbound }] : [
        { name: 'mesh', number: ports.inbound },
        { name: 'stats', number: ports.stats },
      ],
    resources: mesh.sidecarResources,
    securityContext: {
      ensureNonRoot: true,
      user: ENVOY_UID,
      group: ENVOY_UID,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      capabilities: DROP_ALL_CAPABILITIES,
    },
  };
  const sidecar = mesh.nativeSidecars
    ? addNativeSidecar(deployment, container, ports.stats, shard > 0 ? shardName(SIDECAR_CONTAINER, shard - 1) : undefined)
    : deployment.addContainer({
      ...container,
      readiness: kplus.Probe.fromHttpGet('/ready', { port: ports.stats, periodSeconds: Duration.seconds(2), failureThreshold: 3 }),
      // Envoy stays up while the application finishes its requests: Kubernetes stops all containers at once.
      lifecycle: { preStop: kplus.Handler.fromCommand(['sleep', drainSeconds]) },
    });
  const volume = kplus.Volume.fromConfigMap(deployment, shardName('envoy-config-volume', shard), config, { name: shardName('envoy-config', shard) });
  sidecar.mount(CONFIG_DIR, volume, { readOnly: true });
  return sidecar;
}

/**
 * Envoy as a Kubernetes native sidecar (1.29+): an init container with
 * `restartPolicy: Always`, started before the application, which the kubelet
 * starts only once the `startupProbe` sees Envoy ready, and stopped after the
 * application has exited, so its outbound calls never lose their sidecar (no
 * preStop sleep is needed, and Jobs complete). cdk8s-plus-27 refuses probes on
 * init containers, and its Kubernetes 1.27 types drop `restartPolicy` from a
 * container even when a JSON patch adds it: the fields are added to the
 * sidecar's init container, found by name, once the object is rendered, and
 * an Envoy of a split sidecar is moved right `after` the one before it.
 */
function addNativeSidecar(pods: kplus.Workload, container: kplus.ContainerProps, statsPort: number, after?: string): kplus.Container {
  const sidecar = pods.addInitContainer(container);
  const ready = { httpGet: { path: '/ready', port: statsPort, scheme: 'HTTP' }, periodSeconds: 2, failureThreshold: 3 };
  const apiObject = ApiObject.of(pods);
  const render = apiObject.toJson.bind(apiObject);
  apiObject.toJson = () => {
    const json = render();
    const initContainers: Array<Record<string, unknown>> = json.spec.template.spec.initContainers;
    const index = initContainers.findIndex(c => c.name === container.name);
    const [own] = initContainers.splice(index, 1);
    // The Envoys of a sidecar split across several start one after another, before any init container added after the first.
    initContainers.splice(after === undefined ? index : initContainers.findIndex(c => c.name === after) + 1, 0, {
      ...own,
      restartPolicy: 'Always',
      readinessProbe: ready,
      // Up to a minute for Envoy to load its files and become ready; the application waits for it.
      startupProbe: { ...ready, periodSeconds: 1, failureThreshold: 60 },
    });
    return json;
  };
  return sidecar;
}
