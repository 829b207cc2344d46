import { Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { CDS_FILE, LDS_FILE } from './bootstrap';
import { CONTROL_HEADER_STRIP_FILE } from './http-filters';
import { rdsFileOf } from './listeners';
import { BOOTSTRAP_FILE } from './paths';
import { SHARD_ANNOTATION, shardName } from './shards';
import { addSidecarShard } from './sidecar-container';
import { edgeSdsContent, edgeSdsFile, sdsFiles } from './tls';
import { SERVICE_LABEL } from '../../model/labels';
import { ServiceModel, wiredUpstreams } from '../../model/mesh-model';
import type { ServiceRef } from '../../model/refs';
import { isHttp } from '../../protocol';
import { CONSTRUCT_ANNOTATION } from '../../review/construct-annotation';
import { INTENT_ANNOTATION } from '../../review/intent';
import { MtlsMode } from '../../security/mtls';
import type { SidecarSynthesis } from '../engine';

/** Construct id of a service's sidecar ConfigMap, a child of the service. */
const CONFIG_MAP_ID = 'envoy-config';
/** Pod annotation carrying the SHA-256 of the sidecar's bootstrap: what only a restart applies. */
const CONFIG_HASH_ANNOTATION = 'mesh.cdk8s.io/envoy-bootstrap-sha256';

/**
 * Adds a service's sidecar ConfigMap, `<name>-envoy`, with the SDS files of
 * the service's certificate when the mesh issues one (mutual TLS with a
 * certificate source); its other files are added at synth.
 */
export function addSidecarConfigMap(service: ServiceRef): void {
  addSdsFiles(service, new kplus.ConfigMap(service, CONFIG_MAP_ID, {
    metadata: { name: `${service.name}-envoy`, namespace: service.namespace },
  }));
}

/** Adds the SDS files of the service's certificate to a ConfigMap of its sidecar, when the mesh issues one. */
function addSdsFiles(service: ServiceRef, config: kplus.ConfigMap): void {
  if (service.mesh.mtls === MtlsMode.DISABLED || !service.mesh.certificates) return;
  for (const [file, content] of Object.entries(sdsFiles(service.mesh.trustBundle !== undefined))) addJson(config, file, content);
}

/** A service's sidecar ConfigMap. */
export function sidecarConfigMap(service: ServiceRef): kplus.ConfigMap {
  return service.node.findChild(CONFIG_MAP_ID) as kplus.ConfigMap;
}

/** Adds the SDS file of an edge port's server certificate to a service's sidecar ConfigMap. */
export function addEdgeSdsFile(service: ServiceRef, port: number): void {
  addJson(sidecarConfigMap(service), edgeSdsFile(port), edgeSdsContent(port));
}

/**
 * Fills a service's sidecar ConfigMap with its configuration files and its
 * intent (what `cdk8s-mesh diff` compares, on the ConfigMap: never on the pod
 * template, which would restart pods), and rolls the service's pods when their
 * sidecar's bootstrap changes (listeners, clusters and routes reload without a restart).
 */
export function completeSidecarConfigMap(service: ServiceRef, sidecar: SidecarSynthesis): void {
  const config = sidecarConfigMap(service);
  const shards = sidecar.shards();
  if (shards === 1) {
    for (const file of sidecarFileNames(sidecar.model)) config.addData(file, lazyString(() => sidecar.files(0)[file]));
  } else {
    for (const [file, text] of Object.entries(sidecar.files(0))) config.addData(file, text);
    for (let shard = 1; shard < shards; shard++) addShard(service, sidecar, shard);
  }
  config.metadata.addAnnotation(INTENT_ANNOTATION, lazyString(() => sidecar.intent()));
  for (const { workload } of sidecar.model.workloads) {
    workload.pods.podMetadata.addAnnotation(CONFIG_HASH_ANNOTATION, lazyString(() => sidecar.bootstrapSha256()));
  }
}

/**
 * Adds shard `shard` (from 1) of a service's sidecar (shards.ts): its
 * ConfigMap, `<name>-envoy-<shard>`, labelled with the service and annotated
 * with the shard, and its Envoy in every pod of the service.
 */
function addShard(service: ServiceRef, sidecar: SidecarSynthesis, shard: number): void {
  const config = new kplus.ConfigMap(service, shardName(CONFIG_MAP_ID, shard), {
    metadata: {
      name: shardName(`${service.name}-envoy`, shard),
      namespace: service.namespace,
      labels: { [SERVICE_LABEL]: service.name },
      annotations: { [CONSTRUCT_ANNOTATION]: service.node.path, [SHARD_ANNOTATION]: String(shard) },
    },
  });
  addSdsFiles(service, config);
  for (const [file, text] of Object.entries(sidecar.files(shard))) config.addData(file, text);
  for (const { workload } of sidecar.model.workloads) addSidecarShard(workload.pods, service.mesh, config, shard);
}

/**
 * The ConfigMap keys of a service's sidecar configuration: bootstrap, LDS,
 * CDS, and with HTTP upstreams an RDS file each and the filter their listeners share.
 */
function sidecarFileNames(service: ServiceModel): string[] {
  const routed = wiredUpstreams(service).filter(upstream => isHttp(upstream.protocol)).map(upstream => rdsFileOf(upstream.name));
  const shared = routed.length > 0 ? [CONTROL_HEADER_STRIP_FILE] : [];
  return [...new Set([BOOTSTRAP_FILE, LDS_FILE, CDS_FILE, ...routed, ...shared])]; // same-named upstreams are refused by the checks
}

function addJson(config: kplus.ConfigMap, file: string, content: object): void {
  config.addData(file, JSON.stringify(content, undefined, 2) + '\n');
}

/** A string computed at synth, once the whole graph is declared. */
function lazyString(produce: () => string): string {
  return Lazy.any({ produce }) as unknown as string;
}
