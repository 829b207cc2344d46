import { Add, union } from './change';
import { RateIntent, ServiceIntent } from './intent';
import { NetworkIntent, templateChanges, WorkloadIntent } from './kubernetes-facts';

/** Transport security, authorization, end-user authentication, edges and rate limits of one service. */
export function diffSecurity(old: ServiceIntent, now: ServiceIntent, add: Add): void {
  if (old.mtls !== now.mtls) add(`mTLS ${old.mtls} → ${now.mtls}`, rank(now.mtls) < rank(old.mtls));
  if (old.sidecarImage !== now.sidecarImage) add(`sidecar image ${old.sidecarImage} → ${now.sidecarImage}: every pod restarts`, true);
  if (old.tlsMinimumVersion !== now.tlsMinimumVersion) {
    add(`TLS minimum version ${old.tlsMinimumVersion} → ${now.tlsMinimumVersion}`, (now.tlsMinimumVersion ?? '') < (old.tlsMinimumVersion ?? ''));
  }
  if (old.trustBundle !== now.trustBundle) {
    add(now.trustBundle ? 'the mesh CA now comes from the trust bundle' : 'trust bundle removed: pods trust only the CA of their own certificate, '
      + 'so pods with certificates of an old and a new CA refuse each other while it rotates', !now.trustBundle);
  }
  if (old.authorization !== now.authorization) {
    const weaker = now.authorization !== 'ENFORCE';
    add(`authorization ${old.authorization ?? 'none'} → ${now.authorization ?? 'none'}${now.authorization === 'DRY_RUN' ? ': denials are only logged, every caller gets in' : ''}`, weaker);
  }
  diffCallers(old, now, add);
  diffLists(old.edges ?? [], now.edges ?? [], add, 'open outside the mesh:', 'no longer open outside the mesh:');
  diffJwt(old.jwt, now.jwt, add);
  diffRates(old.rateLimits, now.rateLimits, add);
}

function diffCallers(old: ServiceIntent, now: ServiceIntent, add: Add): void {
  if (!old.callers || !now.callers) return;
  for (const caller of union(old.callers, now.callers)) {
    const [was, is] = [old.callers[caller], now.callers[caller]];
    if (!was) {add(`${caller} may now call ${now.service} (${is.join(', ')})`, true);} else if (!is) {add(`${caller} may no longer call ${now.service}`);} else if (was.join() !== is.join()) {
      const gained = is.filter(rule => !was.includes(rule));
      add(`${caller} → ${now.service}: may request ${is.join(', ')} (was ${was.join(', ')})`, gained.length > 0);
    }
  }
}

/** Paths that need an end-user token: a path no longer guarded, or a new issuer accepted, is risky. */
function diffJwt(old: Record<string, string[]> = {}, now: Record<string, string[]> = {}, add: Add): void {
  const describe = (jwt: Record<string, string[]>) => Object.entries(jwt).map(([path, issuers]) => `${path} (${issuers.join(' | ')})`).join(', ') || 'no path';
  if (describe(old) === describe(now)) return;
  const guarded = (path: string) => Object.entries(now).some(([guard, issuers]) => covers(guard, path) && issuers.every(i => old[path].includes(i)));
  const lost = Object.keys(old).filter(path => !guarded(path));
  const gained = Object.entries(now).some(([path, issuers]) => old[path] && issuers.some(issuer => !old[path].includes(issuer)));
  add(`end-user token required on ${describe(now)} (was ${describe(old)})${lost.length > 0 ? `: ${lost.join(', ')} no longer guarded` : ''}`,
    lost.length > 0 || gained);
}

/** Whether a guarded path (`/a/*`, `/a`, `~re`) takes in every request of another: equal, or a prefix of it. */
function covers(guard: string, path: string): boolean {
  return guard === path || (guard.endsWith('*') && !path.startsWith('~') && path.startsWith(guard.slice(0, -1)));
}

/** Rate limits by path: one removed, or raised (rate or burst), is risky. */
function diffRates(old: Record<string, RateIntent> = {}, now: Record<string, RateIntent> = {}, add: Add): void {
  const text = (r?: RateIntent) => (r ? `${r.perSecond}/s, burst ${r.burst}` : 'none');
  for (const path of union(old, now)) {
    const [was, is] = [old[path], now[path]];
    if (text(was) === text(is)) continue;
    const weaker = !is || (was !== undefined && (is.perSecond > was.perSecond || is.burst > was.burst));
    add(`rate limit on ${path === '*' ? 'requests' : path}: ${text(was)} → ${text(is)}`, weaker);
  }
}

/** The NetworkPolicies of one service: fewer policies or more ways in or out are risky. */
export function diffNetworks(old: NetworkIntent | undefined, now: NetworkIntent | undefined, add: Add): void {
  if (!now) {
    add('NetworkPolicy removed: any pod may connect to its pods, on every port (around the sidecar too)', true);
    return;
  }
  if (!old) {
    add(`NetworkPolicy added: ingress ${now.ingress.join('; ') || 'none'}`);
    return;
  }
  diffLists(old.ingress, now.ingress, add, 'NetworkPolicy now admits', 'NetworkPolicy no longer admits');
  if (old.egress && !now.egress) add('egress no longer restricted: its pods may connect anywhere', true);
  else if (!old.egress && now.egress) add(`egress restricted to ${now.egress.join('; ') || 'nothing'}`);
  else if (old.egress && now.egress) diffLists(old.egress, now.egress, add, 'NetworkPolicy now lets pods connect on', 'NetworkPolicy no longer lets pods connect on');
}

/** Deployments of mesh services: a changed pod template restarts the pods. */
export function diffWorkloads(old: Record<string, WorkloadIntent>, now: Record<string, WorkloadIntent>, on: (service: string) => Add): void {
  for (const key of union(old, now)) {
    const [was, is] = [old[key], now[key]];
    const [namespace, name] = key.split('/');
    const add = on(`${namespace}/${(is ?? was).service}`);
    if (!was || !is) {
      add(was ? `deployment ${name} removed` : `new deployment ${name}`, !is);
      continue;
    }
    const paths = templateChanges(was.template, is.template);
    if (paths.length === 0) continue;
    const native = was.nativeSidecar !== is.nativeSidecar ? `native sidecar ${was.nativeSidecar ? 'on → off' : 'off → on'}: ` : '';
    add(`${native}pods of deployment ${name} restart (pod template: ${paths.join(', ')})`, true);
  }
}

/** Entries gained (risky: something more is let in or out) and lost, each with its own words. */
function diffLists(old: string[], now: string[], add: Add, gained: string, lost: string): void {
  for (const entry of now) if (!old.includes(entry)) add(`${gained} ${entry}`, true);
  for (const entry of old) if (!now.includes(entry)) add(`${lost} ${entry}`);
}

/** STRICT is the strongest, DISABLED the weakest. */
function rank(mtls: string): number {
  return ['DISABLED', 'PERMISSIVE', 'STRICT'].indexOf(mtls);
}
