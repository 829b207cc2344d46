import { createHash } from 'crypto';
import { renderBootstrap, serializeBootstrap } from '../envoy/bootstrap';
import type { Mesh } from '../mesh';
import { meshProblems } from '../mesh-checks';
import type { MeshService } from '../mesh-service';
import { applyPodTemplate, planPodTemplate } from '../pod-template';
import { planSidecar } from '../sidecar-plan';
import { MeshDeclarations } from './declarations';
import { buildMeshModel, MeshModel } from './mesh-model';
import { Problem } from './problem';

/** A sidecar's configuration file and its digest. */
export interface SidecarConfig {
  readonly text: string;
  readonly sha256: string;
}

/**
 * One synthesis of a mesh: the model of the complete graph, built once,
 * and what is derived from it. Building it completes the pod templates
 * (host aliases, variables, ports, mounts) in one pass; after that the
 * mesh's declarations are sealed, so nothing derived here can go stale.
 */
export class MeshSynthesis {
  public readonly model: MeshModel;
  private problems?: Problem[];
  private readonly configs = new Map<MeshService, SidecarConfig>();

  constructor(mesh: Mesh, declarationsOf: (mesh: Mesh) => MeshDeclarations) {
    const declarations = declarationsOf(mesh);
    this.model = buildMeshModel(mesh, declarationsOf);
    declarations.seal(mesh.node.path);
    for (const workload of declarations.workloads) applyPodTemplate(workload.workload, planPodTemplate(this.model.of(workload.service)));
  }

  /** The problems reported at a construct path. */
  public problemsAt(path: string): string[] {
    this.problems ??= meshProblems(this.model);
    // One line per problem: user values quoted in a message (a path with CR/LF, ...) are shown escaped.
    // eslint-disable-next-line no-control-regex
    return this.problems.filter(p => p.path === path).map(p => p.message.replace(/[\u0000-\u001f\u007f]/g, c => JSON.stringify(c).slice(1, -1)));
  }

  /** The Envoy configuration of a service's sidecar. */
  public sidecarConfig(service: MeshService): SidecarConfig {
    let config = this.configs.get(service);
    if (!config) {
      const text = serializeBootstrap(renderBootstrap(planSidecar(this.model.of(service))));
      config = { text, sha256: createHash('sha256').update(text).digest('hex') };
      this.configs.set(service, config);
    }
    return config;
  }
}
