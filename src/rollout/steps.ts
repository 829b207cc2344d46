/**
 * The steps of a change from one synth output to another, each applying to
 * whole objects (or to the authorization part of a sidecar ConfigMap), and
 * the state after any set of them: what the plan orders into waves.
 */
import { AccessPart, accessOf, sameAccess, unionOf, withAccess } from './rbac-merge';
import { deploymentsOf, intentOf, isSidecarShard, MeshState, same, serviceOf, sidecarOf } from './state';

/** Expand (admit, add, widen), switch (routes, pods), contract (drop, remove, narrow). */
export type StepKind = 'expand' | 'switch' | 'contract';

/** One step: `admit:<configmap>`, `drop:<configmap>`, `switch:<namespace>/<service>`, `add:`, `update:`, `remove:`, `widen:`, `narrow:<key>`. */
export interface Step {
  readonly id: string;
  readonly kind: StepKind;
  /** What it does, for people. */
  readonly text: string;
}

/** The steps of a change and the state after any set of them. */
export interface Steps {
  readonly steps: Step[];
  /** The object of each key once the steps in `applied` are applied (undefined: absent). */
  readonly resolve: (applied: Set<string>) => MeshState;
  /** Things a reader should know (an authorization part that could not be split from its routes). */
  readonly notes: string[];
  /** The access parts (old and new callers) a sidecar ConfigMap may hold between its admit and drop steps, by key. */
  readonly unions: Map<string, AccessPart>;
  /** The steps that change each changed object, by key. */
  readonly owners: Map<string, string[]>;
}

const KINDS: Record<string, StepKind> = { admit: 'expand', add: 'expand', widen: 'expand', switch: 'switch', update: 'switch', drop: 'contract', remove: 'contract', narrow: 'contract' };

/** The kind of a step id. */
export function kindOf(id: string): StepKind {
  return KINDS[id.split(':')[0]];
}

/** The steps from `old` to `now`. Pure. */
export function stepsOf(old: MeshState, now: MeshState): Steps {
  const steps = new Map<string, Step>();
  const notes: string[] = [];
  const unions = new Map<string, AccessPart>();
  const resolvers = new Map<string, (applied: Set<string>) => any>();
  const owners = new Map<string, string[]>();
  const step = (id: string, text: string, key?: string) => {
    if (!steps.has(id)) steps.set(id, { id, kind: kindOf(id), text });
    if (key) owners.set(key, [...(owners.get(key) ?? []), id]);
    return id;
  };
  const keys = [...new Set([...now.keys(), ...old.keys()])].filter(key => !same(old.get(key), now.get(key)));
  const isSidecar = (key: string) => !!intentOf(old.get(key) ?? now.get(key));
  // Sidecar ConfigMaps first: whether a service's routes switch decides where its new Deployments go.
  for (const key of keys.filter(isSidecar)) {
    resolvers.set(key, sidecarStep(key, old.get(key), now.get(key), (id, text) => step(id, text, key), notes, unions));
  }
  for (const key of keys.filter(k => !isSidecar(k))) {
    const [o, n] = [old.get(key), now.get(key)];
    const doc = n ?? o;
    const name = `${doc.kind} ${doc.metadata?.namespace ? `${doc.metadata.namespace}/` : ''}${doc.metadata?.name}`;
    const service = serviceOf(doc);
    if (doc.kind === 'Deployment' && service) {
      const gone = !sidecarOf(now, service) && deploymentsOf(now, service).length === 0;
      const id = steps.has(`switch:${service}`) || (o && n) || (!n && gone) ? step(`switch:${service}`, `${service}: pods and routes of the new configuration`, key)
        : n ? step(`add:${key}`, `new ${name}`, key) : step(`remove:${key}`, `${name} removed`, key);
      resolvers.set(key, applied => (applied.has(id) ? n : o));
    } else if (isSidecarShard(doc) && service && n) {
      // The files of another Envoy of the service's sidecar: its upstreams' routes switch with the service's (a removed one goes last).
      const id = step(`switch:${service}`, `${service}: pods and routes of the new configuration`, key);
      resolvers.set(key, applied => (applied.has(id) ? n : o));
    } else if (doc.kind === 'NetworkPolicy') {
      resolvers.set(key, networkPolicyStep(key, name, old, o, n, (id, text) => step(id, text, key)));
    } else {
      const id = step(`${!o ? 'add' : !n ? 'remove' : 'update'}:${key}`, `${!o ? 'new ' : ''}${name}${!n ? ' removed' : !o ? '' : ' changed'}`, key);
      resolvers.set(key, applied => (applied.has(id) ? n : o));
    }
  }
  const order = [...new Set([...now.keys(), ...old.keys()])];
  return {
    steps: [...steps.values()],
    notes,
    unions,
    owners,
    resolve: applied => new Map(order.flatMap(key => {
      const doc = resolvers.has(key) ? resolvers.get(key)!(applied) : now.get(key);
      return doc ? [[key, doc]] : [];
    })),
  };
}

type AddStep = (id: string, text: string) => string;

/** A sidecar ConfigMap: its authorization widens (admit), its routes and the rest switch, its authorization narrows (drop). */
function sidecarStep(key: string, o: any, n: any, step: AddStep, notes: string[], unions: Map<string, AccessPart>): (applied: Set<string>) => any {
  const service = serviceOf(o ?? n)!;
  const switchText = `${service}: pods and routes of the new configuration`;
  if (!o || !n) {
    const id = step(`switch:${service}`, n ? `new service ${service}` : `service ${service} removed`);
    return applied => (applied.has(id) ? n : o);
  }
  const [was, is] = [accessOf(o), accessOf(n)];
  const union = unionOf(was, is);
  if (!union) {
    notes.push(`${service}: its authorization changes shape (a listener or RBAC filter added or removed, or enforcement switched): it changes with its routes, in one step`);
    const id = step(`switch:${service}`, switchText);
    return applied => (applied.has(id) ? n : o);
  }
  unions.set(key, union);
  const admit = !sameAccess(union, was) ? step(`admit:${key}`, `${service} admits ${describeCallers(union, was)}`) : undefined;
  const drop = !sameAccess(union, is) ? step(`drop:${key}`, `${service} no longer admits ${describeCallers(union, is)}`) : undefined;
  const routes = !same(withAccess(o, is), n) ? step(`switch:${service}`, switchText) : undefined;
  return applied => {
    const access = admit && !applied.has(admit) ? was : drop && !applied.has(drop) ? union : is;
    // Without a routes step OLD and NEW differ only in access: the one whose access this is, as written.
    const base = routes ? (applied.has(routes) ? n : o) : sameAccess(access, was) ? o : n;
    return sameAccess(accessOf(base), access) ? base : withAccess(base, access);
  };
}

/** The callers (and their rules) that `more` admits beyond `less`. */
function describeCallers(more: AccessPart, less: AccessPart): string {
  const gained = Object.entries(more.callers)
    .filter(([caller, rules]) => !less.callers[caller] || rules.some(r => !less.callers[caller].includes(r)));
  return gained.length > 0 ? gained.map(([caller, rules]) => `${caller} (${rules.join(', ')})`).join(', ') : 'other RBAC principals';
}

/** A NetworkPolicy: the union of its old and new rules first (widen), its new rules once callers switched (narrow). */
function networkPolicyStep(key: string, name: string, old: MeshState, o: any, n: any, step: AddStep): (applied: Set<string>) => any {
  if (!o) {
    // A new policy narrows what reaches pods that already run; for new pods only, it is an addition.
    const service = n.spec?.podSelector?.matchLabels?.['mesh.cdk8s.io/service'];
    const running = !service || deploymentsOf(old, `${n.metadata?.namespace ?? 'default'}/${service}`).length > 0;
    const id = step(`${running ? 'narrow' : 'add'}:${key}`, `new ${name}`);
    return applied => (applied.has(id) ? n : undefined);
  }
  if (!n) {
    const id = step(`widen:${key}`, `${name} removed`);
    return applied => (applied.has(id) ? undefined : o);
  }
  const union = networkUnion(o, n);
  const widen = !same(union, o) ? step(`widen:${key}`, `${name} admits the peers of old and new`) : undefined;
  const narrow = !same(union, n) ? step(`narrow:${key}`, `${name} keeps only the new peers`) : undefined;
  return applied => (widen && !applied.has(widen) ? o : narrow && !applied.has(narrow) ? union : n);
}

/** The NEW policy with the rules of both (an old rule only where no new rule covers it), restricting only the directions both restrict. */
export function networkUnion(o: any, n: any): any {
  const doc = JSON.parse(JSON.stringify(n));
  const peers = (rule: any) => rule.from ?? rule.to;
  const covers = (wide: any, rule: any) => same(wide.ports, rule.ports)
    && (!peers(wide) || (!!peers(rule) && peers(rule).every((p: any) => peers(wide).some((q: any) => same(p, q)))));
  const rules = (now: any[] = [], was: any[] = []) => [...now, ...was.filter(rule => !now.some(r => covers(r, rule)))];
  const types = (o.spec?.policyTypes ?? ['Ingress']).filter((t: string) => (n.spec?.policyTypes ?? ['Ingress']).includes(t));
  doc.spec.policyTypes = types;
  for (const direction of ['ingress', 'egress'] as const) {
    const type = direction === 'ingress' ? 'Ingress' : 'Egress';
    if (types.includes(type)) doc.spec[direction] = rules(n.spec?.[direction], o.spec?.[direction]);
    else delete doc.spec[direction];
  }
  const within = (a: any, b: any) => ['ingress', 'egress'].every(d => (a.spec?.[d] ?? []).every((rule: any) => (b.spec?.[d] ?? []).some((r: any) => covers(r, rule))));
  const sameTypes = (a: any) => same([...types].sort(), [...(a.spec?.policyTypes ?? ['Ingress'])].sort());
  return same(doc, n) ? n : sameTypes(o) && within(doc, o) ? o : doc;
}
