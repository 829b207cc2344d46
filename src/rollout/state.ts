/**
 * A set of Kubernetes objects by key, and what the rollout plan reads of it:
 * sidecar ConfigMaps, Deployments, Services, and the Envoy files a sidecar's
 * ConfigMap holds.
 */
import { fileLayout, SHARD_ANNOTATION } from '../engines/envoy/shards';
import { SERVICE_LABEL } from '../model/labels';
import { INTENT_ANNOTATION, ServiceIntent } from '../review/intent';

/** Objects by key (`<group>/<kind>/<namespace>/<name>`), in a stable order. */
export type MeshState = Map<string, any>;

/** The key of an object: its API group (not version), kind, namespace and name. */
export function keyOf(doc: any): string {
  const group = doc.apiVersion.includes('/') ? doc.apiVersion.split('/')[0] : 'core';
  return `${group}/${doc.kind}/${doc.metadata?.namespace ?? ''}/${doc.metadata?.name}`;
}

/** The state of a list of objects. */
export function stateOf(docs: any[]): MeshState {
  return new Map(docs.map(doc => [keyOf(doc), doc]));
}

/** Whether two objects are the same, as written. */
export function same(a: any, b: any): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The intent a sidecar ConfigMap carries; undefined for any other object. */
export function intentOf(doc: any): ServiceIntent | undefined {
  const text = doc?.kind === 'ConfigMap' ? doc.metadata?.annotations?.[INTENT_ANNOTATION] : undefined;
  return text ? JSON.parse(text) : undefined;
}

/** Whether an object is the ConfigMap of a sidecar's Envoy beyond its first, in a sidecar split across several (engines/envoy/shards.ts). */
export function isSidecarShard(doc: any): boolean {
  return doc?.kind === 'ConfigMap' && doc.metadata?.annotations?.[SHARD_ANNOTATION] !== undefined;
}

/** `<namespace>/<service>` of a mesh workload's pods (Deployment) or a sidecar ConfigMap (of any of its Envoys); undefined otherwise. */
export function serviceOf(doc: any): string | undefined {
  const intent = intentOf(doc);
  if (intent) return `${intent.namespace}/${intent.service}`;
  const label = doc?.kind === 'Deployment' ? doc.spec?.template?.metadata?.labels?.[SERVICE_LABEL]
    : isSidecarShard(doc) ? doc.metadata?.labels?.[SERVICE_LABEL] : undefined;
  return label ? `${doc.metadata?.namespace ?? 'default'}/${label}` : undefined;
}

/** The sidecar ConfigMap of a service in a state: the one with its intent (of its first Envoy). */
export function sidecarOf(state: MeshState, service: string): any | undefined {
  return [...state.values()].find(doc => intentOf(doc) && serviceOf(doc) === service);
}

/**
 * Every ConfigMap of a service's sidecar in a state: the one with its intent,
 * then those of its other Envoys in the same layout (a ConfigMap left from a
 * layout of more Envoys is read by no pod of this state's).
 */
export function sidecarConfigMapsOf(state: MeshState, service: string): any[] {
  const first = sidecarOf(state, service);
  if (!first) return [];
  const { count } = fileLayout(discoveryKey(first, 'lds'));
  const others = [...state.values()].filter(doc => isSidecarShard(doc) && serviceOf(doc) === service);
  return [first, ...others.filter(doc => count !== undefined && fileLayout(discoveryKey(doc, 'lds')).count === count)];
}

/**
 * The ConfigMap key of a sidecar's LDS or CDS file: the one its bootstrap
 * names (`lds.json`, or `lds.<k>-of-<n>.json` in a sidecar of several
 * Envoys, engines/envoy/shards.ts).
 */
export function discoveryKey(configMap: any, kind: 'lds' | 'cds'): string {
  try {
    const path = JSON.parse(configMap.data?.['envoy.json'] ?? '{}').dynamic_resources?.[`${kind}_config`]?.path_config_source?.path;
    if (typeof path === 'string') return path.split('/').pop()!;
  } catch {
    // an unreadable bootstrap is reported by unreadableFiles
  }
  return `${kind}.json`;
}


/** The Deployments of a service in a state. */
export function deploymentsOf(state: MeshState, service: string): any[] {
  return [...state.values()].filter(doc => doc.kind === 'Deployment' && serviceOf(doc) === service);
}

/** `<namespace>/<service account>` of a Deployment's pods: their SPIFFE identity ends in `/ns/<namespace>/sa/<account>`. */
export function identityOf(deployment: any): string {
  return `${deployment.metadata?.namespace ?? 'default'}/${deployment.spec?.template?.spec?.serviceAccountName ?? 'default'}`;
}

/** The Deployments whose pods a Service selects. */
export function selectedBy(state: MeshState, service: any): any[] {
  const selector: Record<string, string> = service?.spec?.selector ?? {};
  if (Object.keys(selector).length === 0) return [];
  return [...state.values()].filter(doc => doc.kind === 'Deployment' && (doc.metadata?.namespace ?? 'default') === (service.metadata?.namespace ?? 'default')
    && Object.entries(selector).every(([k, v]) => doc.spec?.template?.metadata?.labels?.[k] === v));
}

/** The Service behind a cluster-local host name (`orders-v2.shop.svc.cluster.local`), if the state has it. */
export function serviceNamed(state: MeshState, host: string): any | undefined {
  const match = /^([^.]+)\.([^.]+)\.svc\.cluster\.local$/.exec(host);
  return match ? state.get(`core/Service/${match[2]}/${match[1]}`) : undefined;
}

/** The resources of an Envoy file in the `{"resources": [...]}` form; throws when it does not parse. */
export function resourcesOf(text: string): any[] {
  const parsed = JSON.parse(text);
  if (!Array.isArray(parsed?.resources)) throw new Error('no "resources" array');
  return parsed.resources;
}

/** Calls `visit` on every object nested in a JSON value. */
export function walk(value: any, visit: (node: any) => void): void {
  if (!value || typeof value !== 'object') return;
  visit(value);
  for (const child of Array.isArray(value) ? value : Object.values(value)) walk(child, visit);
}
