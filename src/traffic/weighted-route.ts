import { Construct } from 'constructs';
import type { MeshService } from '../mesh-service';
import { WeightedRouteOptions } from './route-options';

/** Properties of a `WeightedRoute`. */
export interface WeightedRouteProps extends WeightedRouteOptions {
  /** The service whose requests are routed. */
  readonly service: MeshService;
  /**
   * Apply the route to this caller's requests only.
   * @default - every caller
   */
  readonly caller?: MeshService;
}

/**
 * Routes requests for a service to weighted targets — versions of it or other
 * services — for canary releases, blue/green and A/B tests. Optional match
 * rules route some requests differently (for example `x-canary: true`).
 */
export class WeightedRoute extends Construct {
  /** The routed service. */
  public readonly service: MeshService;
  /** The settings of the route. */
  public readonly props: WeightedRouteProps;
  /** Where the route stands among the service's routes (lower first). */
  public readonly priority: number;

  /**
   * @param scope the parent construct
   * @param id the construct id, unique among its siblings
   * @param props the settings
   */
  constructor(scope: Construct, id: string, props: WeightedRouteProps) {
    super(scope, id);
    this.service = props.service;
    this.props = props;
    this.priority = props.priority ?? (props.match ? 100 : 1000);
    const mesh = props.service.mesh;
    mesh._recordValueProblems(this.node.path, props);
    mesh._record('routes', { ...props, path: this.node.path, priority: this.priority });
    this.node.addValidation({ validate: () => mesh._problemsAt(this.node.path) });
  }
}
