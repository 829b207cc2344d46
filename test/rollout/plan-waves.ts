import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import { readOutput } from '../../src/review/read-output';
import { resourcesOf, sidecarOf, stateOf } from '../../src/rollout/state';
import { runCli, synthTo, tempDir } from '../review/synth-pair';
import { rbacEngine } from '../security/rbac-engine';

/** A plan written by the CLI: its exit code, text, OLD and NEW folders, and each wave's folder name and objects by key. */
export function planApps(before: (app: App) => void, after: (app: App) => void) {
  const [oldDir, newDir] = [synthTo(before), synthTo(after)];
  const out = path.join(tempDir(), 'plan');
  const { code, output, errors } = runCli(['plan', oldDir, newDir, '--out', out]);
  if (code === 2) throw new Error(errors);
  const waves = fs.readdirSync(out).sort().map(name => ({ name, state: stateOf(readOutput(path.join(out, name)).files.flatMap(f => f.docs)) }));
  return { code, output, out, oldDir, newDir, waves, old: stateOf(readOutput(oldDir).files.flatMap(f => f.docs)) };
}

/** Whether gRPC's RBAC engine lets `account`'s pods into `service`'s inbound listener, in a state. */
export function admitted(state: Map<string, any>, service: string, account: string): boolean {
  const inbound = resourcesOf(sidecarOf(state, service).data['lds.json']).find((l: any) => l.name === 'inbound');
  const filters = JSON.stringify(inbound);
  const rbac = JSON.parse(filters).filter_chains.flatMap((c: any) => c.filters).flatMap((f: any) => f.typed_config.http_filters ?? [])
    .find((f: any) => f.name === 'envoy.filters.http.rbac').typed_config;
  return rbacEngine(rbac)({ principal: `spiffe://shop.example.com/ns/shop/sa/${account}`, path: '/orders/1', method: 'GET' });
}

/** Whether the pods of a Deployment in a state resolve `host` through their host aliases. */
export function aliases(state: Map<string, any>, deployment: string, host: string): boolean {
  const d = state.get(`apps/Deployment/shop/${deployment}`);
  return !!d && (d.spec.template.spec.hostAliases ?? []).some((a: any) => a.hostnames.includes(host));
}

/** The files of a directory and their bytes. */
export function filesOf(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()
    .filter(f => fs.statSync(path.join(dir, f)).isFile()).map(f => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
}
