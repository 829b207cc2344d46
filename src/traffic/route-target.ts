import type { IMeshService } from '../mesh-service-handle';
import { ServiceRef, serviceRefOf } from '../model/refs';

/** Where a route sends a share of its requests. */
export class RouteTarget {
  /** A version of the routed service (added with `MeshService.addVersion`). */
  public static version(version: string, weight: number = 100): RouteTarget {
    return new RouteTarget(weight, version, undefined);
  }

  /** The main version of another mesh service. */
  public static service(service: IMeshService, weight: number = 100): RouteTarget {
    return new RouteTarget(weight, undefined, service);
  }

  private constructor(
    /** Share of requests, in percent of the route's requests. */
    public readonly weight: number,
    /** The version of the routed service, when the target is one. */
    public readonly targetVersion?: string,
    /** The other service, when the target is one. */
    public readonly targetService?: IMeshService,
  ) {}

  /** The service and version this target resolves to, for a route of `routed`. @internal */
  public _resolve(routed: IMeshService): { service: ServiceRef; version: string } {
    return this.targetService
      ? { service: serviceRefOf(this.targetService), version: this.targetService.version }
      : { service: serviceRefOf(routed), version: this.targetVersion! };
  }

  /** Short description, for diagrams and errors. */
  public get description(): string {
    return this.targetService ? `service ${this.targetService.name}` : `version ${this.targetVersion}`;
  }
}
