import * as kplus from 'cdk8s-plus-27';
import { sidecarConfigMap } from './config-map';
import { addSidecar } from './sidecar-container';
import { edgeCertDir } from './tls';
import { POOL_LABEL, SERVICE_LABEL, VERSION_LABEL, workloadName } from '../../model/labels';
import type { NewWorkload, WorkloadProxy } from '../engine';

/**
 * Adds the Envoy sidecar to a workload's pods, configured from its service's
 * ConfigMap, and the headless Service callers' sidecars resolve to find every
 * pod of the workload (`endpoints-<version>-<pool>`, named as the workload).
 * The pod-template plan's edge ports and mounts go into the sidecar.
 */
export function addWorkloadSidecar(workload: NewWorkload): WorkloadProxy {
  const { service, version, pool } = workload;
  const mesh = service.mesh;
  const sidecar = addSidecar(workload.pods, mesh, sidecarConfigMap(service), workload.certificates);
  const endpoints = new kplus.Service(service, `endpoints-${version}-${pool}`, {
    metadata: { name: workloadName({ service: service.name, version, pool }), namespace: service.namespace },
    clusterIP: 'None',
    ports: [{ name: 'mesh', port: mesh._ports.inbound, targetPort: mesh._ports.inbound }],
  });
  endpoints.selectLabel(SERVICE_LABEL, service.name);
  endpoints.selectLabel(VERSION_LABEL, version);
  endpoints.selectLabel(POOL_LABEL, pool);
  return {
    sidecar,
    endpoints,
    addEdgePort: (port, tlsSecret) => addEdgePort(workload.pods, sidecar, port, tlsSecret),
    mount: (path, volume) => sidecar.mount(path, volume, { readOnly: true }),
  };
}

/** Opens the sidecar's edge listener on `port`, with its server certificate mounted where the listener reads it, if any. */
function addEdgePort(pods: kplus.Workload, sidecar: kplus.Container, port: number, tlsSecret?: kplus.ISecret): void {
  sidecar.addPort({ name: `edge-${port}`, number: port });
  if (tlsSecret) {
    sidecar.mount(edgeCertDir(port), kplus.Volume.fromSecret(pods, `edge-tls-${port}`, tlsSecret, { name: `edge-tls-${port}` }), { readOnly: true });
  }
}
