import { createHash } from 'crypto';
import { Lazy } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { Mesh } from '../mesh';
import { meshDashboard } from './dashboard';
import { meshLabel } from './metrics';
import { annotateConstructPaths } from '../review/construct-annotation';
import { invalidDnsLabel, valueProblems } from '../value-checks';

/** Properties of a `MeshDashboard`. */
export interface MeshDashboardProps {
  /** The mesh whose monitored services are shown. */
  readonly mesh: Mesh;
  /**
   * Title of the dashboard.
   * @default - '<mesh id> service mesh'
   */
  readonly title?: string;
  /**
   * Namespace of the ConfigMap (where Grafana's dashboard sidecar looks).
   * @default - the mesh's monitoring namespace
   */
  readonly namespace?: string;
  /**
   * Labels Grafana's dashboard sidecar discovers ConfigMaps by.
   * @default { grafana_dashboard: '1' }
   */
  readonly labels?: { [key: string]: string };
}

/**
 * A Grafana dashboard of the mesh — request rate, error ratio and latency of
 * every monitored service and of each of its calls — shipped as a ConfigMap
 * that Grafana's dashboard sidecar picks up.
 */
export class MeshDashboard extends Construct {
  /**
   * @param scope the parent construct
   * @param id the construct id, unique among its siblings
   * @param props the settings
   */
  constructor(scope: Construct, id: string, props: MeshDashboardProps) {
    super(scope, id);
    const mesh = props.mesh;
    // Unique per mesh and namespace, so that two apps whose meshes share a construct id do not overwrite each other's dashboard.
    const key = `${mesh.namespace}-${mesh.node.id}`;
    const digest = createHash('sha256').update(`${mesh.namespace}/${mesh.node.path}`).digest('hex').slice(0, 8);
    const uid = `${key.replace(/[^a-zA-Z0-9_-]/g, '-').slice(0, 31)}-${digest}`;
    const configMap = new kplus.ConfigMap(this, 'dashboard', {
      metadata: {
        name: `${key}-mesh-dashboard`,
        namespace: props.namespace ?? mesh.monitoringNamespace,
        labels: props.labels ?? { grafana_dashboard: '1' },
      },
    });
    // The same JSON for any number of services: Grafana repeats a row per service it finds (see meshDashboard).
    const dashboard = () => meshDashboard({ title: props.title ?? `${mesh.node.id} service mesh`, uid, mesh: meshLabel(mesh) });
    this.node.addValidation({
      validate: () => [
        ...valueProblems(props, ''),
        ...(invalidDnsLabel(mesh.node.id, 40) ? [`the mesh's construct id '${mesh.node.id}' names the dashboard ConfigMap: use lower-case letters, digits and '-'`] : []),
      ],
    });
    configMap.addData(`${uid}.json`, Lazy.any({ produce: () => JSON.stringify(dashboard(), undefined, 2) + '\n' }) as unknown as string);
    annotateConstructPaths(this);
  }
}
