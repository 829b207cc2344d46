import { ApiObject, Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { renderHttpRoute } from './routes';
import { MAIN_POOL, SERVICE_LABEL, VERSION_LABEL, workloadName } from '../../model/labels';
import type { MeshModel } from '../../model/mesh-model';
import type { ServiceRef } from '../../model/refs';
import { planHost } from '../../plan/host-plan';
import { isHttp } from '../../protocol';
import { declareAppProtocol, servicePortName } from '../kubernetes/service-ports';

/**
 * The HTTPRoute of an HTTP or gRPC mesh service, attached to its Service
 * (GAMMA), its rules computed at synth from the model of the complete graph.
 * TCP services get none: the standard channel has no TCP routes (a TCP
 * service with several versions is refused by the checks).
 */
export function addGatewayApiResources(service: ServiceRef, model: () => MeshModel): void {
  if (!isHttp(service.protocol)) return;
  new ApiObject(service, 'http-route', {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: service.name, namespace: service.namespace },
    spec: Lazy.any({ produce: () => renderHttpRoute(planHost(model().of(service))) }),
  });
}

/**
 * The ClusterIP Service of one version of a service, on the service's port:
 * Gateway API routes split traffic between Services, so each version gets
 * one (`<service>-<version>`) for the routes to send to.
 */
export function addVersionService(service: ServiceRef, version: string): void {
  const placement = { service: service.name, version, pool: MAIN_POOL };
  const endpoints = new kplus.Service(service, `endpoints-${version}-${MAIN_POOL}`, {
    metadata: { name: workloadName(placement), namespace: service.namespace },
    ports: [{ name: servicePortName(service.protocol), port: service.port, targetPort: service.appPort }],
  });
  declareAppProtocol(endpoints, 0, service.protocol);
  endpoints.selectLabel(SERVICE_LABEL, service.name);
  endpoints.selectLabel(VERSION_LABEL, version);
}
