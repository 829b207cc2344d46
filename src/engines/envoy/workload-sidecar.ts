import * as kplus from 'cdk8s-plus-27';
import { sidecarConfigMap } from './config-map';
import { addSidecar } from './sidecar-container';
import { POOL_LABEL, SERVICE_LABEL, VERSION_LABEL, workloadName } from '../../model/labels';
import type { NewWorkload, WorkloadProxy } from '../engine';

/**
 * Adds the Envoy sidecar to a workload's pods, configured from its service's
 * ConfigMap, and the headless Service callers' sidecars resolve to find every
 * pod of the workload (`endpoints-<version>-<pool>`, named as the workload).
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
  return { sidecar, endpoints };
}
