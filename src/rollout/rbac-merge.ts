/**
 * The authorization part of a sidecar ConfigMap (the ALLOW policies of the
 * RBAC filters of its listeners, and the callers of its intent), and the
 * ConfigMap with another authorization part: how a plan builds a state that
 * admits the callers of OLD and NEW at once.
 */
import { discoveryKey, intentOf, resourcesOf, same, walk } from './state';
import { serializeFile } from '../engines/envoy/bootstrap';
import { withVersion } from '../engines/envoy/files';
import { INTENT_ANNOTATION } from '../review/intent';

const RBAC_TYPES = [
  'type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC',
  'type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC',
];

/** Each ALLOW RBAC filter's policies by `<listener>#<n>` (its n-th such filter); `null` where a filter enforces nothing (dry run). */
export type Authorization = Record<string, Record<string, any> | null>;

/** The authorization part of a sidecar ConfigMap. */
export interface AccessPart {
  readonly rbac: Authorization;
  readonly callers: Record<string, string[]>;
}

/** The RBAC typed configs of one listener that allow (not deny), in order. */
function allowFilters(listener: any): any[] {
  const found: any[] = [];
  walk(listener, node => {
    if (RBAC_TYPES.includes(node['@type']) && (node.rules?.action ?? 'ALLOW') === 'ALLOW') found.push(node);
  });
  return found;
}

/** The authorization part of a sidecar ConfigMap. */
export function accessOf(configMap: any): AccessPart {
  const rbac: Authorization = {};
  for (const listener of resourcesOf(configMap.data?.[discoveryKey(configMap, 'lds')] ?? '{"resources": []}')) {
    allowFilters(listener).forEach((filter, n) => { rbac[`${listener.name}#${n}`] = filter.rules ? filter.rules.policies ?? {} : null; });
  }
  return { rbac, callers: intentOf(configMap)?.callers ?? {} };
}

/**
 * What admits the callers of both parts: every policy of each (a policy of
 * `old` whose name `now` uses differently is kept as `<name>.previous`).
 * Undefined when the filters differ (a listener or filter added or removed,
 * enforcement switched on or off): no union is then safe to build.
 */
export function unionOf(old: AccessPart, now: AccessPart): AccessPart | undefined {
  const paths = Object.keys(now.rbac);
  const differs = (p: string) => !(p in old.rbac) || (old.rbac[p] === null) !== (now.rbac[p] === null);
  if (paths.length !== Object.keys(old.rbac).length || paths.some(differs)) return undefined;
  const rbac: Authorization = {};
  for (const path of paths) {
    if (now.rbac[path] === null) {
      rbac[path] = null;
      continue;
    }
    const merged: Record<string, any> = { ...now.rbac[path] };
    for (const [name, policy] of Object.entries(old.rbac[path]!)) {
      if (!(name in merged)) merged[name] = policy;
      else if (!same(merged[name], policy)) merged[`${name}.previous`] = policy;
    }
    rbac[path] = merged;
  }
  const callers: Record<string, string[]> = { ...now.callers };
  for (const [caller, rules] of Object.entries(old.callers)) callers[caller] = [...new Set([...(callers[caller] ?? []), ...rules])];
  return { rbac, callers };
}

/** Whether two authorization parts admit the same (policies and callers compared regardless of their order). */
export function sameAccess(a: AccessPart, b: AccessPart): boolean {
  const canonical = (value: any): any => (Array.isArray(value) ? value.map(canonical) : value && typeof value === 'object'
    ? Object.fromEntries(Object.keys(value).sort().map(k => [k, canonical(value[k])])) : value);
  const callers = (p: AccessPart) => Object.fromEntries(Object.entries(p.callers).map(([c, rules]) => [c, [...rules].sort()]));
  return same(canonical(a.rbac), canonical(b.rbac)) && same(canonical(callers(a)), canonical(callers(b)));
}

/** The ConfigMap `base` with the authorization part `access` (its filters must match those of `base`). */
export function withAccess(base: any, access: AccessPart): any {
  const doc = JSON.parse(JSON.stringify(base));
  const lds = discoveryKey(doc, 'lds');
  const listeners = resourcesOf(doc.data[lds]);
  for (const listener of listeners) {
    allowFilters(listener).forEach((filter, n) => {
      const policies = access.rbac[`${listener.name}#${n}`];
      if (policies === undefined) throw new Error(`listener ${listener.name} has no RBAC filter #${n} to merge`);
      if (policies !== null) filter.rules.policies = policies;
    });
  }
  // Every discovery file carries the version of the whole set (engines/envoy/files.ts): re-version them for the new listeners.
  const versioned = Object.entries(doc.data as Record<string, string>).map(([key, text]) => [key, parseJson(text)] as const)
    .filter(([, file]) => file?.version_info !== undefined);
  const files = Object.fromEntries(versioned.map(([key, file]) => [key, key === lds ? { resources: listeners } : file]));
  if (!(lds in files)) files[lds] = { resources: listeners };
  for (const [key, file] of Object.entries(withVersion(files))) doc.data[key] = serializeFile(file);
  const intent = intentOf(doc);
  if (intent?.callers) doc.metadata.annotations[INTENT_ANNOTATION] = JSON.stringify({ ...intent, callers: access.callers });
  return doc;
}

/** Whether an authorization part lets the pods of identity `<namespace>/<account>` into the `inbound` listener (where mesh callers arrive), on some path. */
export function admits(access: AccessPart, identity: string): boolean {
  const [namespace, account] = identity.split('/');
  return Object.entries(access.rbac).filter(([path]) => path.startsWith('inbound#')).every(([, policies]) => policies === null
    || Object.values(policies).some(policy => {
      let found = false;
      walk(policy.principals ?? [], node => {
        if (node.any === true || (typeof node.principal_name?.exact === 'string' && node.principal_name.exact.endsWith(`/ns/${namespace}/sa/${account}`))) found = true;
      });
      return found;
    }));
}

/** The identities (`<namespace>/<account>`) an authorization part names. */
export function principalsOf(access: AccessPart): string[] {
  const found = new Set<string>();
  walk(access.rbac, node => {
    const match = typeof node.principal_name?.exact === 'string' ? /\/ns\/([^/]+)\/sa\/([^/]+)$/.exec(node.principal_name.exact) : null;
    if (match) found.add(`${match[1]}/${match[2]}`);
  });
  return [...found].sort();
}

/** A ConfigMap value as JSON, or undefined when it is not JSON. */
function parseJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
