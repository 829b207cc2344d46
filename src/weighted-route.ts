import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import type { MeshService } from './mesh-service';
import { isHeaderName } from './names';
import { isHttp } from './protocol';
import { HttpRouteMatch, validateMatch } from './traffic/route-match';
import { RouteTarget } from './traffic/route-target';

/** Header changes applied to routed requests. */
export interface HeaderRewrite {
  /**
   * Headers set on the request (replacing existing values).
   * @default - none
   */
  readonly set?: { [name: string]: string };
  /**
   * Headers removed from the request.
   * @default - none
   */
  readonly remove?: string[];
}

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
    props.service._addRoute(this);
    this.node.addValidation({ validate: () => this.validateRoute() });
  }

  private validateRoute(): string[] {
    const { targets, match, mirror, mirrorPercent, timeout, requestHeaders, caller } = this.props;
    const errors: string[] = [];
    const weights = targets.map(t => t.weight);
    const bad = weights.filter(w => !Number.isInteger(w) || w < 0);
    if (bad.length > 0) {
      errors.push(`weights ${JSON.stringify(bad)} are invalid: use non-negative integers`);
    } else {
      const sum = weights.reduce((a, b) => a + b, 0);
      if (sum !== 100) errors.push(`weights ${JSON.stringify(weights)} sum to ${sum}: they must sum to 100`);
    }
    for (const target of [...targets, ...(mirror ? [mirror] : [])]) {
      const { service, version } = target._resolve(this.service);
      if (!service._versions().includes(version)) {
        errors.push(`target ${target.description} does not exist: ${service.name} has versions ${service._versions().join(', ')}`);
      }
      if (target.targetService === this.service) {
        errors.push(`target ${target.description} is the routed service itself: use RouteTarget.version() for its versions`);
      }
    }
    const seen = new Set<string>();
    for (const target of targets) {
      const { service, version } = target._resolve(this.service);
      const key = `${service.qualifiedName}/${version}`;
      if (seen.has(key)) errors.push(`target ${target.description} appears twice: merge the weights`);
      seen.add(key);
    }
    if (mirrorPercent !== undefined && !(mirrorPercent >= 0 && mirrorPercent <= 100)) {
      errors.push(`mirrorPercent ${mirrorPercent} is invalid: use a percentage from 0 to 100`);
    }
    if (timeout && timeout.toMilliseconds({ integral: false }) <= 0) errors.push('timeout must be a positive duration');
    if (match) errors.push(...validateMatch(match));
    for (const header of [...Object.keys(requestHeaders?.set ?? {}), ...(requestHeaders?.remove ?? [])]) {
      if (!isHeaderName(header)) errors.push(`requestHeaders name '${header}' is not a valid HTTP header name`);
    }
    if (!isHttp(this.service.protocol) && (match || mirror || timeout || requestHeaders)) {
      errors.push(`${this.service.name} speaks TCP: a route can only split it by weight (remove match, mirror, timeout and requestHeaders)`);
    }
    if (caller && !caller.upstreams.includes(this.service)) {
      errors.push(`caller ${caller.name} does not call ${this.service.name}: declare ${caller.name}.callTo(${this.service.name}) first`);
    }
    return errors;
  }
}
