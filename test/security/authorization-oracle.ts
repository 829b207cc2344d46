/**
 * What every sidecar's RBAC filter must decide, from the mesh model, checked
 * against gRPC's implementation of Envoy RBAC for every identity of the mesh:
 * non-callers are denied everywhere (and requests without a certificate);
 * callers get what their policies allow, their health checks, and nothing more.
 */
import { App } from 'cdk8s';
import { AuthorizationMode, HttpMethod, Mesh, MtlsMode, PathMatch } from '../../src';
import { MeshModel, ServiceModel } from '../../src/model/mesh-model';
import { ServiceRef } from '../../src/model/refs';
import { isHttp } from '../../src/protocol';
import { assembleSidecar, listenerNamed, networkFilterOf } from '../helpers';
import { RbacEngine, rbacEngine } from './rbac-engine';

/** Paths to probe: each policy path made concrete, health-check paths, and paths no policy names. */
const PROBES = ['/', '/admin', '/orders/1', '/account/me', '/api/v1/x', '/healthz', '/ready'];
const METHODS = ['GET', 'POST', 'DELETE'];

/** Every decision that differs from what the model says, and how many requests were rightly allowed. */
export function authorizationMismatches(app: App, manifests: any[]): { mismatches: string[]; allowed: number } {
  const mismatches: string[] = [];
  let allowed = 0;
  const meshes = app.node.findAll().filter((c): c is Mesh => c instanceof Mesh);
  for (const mesh of meshes.filter(m => m.mtls === MtlsMode.STRICT && m.authorization === AuthorizationMode.ENFORCE)) {
    const model = mesh._model();
    for (const target of model.services.filter(s => isHttp(s.service.protocol))) {
      const engine = inboundRbac(manifests, target.service);
      if (engine({ path: '/', method: 'GET' })) mismatches.push(`${target.service.name}: a request without a certificate is allowed`);
      for (const { service: caller } of model.services) {
        const expected = expectation(model, target, caller);
        for (const path of [...PROBES, ...expected.probes]) {
          for (const method of METHODS) {
            const should = expected.mayRequest(path, method);
            allowed += should ? 1 : 0;
            if (engine({ principal: caller.spiffeId, path, method }) !== should) {
              mismatches.push(`${caller.name} -> ${target.service.name} ${method} ${path}: ${should ? 'denied' : 'allowed'}, expected the opposite`);
            }
          }
        }
      }
    }
  }
  return { mismatches, allowed };
}

function expectation(model: MeshModel, target: ServiceModel, caller: ServiceRef) {
  const declared = target.callers.some(c => c.service === caller);
  const policies = target.authorizationPolicies.filter(p => p.caller === caller);
  const checks = healthChecksTo(model, target, caller);
  const inPolicy = (path: string, method: string) => policies.some(p => (p.paths.length === 0 || p.paths.some(m => matches(m, path)))
    && (p.methods.length === 0 || p.methods.includes(method as HttpMethod)));
  return {
    probes: [...checks, ...policies.flatMap(p => p.paths.map(concrete))],
    mayRequest: (path: string, method: string) => declared
      && (policies.length === 0 || inPolicy(path, method) || (method === 'GET' && checks.includes(path))),
  };
}

/** gRPC's RBAC engine over the inbound listener of a service's sidecar. */
export function inboundRbac(manifests: any[], service: { name: string; namespace: string }): RbacEngine {
  const configMap = manifests.find(m => m.kind === 'ConfigMap' && m.metadata.name === `${service.name}-envoy` && m.metadata.namespace === service.namespace);
  const filters = networkFilterOf(listenerNamed(assembleSidecar(configMap.data), 'inbound')).http_filters;
  return rbacEngine(filters.find((f: any) => f.name === 'envoy.filters.http.rbac').typed_config);
}

/** The HTTP health-check paths `caller`'s sidecar sends to `target`'s pods, from the model of their mesh. */
function healthChecksTo(model: MeshModel, target: ServiceModel, caller: ServiceRef): string[] {
  return model.of(caller).calls.flatMap(call => call.clusters)
    .filter(c => c.service === target || c.backups.some(b => b.service === target))
    .flatMap(c => (c.failover.healthCheck?._http ? [(c.failover.healthCheck._spec().probe as { path: string }).path] : []));
}

function matches(path: PathMatch, value: string): boolean {
  if (path._kind === 'prefix') return value.startsWith(path._value);
  if (path._kind === 'path') return value === path._value;
  return new RegExp(`^(?:${path._value})$`).test(value);
}

/** A request path a policy path matches (regexes are probed through the fixed probes only). */
function concrete(path: PathMatch): string {
  return path._kind === 'prefix' ? `${path._value}x` : path._kind === 'path' ? path._value : '/';
}
