import { createHash } from 'crypto';
import { renderBootstrap, renderDiscoveryFiles, serializeFile } from './bootstrap';
import { withSharedVersion } from './files';
import { BOOTSTRAP_FILE } from './paths';
import type { SidecarPlan, SidecarPortPlan, UpstreamPlan } from '../../plan/types';

/**
 * What client-side `kubectl apply` can store of one object: its JSON goes
 * into an annotation, and all of an object's annotations together may hold
 * 256 KiB (apimachinery `TotalAnnotationSizeLimitB`).
 */
const CLIENT_SIDE_APPLY_BYTES = 256 * 1024;
/** Room each sidecar ConfigMap keeps for what is not a configuration file: its metadata and SDS files. */
const METADATA_BYTES = 8 * 1024;
/** Annotation of the ConfigMap of a sidecar's shard `k > 0`: `k` (its service is its `mesh.cdk8s.io/service` label). */
export const SHARD_ANNOTATION = 'mesh.cdk8s.io/sidecar-shard';
/** The most a shard's configuration files may take in the JSON of its ConfigMap. */
const SHARD_BUDGET_BYTES = CLIENT_SIDE_APPLY_BYTES - METADATA_BYTES;

/**
 * The configuration files of a sidecar, in as few shards as fit
 * `SHARD_BUDGET_BYTES` each, by ConfigMap key. One shard is the sidecar
 * itself, as `renderSidecarFiles` gives it. A sidecar whose files do not fit
 * one ConfigMap (a hub calling many upstreams) runs one Envoy per shard in
 * its pods, each reading its own ConfigMap: shard 0 holds the service's own
 * listeners (inbound, edges) and every shard a share of the upstreams (their
 * listeners, clusters and routes), chosen by a hash of the upstream's name
 * (`shardOf`), so an upstream stays in its shard while the shard count
 * stays. Every shard's discovery files carry one `version_info`
 * (`withSharedVersion`). `reservedInFirst` is what shard 0's ConfigMap holds
 * beside its files (the intent annotation, twice in a client-side apply).
 * Pure.
 */
export function renderSidecarShards(plan: SidecarPlan, reservedInFirst = 0): Array<Record<string, string>> {
  for (let count = 1; ; count++) {
    const shards = renderShards(plan, count);
    const fits = shards.every((files, shard) => fitsBudget(files, shard === 0 ? reservedInFirst : 0));
    // A shard of one upstream is as small as sharding gets: past that, the ConfigMap checks report the size.
    if (fits || count >= Math.max(1, plan.upstreams.length)) return shards;
  }
}

/** The shard of `count` that serves the upstream named `upstream`: a hash of its name, stable while `count` stays. */
export function shardOf(upstream: string, count: number): number {
  return count === 1 ? 0 : createHash('sha256').update(upstream).digest().readUInt32BE(0) % count;
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
 * application's, the sidecar's, its edges' and its upstreams'), one message each.
 */
export function shardPortProblems(plan: SidecarPlan, count: number): string[] {
  const taken = new Map<number, string>([
    [plan.app.port, 'the application\'s port'],
    ...Object.entries(plan.ports).map(([role, port]) => [port, `the sidecar's ${role} port`] as [number, string]),
    ...plan.security.edges.map(edge => [edge.port, `edge port ${edge.port}`] as [number, string]),
    ...plan.upstreams.map(upstream => [upstream.listen.port, `the port of upstream ${upstream.name}`] as [number, string]),
  ]);
  const problems: string[] = [];
  for (let shard = 1; shard < count; shard++) {
    for (const [role, port] of Object.entries(shardPorts(plan.ports, shard))) {
      const owner = role === 'inbound' ? undefined : taken.get(port);
      if (owner) {
        problems.push(`the sidecar of ${plan.service} runs ${count} Envoys to keep each ConfigMap under 256 KiB, and the ${role} port ${port} `
          + `of its container ${shardName('envoy', shard)} is ${owner}: move the sidecar's ports with Mesh ports.stats`);
      }
    }
  }
  return problems;
}

/** The stats port of each of a sidecar's `count` shards, with the name of the container port (`stats`, `stats-1`, ...). */
export function shardStatsPorts(ports: SidecarPortPlan, count: number): Array<{ readonly name: string; readonly number: number }> {
  return Array.from({ length: count }, (_, shard) => ({ name: shardName('stats', shard), number: shardPorts(ports, shard).stats }));
}

/** The name of a shard's own object in the pods (its container, its stats port, its volume): `envoy`, `envoy-1`, ... */
export function shardName(base: string, shard: number): string {
  return shard === 0 ? base : `${base}-${shard}`;
}

function renderShards(plan: SidecarPlan, count: number): Array<Record<string, string>> {
  const shares: UpstreamPlan[][] = Array.from({ length: count }, () => []);
  for (const upstream of plan.upstreams) shares[shardOf(upstream.name, count)].push(upstream);
  const plans = shares.map((upstreams, shard) => ({ ...plan, upstreams, ports: shardPorts(plan.ports, shard) }));
  const discovery = withSharedVersion(plans.map((shardPlan, shard) => renderDiscoveryFiles(shardPlan, shard > 0)));
  return plans.map((shardPlan, shard) => {
    const files: Record<string, object> = { [BOOTSTRAP_FILE]: renderBootstrap(shardPlan, shard > 0), ...discovery[shard] };
    return Object.fromEntries(Object.entries(files).map(([key, file]) => [key, serializeFile(file)]));
  });
}

/**
 * Whether a shard's files, with `reserved` bytes beside them, fit its
 * ConfigMap's budget once each is a quoted, escaped string in the object's
 * JSON. Escaping at most doubles JSON text (a quote, a backslash or a
 * newline per character), so files far below the budget are not escaped to
 * be measured.
 */
function fitsBudget(files: Record<string, string>, reserved: number): boolean {
  const raw = Object.entries(files).reduce((sum, [key, text]) => sum + key.length + Buffer.byteLength(text, 'utf8'), 0);
  if (2 * raw + reserved <= SHARD_BUDGET_BYTES) return true;
  const escaped = Object.entries(files).reduce((sum, [key, text]) => sum + Buffer.byteLength(JSON.stringify(key) + JSON.stringify(text), 'utf8') + 2, 0);
  return escaped + reserved <= SHARD_BUDGET_BYTES;
}
