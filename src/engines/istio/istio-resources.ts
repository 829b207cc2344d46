import { ApiObject, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { renderServiceEntry, renderSidecarScope, renderTelemetry } from './scope';
import {
  DRY_RUN_ANNOTATION, istioEdgePeer, renderAuthorizationPolicy, renderJwtRequirement, renderPeerAuthentication, renderRequestAuthentication,
} from './security';
import { renderDestinationRule, renderVirtualService } from './traffic';
import type { ExternalRef } from '../../model/external-ref';
import type { MeshModel, ServiceModel } from '../../model/mesh-model';
import type { ServiceRef } from '../../model/refs';
import { planExternalHost, planHost } from '../../plan/host-plan';
import { isHttp } from '../../protocol';
import { AuthorizationMode, MtlsMode } from '../../security/mtls';
import { planAuthorization, planJwt } from '../../security/security-plan';
import { servicePortName } from '../kubernetes/service-ports';

const NETWORKING = 'networking.istio.io/v1';
const SECURITY = 'security.istio.io/v1';
const TELEMETRY = 'telemetry.istio.io/v1';

/** How Istio runs a mesh: the options of `MeshEngine.istio()`, and whether Gateway API routes replace its VirtualServices. */
export interface IstioSettings {
  readonly revision?: string;
  readonly tracingProvider?: string;
  readonly decodeAndMergeSlashes?: boolean;
  /** Routing by Gateway API HTTPRoutes to a Service per version, instead of VirtualServices. */
  readonly gatewayApiRoutes: boolean;
}

/**
 * The Istio resources of a mesh service. Their specs are computed at synth
 * from the model of the complete graph, like a static sidecar's configuration.
 */
export function addIstioResources(service: ServiceRef, settings: IstioSettings, model: () => MeshModel): void {
  const { mesh, name, namespace } = service;
  const of = () => model().of(service);
  const object = (id: string, apiVersion: string, kind: string, spec: () => unknown, annotations?: Record<string, string>) =>
    new ApiObject(service, id, { apiVersion, kind, metadata: { name, namespace, annotations }, spec: Lazy.any({ produce: spec }) });
  object('destination-rule', NETWORKING, 'DestinationRule', () => renderDestinationRule(planHost(of()), mesh.mtls));
  // With Gateway API routing, the service's HTTPRoute takes the VirtualService's place.
  if (!settings.gatewayApiRoutes) object('virtual-service', NETWORKING, 'VirtualService', () => renderVirtualService(planHost(of())));
  object('peer-authentication', SECURITY, 'PeerAuthentication', () => renderPeerAuthentication(name, mesh.mtls));
  if (mesh.mtls !== MtlsMode.DISABLED) {
    object('authorization-policy', SECURITY, 'AuthorizationPolicy',
      () => renderAuthorizationPolicy(name, planAuthorization(of()), of().exposures.map(e => istioEdgePeer(e.peer._source)), mesh.mtls),
      mesh.authorization === AuthorizationMode.DRY_RUN ? { [DRY_RUN_ANNOTATION]: 'true' } : undefined);
  }
  object('sidecar-scope', NETWORKING, 'Sidecar', () => renderSidecarScope(name, egressHosts(of(), settings.gatewayApiRoutes)));
  object('telemetry', TELEMETRY, 'Telemetry', () => renderTelemetry(name, telemetryTracing(mesh, settings.tracingProvider), mesh.accessLogs));
}

/**
 * The DestinationRule of a version's own Service, which Gateway API routes
 * send to: the service's load balancing, outlier detection, connection
 * limits and mutual TLS, for that host.
 */
export function addIstioVersionResources(service: ServiceRef, version: string, model: () => MeshModel): void {
  const { mesh, namespace } = service;
  const name = `${service.name}-${version}`;
  new ApiObject(service, `destination-rule-${version}`, {
    apiVersion: NETWORKING,
    kind: 'DestinationRule',
    metadata: { name, namespace },
    spec: Lazy.any({
      produce: () => renderDestinationRule(planHost(model().of(service)), mesh.mtls, versionHost(service, version)),
    }),
  });
}

/** The fully qualified name of a version's own Service (Gateway API routing). */
function versionHost(service: { name: string; namespace: string; mesh: { clusterDomain: string } }, version: string): string {
  return `${service.name}-${version}.${service.namespace}.svc.${service.mesh.clusterDomain}`;
}

/** The RequestAuthentication and token requirement of a service with JWT providers, added once per service. */
export function addIstioJwtResources(service: ServiceRef, model: () => MeshModel): void {
  if (service.node.tryFindChild('request-authentication')) return;
  const of = () => model().of(service);
  const metadata = { name: `${service.name}-jwt`, namespace: service.namespace };
  new ApiObject(service, 'request-authentication', {
    apiVersion: SECURITY, kind: 'RequestAuthentication', metadata, spec: Lazy.any({ produce: () => renderRequestAuthentication(service.name, planJwt(of())!) }),
  });
  new ApiObject(service, 'jwt-requirement', {
    apiVersion: SECURITY, kind: 'AuthorizationPolicy', metadata, spec: Lazy.any({ produce: () => renderJwtRequirement(service.name, planJwt(of())!) }),
  });
}

/** The Istio resources of a service outside the mesh: a ServiceEntry for a host, and how callers reach it. */
export function addIstioExternalResources(scope: Construct, external: ExternalRef): void {
  const endpoint = external._endpoint;
  const namespace = external.mesh.namespace;
  const metadata = { name: external.name, namespace };
  if (!endpoint.service) {
    const protocol = servicePortName(external.protocol).toUpperCase(); // HTTP, HTTP2, GRPC or TCP: what the application speaks
    new ApiObject(scope, 'service-entry', {
      apiVersion: NETWORKING,
      kind: 'ServiceEntry',
      metadata: { ...metadata, labels: { 'networking.istio.io/enable-autoallocate-ip': 'true' } },
      spec: renderServiceEntry(planExternalHost(external).host, endpoint.host, external.port, endpoint.port, protocol),
    });
  }
  new ApiObject(scope, 'destination-rule', {
    apiVersion: NETWORKING, kind: 'DestinationRule', metadata, spec: Lazy.any({ produce: () => renderDestinationRule(planExternalHost(external), external.mesh.mtls) }),
  });
  if (isHttp(external.protocol)) {
    new ApiObject(scope, 'virtual-service', {
      apiVersion: NETWORKING, kind: 'VirtualService', metadata, spec: Lazy.any({ produce: () => renderVirtualService(planExternalHost(external)) }),
    });
  }
}

/** The hosts a service's proxy needs: its upstreams (route targets and mirrors included) and its external services. */
function egressHosts(service: ServiceModel, gatewayApi: boolean): string[] {
  const mesh = service.calls.flatMap(call => call.clusters.flatMap(c => {
    const target = c.service.service;
    return [`${target.namespace}/${target.fqdn}`, ...(gatewayApi ? [`${target.namespace}/${versionHost(target, c.version)}`] : [])];
  }));
  const external = service.externalCalls.map(call => `${call.external.namespace}/${planExternalHost(call.external).host}`);
  // The proxy sends spans to the tracing collector through its own scope too.
  const collector = service.service.mesh.tracing?._spec().collectorHost;
  return [...mesh, ...external, ...(collector ? [`*/${collector}`] : [])];
}


/** The provider and sampling of the mesh's tracing, if on (a missing provider is refused by the checks). */
function telemetryTracing(mesh: ServiceRef['mesh'], provider: string | undefined): { provider: string; samplingPercent: number } | undefined {
  return mesh.tracing && provider ? { provider, samplingPercent: mesh.tracing._spec().samplingPercent } : undefined;
}
