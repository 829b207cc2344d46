import { ApiObject, Lazy } from 'cdk8s';
import { planHost } from '../../plan/host-plan';
import type { MeshService } from '../../mesh-service';
import { isHttp } from '../../protocol';
import { renderHttpRoute } from './routes';

/**
 * The HTTPRoute of an HTTP or gRPC mesh service, attached to its Service
 * (GAMMA), its rules computed at synth from the model of the complete graph.
 * TCP services get none: the standard channel has no TCP routes (a TCP
 * service with several versions is refused by the checks).
 */
export function addGatewayApiResources(service: MeshService): void {
  if (!isHttp(service.protocol)) return;
  new ApiObject(service, 'http-route', {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: service.name, namespace: service.namespace },
    spec: Lazy.any({ produce: () => renderHttpRoute(planHost(service.mesh._model().of(service))) }),
  });
}
