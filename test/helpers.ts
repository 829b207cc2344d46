import { App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { WrappedRE2 } from 're2-wasm/build/wasm/re2.js';
import { CertificateSource, MeshProps } from '../src';
import { validateAll } from './validate';
import { validateEnvoyBootstrap, validateEnvoyMessage } from './validate/envoy';

/** Mesh settings for tests: STRICT mTLS (the default) with a bootstrapped mesh CA. */
export const TEST_MESH: MeshProps = { certificates: CertificateSource.selfSignedCa() };

/** A fresh chart in namespace `shop` with predictable object names. */
export function newChart(namespace = 'shop'): Chart {
  const app = Testing.app();
  return new Chart(app, 'test', { namespace, disableResourceNameHashes: true });
}

/** Synthesizes every chart of the app that holds `scope`, running validations first. */
export function synth(scope: Construct): any[] {
  const app = App.of(scope);
  const errors = app.node.findAll().flatMap(c => c.node.validate().map(e => `[${c.node.path}] ${e}`));
  if (errors.length > 0) throw new Error(`Validation failed with the following errors:\n  ${errors.join('\n  ')}`);
  return app.charts.flatMap(chart => Testing.synth(chart));
}

/** The objects of a kind, optionally with a given name. */
export function objectsOf(manifests: any[], kind: string): any[] {
  return manifests.filter(m => m.kind === kind);
}

export function objectNamed(manifests: any[], kind: string, name: string): any {
  const found = manifests.find(m => m.kind === kind && m.metadata?.name === name);
  if (!found) throw new Error(`no ${kind} named ${name}`);
  return found;
}

/**
 * The Envoy configuration of a mesh service's sidecar as one bootstrap: the
 * listeners and clusters of its LDS and CDS files beside the static ones, each
 * listener's RDS routes inline (for reading; the files are checked as they are).
 */
export function envoyConfigOf(manifests: any[], service: string): any {
  return assembleSidecar(objectNamed(manifests, 'ConfigMap', `${service}-envoy`).data);
}

/** The files of a sidecar's ConfigMap assembled into one bootstrap, as Envoy holds them once all are loaded. */
export function assembleSidecar(data: Record<string, string>): any {
  const bootstrap = JSON.parse(data['envoy.json']);
  if (!bootstrap.dynamic_resources) return bootstrap;
  const fileOf = (source: any) => source.path_config_source.path.split('/').pop();
  const resources = (file: string) => {
    if (data[file] === undefined) throw new Error(`the sidecar's configuration names ${file}, which its ConfigMap does not hold`);
    return JSON.parse(data[file]).resources.map(({ '@type': _type, ...resource }: any) => resource);
  };
  const inlineRoutes = (listener: any) => ({
    ...listener,
    filter_chains: listener.filter_chains.map((chain: any) => ({
      ...chain,
      filters: chain.filters.map((filter: any) => {
        const rds = filter.typed_config.rds;
        if (!rds) return filter;
        const { rds: _rds, ...hcm } = filter.typed_config;
        const routeConfig = resources(fileOf(rds.config_source))[0];
        return { ...filter, typed_config: { ...hcm, route_config: routeConfig, http_filters: hcm.http_filters.map(inlineFilter) } };
      }),
    })),
  });
  // An ECDS filter takes the one resource of its file, named as the filter.
  const inlineFilter = (filter: any) => {
    if (!filter.config_discovery) return filter;
    const [config] = resources(fileOf(filter.config_discovery.config_source));
    if (config.name !== filter.name) throw new Error(`filter ${filter.name} finds ${config.name} in its ECDS file`);
    return { name: filter.name, typed_config: config.typed_config };
  };
  const { lds_config: lds, cds_config: cds } = bootstrap.dynamic_resources;
  return {
    ...bootstrap,
    static_resources: {
      listeners: [...bootstrap.static_resources.listeners, ...resources(fileOf(lds)).map(inlineRoutes)],
      clusters: [...bootstrap.static_resources.clusters, ...resources(fileOf(cds))],
    },
  };
}

export function listenerNamed(bootstrap: any, name: string): any {
  const found = bootstrap.static_resources.listeners.find((l: any) => l.name === name);
  if (!found) throw new Error(`no listener ${name}`);
  return found;
}

export function clusterNamed(bootstrap: any, name: string): any {
  const found = bootstrap.static_resources.clusters.find((c: any) => c.name === name);
  if (!found) throw new Error(`no cluster ${name}`);
  return found;
}

/** The typed config of the first network filter of a listener. */
export function networkFilterOf(listener: any): any {
  return listener.filter_chains[0].filters[0].typed_config;
}

/** The routes of a listener's HTTP connection manager, without the metadata naming the construct that made each (tested on its own). */
export function routesOf(listener: any): any[] {
  return networkFilterOf(listener).route_config.virtual_hosts[0].routes.map(({ metadata: _metadata, ...route }: any) => route);
}

/** The pod spec of a Deployment. */
export function podSpecOf(manifests: any[], deployment: string): any {
  return objectNamed(manifests, 'Deployment', deployment).spec.template.spec;
}

export function containerNamed(podSpec: any, name: string): any {
  const found = podSpec.containers.find((c: any) => c.name === name);
  if (!found) throw new Error(`no container ${name}`);
  return found;
}

/** Runs `build` and returns the validation error thrown at synth. */
export function synthError(scope: Construct): string {
  try {
    synth(scope);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected synth to fail validation, but it succeeded');
}

/**
 * Every problem the strict validators find in synthesized output: Kubernetes
 * and CRD schemas, the restricted Pod Security Standard, and each sidecar's
 * Envoy bootstrap against Envoy's v3 protos.
 */
export function outputProblems(manifests: any[]): string[] {
  const problems = validateAll(manifests);
  for (const configMap of objectsOf(manifests, 'ConfigMap')) {
    for (const [key, text] of Object.entries<string>(configMap.data ?? {})) {
      const where = `${configMap.metadata.name}/${key}`;
      if (key.endsWith('.json') && !key.includes('dashboard')) problems.push(...re2Problems(JSON.parse(text)).map(e => `${where}: ${e}`));
      if (key === 'envoy.json') {
        // The bootstrap as Envoy loads it, then the whole configuration (references between files included).
        problems.push(...validateEnvoyBootstrap(JSON.parse(text)).map(e => `${where}: ${e}`));
        try {
          problems.push(...validateEnvoyBootstrap(assembleSidecar(configMap.data)).map(e => `${configMap.metadata.name} (all files): ${e}`));
        } catch (error) {
          problems.push(`${where}: ${(error as Error).message}`);
        }
      } else if (DISCOVERY_TYPES[fileKind(key)]) {
        problems.push(...discoveryFileProblems(JSON.parse(text), DISCOVERY_TYPES[fileKind(key)]).map(e => `${where}: ${e}`));
        // Envoy takes exactly one resource per ECDS update (FilterConfigSubscription::onConfigUpdate).
        if (fileKind(key) === 'ecds' && JSON.parse(text).resources.length !== 1) problems.push(`${where}: an ECDS file holds exactly one resource`);
      } else if (key.startsWith('sds-')) {
        problems.push(...sdsProblems(JSON.parse(text)).map(e => `${where}: ${e}`));
      }
    }
  }
  return problems;
}

/** Every `safe_regex` of a configuration that RE2 (Google's, as WebAssembly) refuses, as Envoy would at load. */
function re2Problems(config: unknown, where = ''): string[] {
  if (Array.isArray(config)) return config.flatMap((item, i) => re2Problems(item, `${where}[${i}]`));
  if (config === null || typeof config !== 'object') return [];
  return Object.entries(config).flatMap(([key, value]) => {
    if (key === 'safe_regex') {
      const regex = (value as { regex: string }).regex;
      const compiled = new WrappedRE2(regex.replace(/\(\?<(?=[A-Za-z_])/g, '(?P<'), false, false, false);
      return compiled.ok() ? [] : [`${where}.safe_regex: RE2 refuses ${JSON.stringify(regex)}: ${compiled.error()}`];
    }
    return re2Problems(value, `${where}.${key}`);
  });
}

/** The resource type of each xDS file of a sidecar's ConfigMap. */
const DISCOVERY_TYPES: Record<string, string> = {
  'lds.json': 'envoy.config.listener.v3.Listener',
  'cds.json': 'envoy.config.cluster.v3.Cluster',
  'rds': 'envoy.config.route.v3.RouteConfiguration',
  'ecds': 'envoy.config.core.v3.TypedExtensionConfig',
};

/** `rds` and `ecds` for the files of those kinds, the key itself otherwise. */
function fileKind(key: string): string {
  return key.replace(/^(rds|ecds)\..*/, '$1');
}

/**
 * An xDS file: a DiscoveryResponse as Envoy's file subscription reads it
 * (`{ version_info, resources: [Any] }`, valid against Envoy's protos), with a
 * version and every resource of `type`.
 */
function discoveryFileProblems(file: any, type: string): string[] {
  const keys = Object.keys(file);
  if (JSON.stringify(keys) !== '["version_info","resources"]' || !file.version_info) {
    return [`an xDS file holds a non-empty 'version_info', then 'resources', got ${JSON.stringify(keys)}`];
  }
  return [
    ...validateEnvoyMessage('envoy.service.discovery.v3.DiscoveryResponse', file),
    ...file.resources.flatMap(({ '@type': actual }: any, i: number) => actual !== `type.googleapis.com/${type}` ? [`resources[${i}]: @type ${actual} is not ${type}`] : []),
  ];
}

/** An SDS file: `{ resources: [Any] }` whose resources are TLS secrets. */
function sdsProblems(file: any): string[] {
  const keys = Object.keys(file);
  if (keys.length !== 1 || !Array.isArray(file.resources)) return [`an SDS file holds only 'resources', got ${JSON.stringify(keys)}`];
  const secretType = 'envoy.extensions.transport_sockets.tls.v3.Secret';
  return file.resources.flatMap(({ '@type': type, ...secret }: any, i: number) => type !== `type.googleapis.com/${secretType}`
    ? [`resources[${i}]: @type ${type} is not a TLS Secret`]
    : validateEnvoyMessage(secretType, secret).map(e => `resources[${i}].${e}`));
}
