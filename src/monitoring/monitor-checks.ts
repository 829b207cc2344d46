import { MeshModel } from '../model/mesh-model';
import { Problem, problemsAt } from '../model/problem';
import { reservedPorts } from '../service-checks';
import { monitoringEngineChecks } from './engine-monitoring-checks';

/**
 * Problems of monitors of mesh services: an application metrics port that is
 * also a port the mesh serves. The NetworkPolicy opens the metrics port to the
 * monitoring namespace; on the application's own port that would bypass the
 * sidecar (mutual TLS, authorization, JWT). Also the problems of monitors
 * that the mesh's engine cannot feed (`monitoringEngineChecks`).
 */
export function monitorChecks(model: MeshModel): Problem[] {
  return [...portChecks(model), ...monitoringEngineChecks(model)];
}

function portChecks(model: MeshModel): Problem[] {
  return model.services.flatMap(service => {
    const taken = reservedPorts(service);
    for (const exposure of service.exposures) taken.set(exposure.port, `exposed to ${exposure.peer.description}`);
    return service.monitors.filter(m => m.metricsPort !== undefined && taken.has(m.metricsPort)).flatMap(m => problemsAt(m.path, [
      `metricsPort ${m.metricsPort} is ${taken.get(m.metricsPort!)}: opening it to the monitoring namespace would let it around the sidecar; `
        + 'serve metrics on a port of their own',
    ]));
  });
}
