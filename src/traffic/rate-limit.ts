import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import type { MeshService } from '../mesh-service';
import { RateLimitScope } from './rate-limit-scope';
import { PathMatch } from './route-match';

/** Properties of a `RateLimit`. */
export interface RateLimitProps {
  /** The service whose sidecars admit the requests. */
  readonly service: MeshService;
  /** Requests admitted per `interval` (per pod, or per service with `RateLimitScope.SERVICE`). */
  readonly requests: number;
  /**
   * The interval the figure counts over (at least 50 ms).
   * @default Duration.seconds(1)
   */
  readonly interval?: Duration;
  /**
   * Requests a pod admits at once after a quiet period (the token bucket's
   * size), at least the per-pod figure.
   * @default - the per-pod figure: no burst above it
   */
  readonly burst?: number;
  /**
   * The requests this limit counts; each limit with a path has a bucket of its
   * own, and a request counts against the first limit whose path matches.
   * @default - every request no other limit of the service matches
   */
  readonly path?: PathMatch;
  /**
   * Whether `requests` is per pod or for the whole service.
   * @default RateLimitScope.PER_POD
   */
  readonly scope?: RateLimitScope;
}

/**
 * Caps the rate of requests a service admits, in its own sidecars (Envoy's
 * `local_ratelimit`): requests over the limit get `429 Too Many Requests`
 * (gRPC: `RESOURCE_EXHAUSTED`) with the header `x-local-rate-limit: true`,
 * without reaching the application. Each sidecar keeps its own token bucket,
 * so the limit holds per pod; callers inside the mesh and each port opened
 * with `exposeTo` are counted separately. Authorization runs first: denied
 * requests spend no tokens.
 */
export class RateLimit extends Construct {
  /** The service whose sidecars admit the requests. */
  public readonly service: MeshService;

  /**
   * @param scope the parent construct
   * @param id the construct id, unique among its siblings
   * @param props the settings
   */
  constructor(scope: Construct, id: string, props: RateLimitProps) {
    super(scope, id);
    this.service = props.service;
    const mesh = props.service.mesh;
    mesh._recordValueProblems(this.node.path, props);
    mesh._record('rateLimits', {
      path: this.node.path,
      service: props.service,
      requests: props.requests,
      intervalMs: (props.interval ?? Duration.seconds(1)).toMilliseconds({ integral: false }),
      burst: props.burst,
      match: props.path,
      scope: props.scope ?? RateLimitScope.PER_POD,
    });
    this.node.addValidation({ validate: () => mesh._problemsAt(this.node.path) });
  }
}
