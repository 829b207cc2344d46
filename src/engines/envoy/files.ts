import { CONFIG_DIR } from './paths';
import { ConfigSource, DiscoveryFile, TYPE_URL } from './types';

/**
 * Envoy reads listeners, clusters and routes from files of the sidecar's
 * mounted ConfigMap, and reloads each when the kubelet swaps the ConfigMap's
 * directory (`watched_directory`): configuration changes without a restart.
 */
export function fileSource(file: string): ConfigSource {
  return { path_config_source: { path: `${CONFIG_DIR}/${file}`, watched_directory: { path: CONFIG_DIR } }, resource_api_version: 'V3' };
}

/** A file of resources of one type, as a DiscoveryResponse. */
export function discoveryFile<T extends object>(type: string, resources: T[]): DiscoveryFile<T> {
  return { resources: resources.map(resource => ({ '@type': `${TYPE_URL}${type}`, ...resource })) };
}
