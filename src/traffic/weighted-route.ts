import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import type { MeshService } from '../mesh-service';
import { HeaderRewrite } from './header-rewrite';
import { HttpRouteMatch } from './route-match';
import { RouteTarget } from './route-target';

/** Properties of a `WeightedRoute`. */
export interface WeightedRouteProps {
  /** The service whose requests are routed. */
  readonly service: MeshService;
  /** Where requests go, with weights that sum to 100. */
  readonly targets: RouteTarget[];
  /**
   * Which requests the route applies to.
   * @default - every request
   */
  readonly match?: HttpRouteMatch;
  /**
   * Routes of a service are tried in ascending priority; the first that
   * matches wins.
   * @default - 100 for routes with a match, 1000 for a route without one
   */
  readonly priority?: number;
  /**
   * Apply the route to this caller's requests only.
   * @default - every caller
   */
  readonly caller?: MeshService;
  /**
   * Time a request on this route may take (overrides the failover policy's).
   * @default - the failover policy's timeout
   */
  readonly timeout?: Duration;
  /**
   * Copy requests to this target too, ignoring its answers (shadow traffic).
   * @default - no mirroring
   */
  readonly mirror?: RouteTarget;
  /**
   * Percentage of requests mirrored (0-100).
   * @default 100
   */
  readonly mirrorPercent?: number;
  /**
   * Header changes on routed requests.
   * @default - none
   */
  readonly requestHeaders?: HeaderRewrite;
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
