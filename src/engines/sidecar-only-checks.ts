import type { FailoverOptions } from '../failover/failover-options';
import { MAIN_POOL } from '../model/labels';
import type { MeshModel } from '../model/mesh-model';
import { Problem, problemsAt } from '../model/problem';
import { AddressFormat } from '../traffic/call-options';

/**
 * What only the mesh's own static Envoy sidecars do, refused on every other
 * engine (Istio, Gateway API), naming the feature and what would be valid.
 * Each engine's own checks add what it cannot express besides.
 */
export function sidecarOnlyChecks(model: MeshModel): Problem[] {
  const on = `on ${model.mesh.engine.description}`;
  return [
    ...model.services.flatMap(service => {
      const path = service.service.node.path;
      return [
        ...problemsAt(path, [
          ...service.workloads.filter(w => w.pool !== MAIN_POOL)
            .map(w => `instance pool '${w.pool}' ${on}: only static sidecars weigh pods within a version; remove the pool or make it a version`),
          ...service.exposures.filter(e => e.tlsSecret)
            .map(e => `exposeTo port ${e.port} with tlsSecret ${on}: terminate outside TLS at a Gateway; remove tlsSecret`),
          ...service.declaredCalls.flatMap(({ upstream, options }) => [
            ...(options.loadBalancer ? [`callTo(${upstream.name}) with its own loadBalancer ${on}: every caller is balanced alike; set the upstream's loadBalancer`] : []),
            ...(options.addressFormat === AddressFormat.IP_URL || options.addressFormat === AddressFormat.IP_PORT
              ? [`callTo(${upstream.name}) with addressFormat ${options.addressFormat} ${on}: there is no sidecar loopback address; use AddressFormat.URL or HOST_PORT`]
              : []),
          ]),
        ]),
        ...service.failoverPolicies.flatMap(policy => problemsAt(policy.path, failoverProblems(policy.options, on))),
        ...service.rateLimits.flatMap(limit => problemsAt(limit.path, [`local rate limiting ${on}: no resource of the engine limits rates; remove the RateLimit`])),
      ];
    }),
    ...model.externals.flatMap(external => problemsAt(external.node.path, failoverProblems(external.failover, on))),
  ];
}

/**
 * What only the static sidecars need and other engines ignore without a
 * change of meaning, each reported as a note at synth instead of a refusal:
 * - the mesh's sidecar settings (`envoyImage`, `sidecarResources`, `ports`,
 *   `drainDuration`): the engine injects a proxy of its own, whose image,
 *   resources, ports and drain time its injector decides.
 * - `localPort` on a call: it moves the sidecar's loopback listener off a port
 *   the caller's application binds. Other engines' proxies capture the
 *   connection to the upstream's own address, so the application's address
 *   variable carries the upstream's own port instead.
 *
 * Each engine's own notes add what it ignores besides.
 */
export function sidecarOnlyNotes(model: MeshModel): Problem[] {
  const { mesh } = model;
  const on = `on ${mesh.engine.description}`;
  return [
    ...problemsAt(mesh.node.path, mesh._sidecarSettings.map(setting => `${setting} ignored ${on}: it shapes the mesh's own Envoy sidecars, and the `
      + `engine's injector decides its proxy's ${SIDECAR_SETTING_NAMES[setting] ?? setting}; set it there (on Istio, its injection values or `
      + 'pod annotations such as sidecar.istio.io/proxyCPU)')),
    ...model.services.flatMap(service => problemsAt(service.service.node.path, service.declaredCalls
      .filter(({ options }) => options.localPort !== undefined)
      .map(({ upstream, options }) => `callTo(${upstream.name}) with localPort ${options.localPort} ignored ${on}: the engine's proxy captures calls `
        + `to the upstream's own port ${upstream.port}, which the application's address variable gives; an application that calls port `
        + `${options.localPort} without reading the variable would not reach it`))),
  ];
}

/** What each sidecar setting of a mesh decides, in a note. */
const SIDECAR_SETTING_NAMES: Record<string, string> = {
  envoyImage: 'image',
  sidecarResources: 'CPU and memory',
  ports: 'ports',
  drainDuration: 'drain time',
};

function failoverProblems(failover: FailoverOptions, on: string): string[] {
  return [
    ...(failover.healthCheck ? [`active health checks ${on}: the engine's proxies do not probe hosts; rely on readiness probes and outlier detection`] : []),
    ...(failover.backup ? [`backup ${on}: the engine fails over between localities at most, not to another service; remove backup`] : []),
    ...(failover.idleTimeout ? [`idleTimeout ${on}: routes have request timeouts only; remove idleTimeout`] : []),
  ];
}
