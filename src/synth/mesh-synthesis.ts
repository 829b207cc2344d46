import { createHash } from 'crypto';
import type { EngineTranslator } from '../engines/engine';
import { LDS_FILE, renderSidecarFiles, serializeFile } from '../engines/envoy/bootstrap';
import { BOOTSTRAP_FILE } from '../engines/envoy/paths';
import { meshProblems } from '../mesh-checks';
import { MeshDeclarations } from '../model/declarations';
import { buildMeshModel, MeshModel } from '../model/mesh-model';
import { Problem } from '../model/problem';
import type { MeshRef, ServiceRef } from '../model/refs';
import { applyPodTemplate } from '../plan/pod-template';
import { planSidecar } from '../plan/sidecar-plan';
import type { SidecarPlan } from '../plan/types';
import { annotateConstructPaths } from '../review/construct-annotation';
import { sidecarIntent } from '../review/intent';

/** Type of the construct metadata entry each note of the engine is recorded as (as aws-cdk records `Annotations.addInfo`). */
export const NOTE_METADATA = 'cdk8s-mesh:info';

/** The most data a ConfigMap may hold (Kubernetes' `MaxSecretSize`, which ConfigMaps share): 1 MiB. */
const MAX_CONFIGMAP_BYTES = 1_048_576;

/** A sidecar's configuration files by ConfigMap key, and the digest of what only a restart applies (the bootstrap). */
export interface SidecarConfig {
  readonly files: Record<string, string>;
  readonly bootstrapSha256: string;
  /** The `version_info` of every file Envoy reloads, which its stats report once loaded. */
  readonly configVersion: string;
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
  private readonly configs = new Map<ServiceRef, SidecarConfig>();
  private readonly plans = new Map<ServiceRef, SidecarPlan>();

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
        files: () => this.sidecarConfig(service).files,
        bootstrapSha256: () => this.sidecarConfig(service).bootstrapSha256,
        intent: () => {
          const peers: Record<number, string[]> = {};
          for (const e of this.model.of(service).exposures) (peers[e.port] ??= []).push(e.peer.description);
          const intent = JSON.stringify(sidecarIntent(this.sidecarPlan(service), mesh.envoyImage, peers));
          this.plans.delete(service); // read last: the configuration files were rendered during validation
          return intent;
        },
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
    if (!this.problems) {
      // Found once for the whole mesh, then looked up by path: every construct of the mesh asks for its own.
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
    return [...this.problems.get(path) ?? []];
  }

  /**
   * Sidecar ConfigMaps over Kubernetes' 1 MiB limit on a ConfigMap's data, which
   * the API server would refuse. Measured only on a mesh without other problems,
   * whose configuration can be rendered, and only where the mesh writes its own
   * sidecars' configuration (other engines' proxies have none of it).
   */
  private withSizeProblems(problems: Problem[]): Problem[] {
    if (problems.length > 0 || !this.engine.ownsSidecar) return problems;
    return this.model.services.flatMap(({ service }) => {
      const bytes = Object.values(this.sidecarConfig(service).files).reduce((sum, text) => sum + Buffer.byteLength(text, 'utf8'), 0);
      return bytes <= MAX_CONFIGMAP_BYTES ? [] : [{
        path: service.node.path,
        message: `the sidecar configuration of ${service.name} is ${bytes} bytes, over the ${MAX_CONFIGMAP_BYTES} bytes of data a ConfigMap may hold: `
          + 'split the service\'s upstreams among services, or simplify its routes',
      }];
    });
  }

  /** The Envoy configuration of a service's sidecar. */
  public sidecarConfig(service: ServiceRef): SidecarConfig {
    let config = this.configs.get(service);
    if (!config) {
      const rendered = renderSidecarFiles(this.sidecarPlan(service));
      const files = Object.fromEntries(Object.entries(rendered).map(([key, file]) => [key, serializeFile(file)]));
      const configVersion = (rendered[LDS_FILE] as { version_info: string }).version_info;
      config = { files, bootstrapSha256: createHash('sha256').update(files[BOOTSTRAP_FILE]).digest('hex'), configVersion };
      this.configs.set(service, config);
    }
    return config;
  }

  /** The plan of a service's sidecar, made once for its configuration files and its intent annotation (which drops it). */
  private sidecarPlan(service: ServiceRef): SidecarPlan {
    let plan = this.plans.get(service);
    if (!plan) {
      plan = planSidecar(this.model.of(service));
      this.plans.set(service, plan);
    }
    return plan;
  }
}

