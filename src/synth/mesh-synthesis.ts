import { createHash } from 'crypto';
import type { EngineTranslator } from '../engines/engine';
import { BOOTSTRAP_FILE } from '../engines/envoy/paths';
import { renderSidecarShards, shardBudget, shardPortProblems, shardStatsPort } from '../engines/envoy/shards';
import { meshProblems } from '../mesh-checks';
import { MeshDeclarations } from '../model/declarations';
import { buildMeshModel, MeshModel } from '../model/mesh-model';
import { Problem } from '../model/problem';
import type { MeshRef, ServiceRef } from '../model/refs';
import { applyPodTemplate } from '../plan/pod-template';
import { planSidecar } from '../plan/sidecar-plan';
import { annotateConstructPaths } from '../review/construct-annotation';
import { sidecarIntent } from '../review/intent';

/** Type of the construct metadata entry each note of the engine is recorded as (as aws-cdk records `Annotations.addInfo`). */
export const NOTE_METADATA = 'cdk8s-mesh:info';

/** The most data a ConfigMap may hold (Kubernetes' `MaxSecretSize`, which ConfigMaps share): 1 MiB. */
const MAX_CONFIGMAP_BYTES = 1_048_576;

/** A sidecar's configuration files by ConfigMap key, and the digest of what only a restart applies (the bootstrap). */
export interface SidecarConfig {
  /** The files of each shard (`engines/envoy/shards.ts`): one, unless they would not fit one ConfigMap. */
  readonly shards: Array<Record<string, string>>;
  /** The SHA-256 of the bootstraps of its shards. */
  readonly bootstrapSha256: string;
  /** The port each shard serves its metrics on, with the name of the container port. */
  readonly statsPorts: Array<{ readonly name: string; readonly number: number }>;
  /** The `version_info` of every file Envoy reloads, which its stats report once loaded. */
  readonly configVersion: string;
}

/** A sidecar's configuration, with its intent and the ports its shards lack. */
interface RenderedSidecar extends SidecarConfig {
  /** What `cdk8s-mesh diff` compares, as JSON. */
  readonly intent: string;
  readonly portProblems: string[];
}

/**
 * One synthesis of a mesh: the model of the complete graph, built once,
 * and what is derived from it. Building it completes the pod templates
 * (host aliases, variables, ports, mounts) in one pass; after that the
 * mesh's declarations are sealed, so nothing derived here can go stale.
 */
export class MeshSynthesis {
  public readonly model: MeshModel;
  /** The problem lines of the mesh by construct path, in the order found. */
  private problems?: Map<string, string[]>;
  private notes?: Problem[];
  private readonly configs = new Map<ServiceRef, RenderedSidecar>();

  constructor(mesh: MeshRef, private readonly engine: EngineTranslator, declarationsOf: (mesh: MeshRef) => MeshDeclarations) {
    const declarations = declarationsOf(mesh);
    this.model = buildMeshModel(mesh, declarationsOf);
    declarations.seal(mesh.node.path);
    // The engine plans what each version's pods get: a proxy that captures traffic needs only the address variables.
    for (const workload of declarations.workloads) {
      applyPodTemplate(workload.workload, engine.planPodTemplate(this.model.of(workload.service), workload.version));
      workload.workload.dropAllCapabilities(); // once every container is there: an adopted workload's own are completed
    }
    // Every object of the mesh and of its services names the construct that made it (pod templates excepted).
    for (const owner of [mesh, ...declarations.services.map(d => d.service), ...this.model.externals]) annotateConstructPaths(owner);
    for (const { service } of declarations.services) {
      engine.completeSidecarResources(service, {
        model: this.model.of(service),
        // A mesh with problems writes nothing: its configuration may not render, and is not split.
        shards: () => this.problemLines().size > 0 ? 1 : this.sidecarConfig(service).shards.length,
        files: shard => this.sidecarConfig(service).shards[shard],
        bootstrapSha256: () => this.sidecarConfig(service).bootstrapSha256,
        intent: () => this.sidecarConfig(service).intent,
      });
    }
  }

  /**
   * Reports, once per synthesis, what the engine ignores (its notes): each is
   * recorded on its construct as metadata `cdk8s-mesh:info` and written to
   * standard error, which `cdk8s synth` shows (cdk8s 2.x has no
   * `Annotations`, and prints no construct metadata).
   */
  public reportNotes(mesh: MeshRef, write: (line: string) => void = line => process.stderr.write(line)): void {
    if (this.notes) return;
    this.notes = this.engine.notes(this.model);
    if (this.notes.length === 0) return;
    const constructs = new Map(mesh.node.root.node.findAll().map(c => [c.node.path, c]));
    for (const note of this.notes) {
      constructs.get(note.path)?.node.addMetadata(NOTE_METADATA, note.message);
      write(`[cdk8s-mesh] info: [${note.path}] ${note.message}\n`);
    }
  }

  /** The problems reported at a construct path. */
  public problemsAt(path: string): string[] {
    return [...this.problemLines().get(path) ?? []];
  }

  /** The problem lines of the mesh by construct path, found once for the whole mesh: every construct of the mesh asks for its own. */
  private problemLines(): Map<string, string[]> {
    if (!this.problems) {
      this.problems = new Map();
      for (const problem of this.withSizeProblems(meshProblems(this.model, this.engine.checks(this.model)))) {
        // One line per problem: user values quoted in a message (a path with CR/LF, ...) are shown escaped.
        // eslint-disable-next-line no-control-regex
        const line = problem.message.replace(/[\u0000-\u001f\u007f]/g, c => JSON.stringify(c).slice(1, -1));
        const lines = this.problems.get(problem.path);
        if (lines) lines.push(line);
        else this.problems.set(problem.path, [line]);
      }
    }
    return this.problems;
  }

  /**
   * Sidecar ConfigMaps over Kubernetes' 1 MiB limit on a ConfigMap's data, which
   * the API server would refuse, and shards of a sidecar whose ports are taken.
   * Measured only on a mesh without other problems, whose configuration can be
   * rendered, and only where the mesh writes its own sidecars' configuration
   * (other engines' proxies have none of it).
   */
  private withSizeProblems(problems: Problem[]): Problem[] {
    if (problems.length > 0 || !this.engine.ownsSidecar) return problems;
    return this.model.services.flatMap(({ service }) => {
      const config = this.sidecarConfig(service);
      const sizes = config.shards.map(files => Object.values(files).reduce((sum, text) => sum + Buffer.byteLength(text, 'utf8'), 0));
      const over = sizes.filter(bytes => bytes > MAX_CONFIGMAP_BYTES).map(bytes => ({
        path: service.node.path,
        message: `the sidecar configuration of ${service.name} is ${bytes} bytes, over the ${MAX_CONFIGMAP_BYTES} bytes of data a ConfigMap may hold: `
          + 'an Envoy holds the service\'s own listeners, or an upstream\'s routes, whole (its upstreams are split across Envoys when they do not fit one ConfigMap): '
          + 'expose fewer edge ports, or simplify its routes',
      }));
      return [...over, ...config.portProblems.map(message => ({ path: service.node.path, message }))];
    });
  }

  /** The Envoy configuration of a service's sidecar, and its intent. */
  public sidecarConfig(service: ServiceRef): RenderedSidecar {
    let config = this.configs.get(service);
    if (!config) {
      const model = this.model.of(service);
      const plan = planSidecar(model);
      const peers: Record<number, string[]> = {};
      for (const e of model.exposures) (peers[e.port] ??= []).push(e.peer.description);
      const intent = JSON.stringify(sidecarIntent(plan, service.mesh.envoyImage, peers));
      // The intent annotation is written twice in a client-side apply: as itself, and in the object's JSON.
      const budget = shardBudget(service.mesh.serverSideApply);
      const { shards, version: configVersion } = renderSidecarShards(plan, budget, 2 * Buffer.byteLength(JSON.stringify(intent), 'utf8'));
      const bootstrapSha256 = shards.reduce((hash, files) => hash.update(files[BOOTSTRAP_FILE]), createHash('sha256')).digest('hex');
      const statsPorts = shards.map((_, shard) => shardStatsPort(plan.ports, shard));
      const metricsPorts = model.monitors.flatMap(m => (m.metricsPort === undefined ? [] : [m.metricsPort]));
      config = { shards, bootstrapSha256, statsPorts, configVersion, intent, portProblems: shardPortProblems(plan, shards.length, metricsPorts) };
      this.configs.set(service, config);
    }
    return config;
  }
}

