import { engineIntents } from './engine-intent';
import { INTENT_ANNOTATION, ServiceIntent } from './intent';
import { NetworkIntent, networkIntents, WorkloadIntent, workloadIntents } from './kubernetes-facts';

/** Which engine produced an output. */
export type EngineName = 'static Envoy' | 'Istio' | 'Gateway API';

/** What the diff reads of a synthesized output. */
export interface MeshSnapshot {
  /** Undefined when the output holds no mesh. */
  readonly engine?: EngineName;
  /** The intent of each mesh service, by `<namespace>/<service>`. */
  readonly services: Record<string, ServiceIntent>;
  /** The NetworkPolicies of each mesh service, by `<namespace>/<service>`. */
  readonly networks: Record<string, NetworkIntent>;
  /** Each Deployment of a mesh service, by `<namespace>/<deployment>`. */
  readonly workloads: Record<string, WorkloadIntent>;
  /** The alerts of each PrometheusRule, by `<namespace>/<name>`. */
  readonly alerts: Record<string, string[]>;
}

/** The snapshot of a list of manifests (as `cdk8s synth` writes them). Pure. */
export function snapshotOf(manifests: any[]): MeshSnapshot {
  const intents: Record<string, ServiceIntent> = {};
  for (const m of manifests) {
    const intent = m?.kind === 'ConfigMap' ? m.metadata?.annotations?.[INTENT_ANNOTATION] : undefined;
    if (intent) {
      const parsed: ServiceIntent = JSON.parse(intent);
      intents[`${parsed.namespace}/${parsed.service}`] = parsed;
    }
  }
  const engine = engineOf(manifests, Object.keys(intents).length > 0);
  return {
    engine,
    services: engine === 'static Envoy' ? intents : engine ? engineIntents(manifests) : {},
    networks: networkIntents(manifests),
    workloads: workloadIntents(manifests),
    alerts: alertsOf(manifests),
  };
}

/** The namespaces of a snapshot's mesh services. */
export function namespacesOf(snapshot: MeshSnapshot): string[] {
  return [...new Set(Object.keys(snapshot.services).map(key => key.split('/')[0]))].sort();
}

function engineOf(manifests: any[], intents: boolean): EngineName | undefined {
  if (intents) return 'static Envoy';
  if (manifests.some(m => m?.kind === 'HTTPRoute' && m.apiVersion?.startsWith('gateway.networking.k8s.io/'))) return 'Gateway API';
  if (manifests.some(m => /^(networking|security)\.istio\.io\//.test(m?.apiVersion ?? ''))) return 'Istio';
  return undefined;
}

function alertsOf(manifests: any[]): Record<string, string[]> {
  const alerts: Record<string, string[]> = {};
  for (const m of manifests.filter(o => o?.kind === 'PrometheusRule')) {
    const names = (m.spec?.groups ?? []).flatMap((g: any) => (g.rules ?? []).flatMap((r: any) => (r.alert ? [r.alert] : [])));
    if (names.length > 0) alerts[`${m.metadata?.namespace ?? 'default'}/${m.metadata?.name}`] = [...new Set<string>(names)].sort();
  }
  return alerts;
}
