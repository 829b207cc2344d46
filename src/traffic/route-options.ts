import { Duration } from 'cdk8s';
import { HeaderRewrite } from './header-rewrite';
import { HttpRouteMatch } from './route-match';
import { RouteTarget } from './route-target';

/** Where a `WeightedRoute` sends the requests it matches, and how. */
export interface WeightedRouteOptions {
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
