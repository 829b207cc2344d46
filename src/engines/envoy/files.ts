import { createHash } from 'crypto';
import { CONFIG_DIR } from './paths';
import { ConfigSource, DiscoveryFile, TYPE_URL } from './types';

/**
 * Envoy reads listeners, clusters and routes from files of the sidecar's
 * mounted ConfigMap, and reloads each when the kubelet swaps the ConfigMap's
 * directory (`watched_directory`): configuration changes without a restart.
 */
export function fileSource(file: string): ConfigSource {
  return { ...discoveredFileSource(file), resource_api_version: 'V3' };
}

/**
 * The same source named from inside a discovery file (a listener's RDS or
 * ECDS file), without `resource_api_version`: its default, AUTO, means v3,
 * "the only supported version" (`ApiVersion` in
 * envoy/config/core/v3/config_source.proto), so the 27 bytes said nothing
 * and were repeated twice per outbound listener. The bootstrap keeps the
 * field: changing it would restart every pod for no change in meaning.
 */
export function discoveredFileSource(file: string): ConfigSource {
  return { path_config_source: { path: `${CONFIG_DIR}/${file}`, watched_directory: { path: CONFIG_DIR } } };
}

/** A file of resources of one type, as a DiscoveryResponse. */
export function discoveryFile<T extends object>(type: string, resources: T[]): DiscoveryFile<T> {
  return { resources: resources.map(resource => ({ '@type': `${TYPE_URL}${type}`, ...resource })) };
}

/**
 * The discovery files of one sidecar, each with the same `version_info`: 16
 * hex digits of the SHA-256 of all their resources. Envoy re-reads every file
 * when the kubelet swaps the ConfigMap's directory, and sets a file's
 * `version` stat only once it accepted the file (see
 * monitoring/envoy-version.ts), so a sidecar runs its ConfigMap's current
 * configuration exactly when all its `version` stats show this one value.
 */
export function withVersion(files: Record<string, DiscoveryFile<object>>): Record<string, DiscoveryFile<object>> {
  return withSharedVersion([files])[0];
}

/**
 * The discovery files of each shard of one sidecar (`shards.ts`), all with
 * one `version_info` over the files of every shard (those of shard `k > 0`
 * hashed under `<k>/<file>`): the sidecar's pods run their current
 * configuration exactly when every `version` stat of every shard shows it.
 * One shard gets the version of `withVersion`.
 */
export function withSharedVersion(shards: Array<Record<string, DiscoveryFile<object>>>): Array<Record<string, DiscoveryFile<object>>> {
  const hash = createHash('sha256');
  shards.forEach((files, shard) => {
    // The JSON of the resources array, from each resource's JSON, which the file's text reuses (`resourceJson`).
    for (const key of Object.keys(files).sort()) {
      hash.update(`${shard === 0 ? '' : `${shard}/`}${key}\n[${files[key].resources.map(resourceJson).join(',')}]\n`);
    }
  });
  const version = hash.digest('hex').slice(0, 16);
  const versioned = (file: DiscoveryFile<object>) => ({ version_info: version, resources: file.resources });
  return shards.map(files => Object.fromEntries(Object.entries(files).map(([key, file]) => [key, versioned(file)])));
}

/** The JSON of each resource, kept while it lives: a file's version and its text both need it. */
const resourceJsons = new WeakMap<object, string>();

/** `JSON.stringify(resource)`, computed once per resource object (resources are not changed once rendered). */
export function resourceJson(resource: object): string {
  let json = resourceJsons.get(resource);
  if (json === undefined) {
    json = JSON.stringify(resource);
    resourceJsons.set(resource, json);
  }
  return json;
}
