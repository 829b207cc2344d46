import { createHash } from 'crypto';
import { LDS_FILE, renderBootstrap, renderDiscoveryFiles, serializeFile } from './bootstrap';
import { withSharedVersion } from './files';
import { BOOTSTRAP_FILE, CONFIG_DIR } from './paths';
import type { SidecarPlan, SidecarPortPlan, UpstreamPlan } from '../../plan/types';

/** Room each sidecar ConfigMap keeps for what is not a configuration file: its metadata and SDS files. */
const METADATA_BYTES = 8 * 1024;
/** Annotation of the ConfigMap of a sidecar's shard `k > 0`: `k` (its service is its `mesh.cdk8s.io/service` label). */
export const SHARD_ANNOTATION = 'mesh.cdk8s.io/sidecar-shard';

/**
 * The most a shard's configuration files may take in the JSON of its
 * ConfigMap: client-side `kubectl apply` copies the object's JSON into an
 * annotation, and all of an object's annotations together may hold 256 KiB
 * (apimachinery `TotalAnnotationSizeLimitB`); a server-side apply stores no
 * such copy, and a ConfigMap may hold 1 MiB of data (`MaxSecretSize`).
 */
export function shardBudget(serverSideApply: boolean): number {
  return (serverSideApply ? 1024 * 1024 : 256 * 1024) - METADATA_BYTES;
}

/** The configuration of a sidecar as the files of each of its shards, by ConfigMap key, and their one `version_info`. */
export interface SidecarShards {
  readonly shards: Array<Record<string, string>>;
  readonly version: string;
}

/**
 * The configuration files of a sidecar, in as few shards as fit `budget`
 * bytes each in their ConfigMap's JSON (`shardBudget`). One shard is the
 * sidecar itself, as `renderSidecarFiles` gives it. A sidecar whose files do
 * not fit one ConfigMap (a hub calling many upstreams) runs one Envoy per shard in its
 * pods, each reading its own ConfigMap: shard 0 holds the service's own
 * listeners (inbound, edges), and every other shard a share of the upstreams
 * (their listeners, clusters and routes), chosen by a hash of the upstream's
 * name (`shardOf`), so an upstream stays in its shard while the shard count
 * stays. Every shard's discovery files carry one `version_info`
 * (`withSharedVersion`), and their names carry the layout
 * (`layoutFileName`). `reservedInFirst` is what shard 0's ConfigMap holds
 * beside its files (the intent annotation, twice in a client-side apply).
 * Pure.
 */
export function renderSidecarShards(plan: SidecarPlan, budget: number, reservedInFirst = 0): SidecarShards {
  const whole = renderShards(plan, 1);
  const fits = (rendered: SidecarShards) => rendered.shards.every((files, shard) => fitsBudget(files, budget, shard === 0 ? reservedInFirst : 0));
  // Splitting helps only when the service's own listeners fit alone: if not, the ConfigMap checks report the size past 1 MiB.
  if (fits(whole) || !fitsBudget(renderShards({ ...plan, upstreams: [] }, 1).shards[0], budget, reservedInFirst)) return whole;
  for (let count = 2; ; count++) {
    const rendered = renderShards(plan, count);
    // An Envoy per upstream is as far as splitting goes: past that, the ConfigMap checks report the size past 1 MiB.
    if (fits(rendered) || count > plan.upstreams.length) return rendered;
  }
}

/**
 * The name of discovery file `file` (`lds.json`, `rds.<route>.json`, ...) in
 * shard `shard` of a sidecar of `count` Envoys: `lds.json` alone, else
 * `lds.<shard>-of-<count>.json`. A change of the count (which changes the
 * pods' containers, so the pods restart) renames every discovery file: an
 * Envoy of a running pod finds the files it watches gone, counts an
 * `update_failure` and keeps the configuration it runs
 * (`FilesystemSubscriptionImpl::refresh`,
 * source/extensions/config_subscription/filesystem/filesystem_subscription_impl.cc),
 * so no running Envoy sees an upstream move to another, and new pods start
 * on the new layout.
 */
export function layoutFileName(file: string, shard: number, count: number): string {
  return count === 1 ? file : file.replace(/\.json$/, `.${shard}-of-${count}.json`);
}

/** What `layoutFileName` wrote: the file's own name, and its shard and count when it is named for a layout. Pure. */
export function fileLayout(name: string): { readonly file: string; readonly shard?: number; readonly count?: number } {
  const match = /^(.*)\.(\d+)-of-(\d+)\.json$/.exec(name);
  return match ? { file: `${match[1]}.json`, shard: Number(match[2]), count: Number(match[3]) } : { file: name };
}

/**
 * The shard of `count` that serves the upstream named `upstream`: the only
 * one, or one of shards `1..count-1` (shard 0 keeps the service's own
 * listeners) by a hash of its name, stable while `count` stays.
 */
export function shardOf(upstream: string, count: number): number {
  return count === 1 ? 0 : 1 + createHash('sha256').update(upstream).digest().readUInt32BE(0) % (count - 1);
}

/**
 * The sidecar ports of shard `shard` of a sidecar: shard 0 has the mesh's;
 * shard `k > 0` serves its stats on `stats + 2k - 1` and its admin interface
 * (on loopback) on `stats + 2k`, past the mesh's stats port.
 */
export function shardPorts(ports: SidecarPortPlan, shard: number): SidecarPortPlan {
  return shard === 0 ? ports : { ...ports, stats: ports.stats + 2 * shard - 1, admin: ports.stats + 2 * shard };
}

/**
 * The ports shards `1..count-1` of a sidecar would take from its pods (the
 * application's, its metrics ports, the sidecar's, its edges' and its
 * upstreams'), or that do not exist, one message each.
 */
export function shardPortProblems(plan: SidecarPlan, count: number, appMetricsPorts: number[] = []): string[] {
  const taken = new Map<number, string>([
    ...appMetricsPorts.map(port => [port, 'the application\'s metrics port'] as [number, string]),
    [plan.app.port, 'the application\'s port'],
    ...Object.entries(plan.ports).map(([role, port]) => [port, `the sidecar's ${role} port`] as [number, string]),
    ...plan.security.edges.map(edge => [edge.port, `edge port ${edge.port}`] as [number, string]),
    ...plan.upstreams.map(upstream => [upstream.listen.port, `the port of upstream ${upstream.name}`] as [number, string]),
  ]);
  const problems: string[] = [];
  for (let shard = 1; shard < count; shard++) {
    for (const [role, port] of Object.entries(shardPorts(plan.ports, shard))) {
      const owner = role === 'inbound' ? undefined : port > 65535 ? 'not a port' : taken.get(port);
      if (owner) {
        problems.push(`the sidecar of ${plan.service} runs ${count} Envoys, one ConfigMap each, and the ${role} port ${port} `
          + `of its container ${shardName('envoy', shard)} is ${owner}: move the sidecar's ports with Mesh ports.stats`);
      }
    }
  }
  return problems;
}

/** The stats port of shard `shard` of a sidecar, with the name of its container port (`stats`, `stats-1`, ...). */
export function shardStatsPort(ports: SidecarPortPlan, shard: number): { readonly name: string; readonly number: number } {
  return { name: shardName('stats', shard), number: shardPorts(ports, shard).stats };
}

/** The name of a shard's own object in the pods (its container, its stats port, its volume): `envoy`, `envoy-1`, ... */
export function shardName(base: string, shard: number): string {
  return shard === 0 ? base : `${base}-${shard}`;
}

function renderShards(plan: SidecarPlan, count: number): SidecarShards {
  const shares: UpstreamPlan[][] = Array.from({ length: count }, () => []);
  for (const upstream of plan.upstreams) shares[shardOf(upstream.name, count)].push(upstream);
  const plans = shares.map((upstreams, shard) => ({ ...plan, upstreams, ports: shardPorts(plan.ports, shard) }));
  const discovery = withSharedVersion(plans.map((shardPlan, shard) => renderDiscoveryFiles(shardPlan, shard > 0)));
  const shards = plans.map((shardPlan, shard) => {
    const files: Record<string, object> = { [BOOTSTRAP_FILE]: renderBootstrap(shardPlan, shard > 0), ...discovery[shard] };
    const texts = Object.entries(files).map(([key, file]) => [key, serializeFile(file)]);
    return Object.fromEntries(count === 1 ? texts : withLayoutNames(texts, Object.keys(discovery[shard]), shard, count));
  });
  return { shards, version: discovery[0][LDS_FILE].version_info! };
}

/**
 * The files of a shard with its discovery files renamed for the layout
 * (`layoutFileName`): their keys, and every path that names them in the
 * files' text, a JSON string of its own (`"/etc/mesh/envoy/lds.json"`;
 * within another string its quotes would be escaped).
 */
function withLayoutNames(texts: string[][], discovery: string[], shard: number, count: number): string[][] {
  const renamed = new Map(discovery.map(file => [file, layoutFileName(file, shard, count)]));
  const quoted = (file: string) => JSON.stringify(`${CONFIG_DIR}/${file}`);
  return texts.map(([key, text]) => [
    renamed.get(key) ?? key,
    [...renamed].reduce((t, [from, to]) => t.split(quoted(from)).join(quoted(to)), text),
  ]);
}

/**
 * Whether a shard's files, with `reserved` bytes beside them, fit its
 * ConfigMap's budget once each is a quoted, escaped string in the object's
 * JSON. Escaping at most doubles JSON text (a quote, a backslash or a
 * newline per character), so files far below the budget are not escaped to
 * be measured.
 */
function fitsBudget(files: Record<string, string>, budget: number, reserved: number): boolean {
  const raw = Object.entries(files).reduce((sum, [key, text]) => sum + key.length + Buffer.byteLength(text, 'utf8'), 0);
  if (2 * raw + reserved <= budget) return true;
  const escaped = Object.entries(files).reduce((sum, [key, text]) => sum + Buffer.byteLength(JSON.stringify(key) + JSON.stringify(text), 'utf8') + 2, 0);
  return escaped + reserved <= budget;
}
