import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type { FailoverOptions } from '../failover/failover-options';
import type { Mesh } from '../mesh';
import type { IUpstream } from '../mesh-service-handle';
import type { ExternalEndpointSpec } from '../model/external-ref';
import { Protocol } from '../protocol';

/** Options of `ExternalEndpoint.host()`. */
export interface ExternalHostOptions {
  /**
   * Whether the sidecar speaks TLS to the host, checking that its certificate
   * names the host (SAN) against the public CAs of the sidecar image, and
   * sending the host as SNI. The application speaks plaintext to its sidecar.
   * @default - true, except on ports whose protocol is plaintext or negotiates
   * TLS inside itself (HTTP 80, SMTP 25 and 587, LDAP 389,
   * SQL Server 1433, MySQL 3306, PostgreSQL 5432, AMQP 5672, Redis 6379), where
   * a proxy's TLS origination would fail: state `tls: true` for those
   */
  readonly tls?: boolean;
  /**
   * Address ranges of the host, for `restrictEgress` NetworkPolicies, which
   * cannot name a DNS name: without them, the port is open to every address.
   * @default - the port is open to every address
   */
  readonly cidrs?: string[];
}

/** A Service of the cluster that the app does not define, for `ExternalEndpoint.clusterService()`. */
export interface ClusterServiceOptions {
  /** Name of the Service. */
  readonly name: string;
  /** Namespace of the Service. */
  readonly namespace: string;
  /** The Service's port that callers use. */
  readonly port: number;
  /**
   * The port its pods listen on (a number or a container port name), for
   * `restrictEgress` NetworkPolicies.
   * @default - `port`
   */
  readonly targetPort?: string;
  /**
   * The labels of its pods (the Service's selector), for `restrictEgress`
   * NetworkPolicies.
   * @default - every pod of the namespace
   */
  readonly podLabels?: { [key: string]: string };
}

/**
 * Ports whose protocol is plaintext, or negotiates TLS inside itself after a
 * plaintext greeting (STARTTLS, PostgreSQL's SSLRequest, MySQL's and SQL
 * Server's handshakes): TLS originated by the sidecar before the first byte
 * would break them, so `ExternalEndpoint.host()` originates TLS there only
 * when `tls: true` is stated.
 */
export const PLAINTEXT_PORTS: readonly number[] = [25, 80, 389, 587, 1433, 3306, 5432, 5672, 6379];

/** Where an `ExternalService` is: a host outside the cluster, or a Service of the cluster outside the mesh. */
export abstract class ExternalEndpoint {
  /** A host outside the cluster, by DNS name, for example a SaaS API or a managed database. */
  public static host(hostname: string, port: number, options: ExternalHostOptions = {}): ExternalEndpoint {
    return new HostEndpoint(hostname, port, options.tls ?? !PLAINTEXT_PORTS.includes(port), options.cidrs ?? []);
  }

  /**
   * A Service defined in this app that is not in the mesh, reached in
   * plaintext on its first port, or on `port`.
   */
  public static service(service: kplus.Service, port?: number): ExternalEndpoint {
    return new ClusterServiceEndpoint(service, port);
  }

  /**
   * A Service of the cluster that this app does not define (for example one
   * a Helm chart installed), by name: nothing is emitted for it.
   */
  public static clusterService(options: ClusterServiceOptions): ExternalEndpoint {
    return new ClusterServiceRefEndpoint(options);
  }

  /** What the sidecar connects to. @internal */
  public abstract _spec(clusterDomain: string): ExternalEndpointSpec;
}

class HostEndpoint extends ExternalEndpoint {
  constructor(private readonly hostname: string, private readonly port: number, private readonly tls: boolean, private readonly cidrs: string[]) {
    super();
  }

  public _spec(): ExternalEndpointSpec {
    return { host: this.hostname, port: this.port, tls: this.tls, cidrs: this.cidrs };
  }
}

class ClusterServiceEndpoint extends ExternalEndpoint {
  constructor(private readonly service: kplus.Service, private readonly port?: number) {
    super();
  }

  public _spec(clusterDomain: string): ExternalEndpointSpec {
    const name = this.service.name;
    const namespace = this.service.metadata.namespace ?? 'default';
    return {
      host: `${name}.${namespace}.svc.${clusterDomain}`,
      port: this.port ?? this.service.ports[0]?.port ?? 0,
      tls: false,
      cidrs: [],
      service: { name, namespace, pods: () => servicePods(this.service, this.port ?? this.service.ports[0]?.port ?? 0) },
    };
  }
}

class ClusterServiceRefEndpoint extends ExternalEndpoint {
  constructor(private readonly options: ClusterServiceOptions) {
    super();
  }

  public _spec(clusterDomain: string): ExternalEndpointSpec {
    const { name, namespace, port, targetPort, podLabels } = this.options;
    const target = targetPort !== undefined && /^[0-9]+$/.test(targetPort) ? Number(targetPort) : targetPort;
    return {
      host: `${name}.${namespace}.svc.${clusterDomain}`,
      port,
      tls: false,
      cidrs: [],
      service: { name, namespace, pods: () => ({ ...(podLabels && { podLabels }), port: target ?? port }) },
    };
  }
}

/**
 * The pods behind a Service of the app and the port they listen on, read from
 * the rendered Service (cdk8s-plus keeps its selector private): the Service's
 * `targetPort` for `port` (a number, or a port name NetworkPolicies accept
 * too), else `port`.
 */
function servicePods(service: kplus.Service, port: number): { podLabels?: Record<string, string>; port: number | string } {
  const spec = ApiObject.of(service).toJson().spec ?? {};
  const target = (spec.ports ?? []).find((p: { port: number }) => p.port === port)?.targetPort;
  return { ...(spec.selector && { podLabels: spec.selector }), port: target ?? port };
}

/** Properties of an `ExternalService`. */
export interface ExternalServiceProps {
  /** The mesh whose services call it. */
  readonly mesh: Mesh;
  /** Where it is. */
  readonly endpoint: ExternalEndpoint;
  /**
   * The name applications call it by: `http://<name>:<port>` resolves, in each
   * caller's pod, to the caller's sidecar. A DNS label.
   * @default - the Service's name for `ExternalEndpoint.service()`, else the construct id
   */
  readonly name?: string;
  /**
   * The port applications call.
   * @default - the endpoint's port
   */
  readonly port?: number;
  /**
   * What it speaks: HTTP routes, retries and timeouts apply to HTTP and gRPC; a
   * TCP endpoint is proxied as bytes.
   * @default Protocol.HTTP
   */
  readonly protocol?: Protocol;
  /**
   * How callers' sidecars handle its failures: retries and timeouts (HTTP and
   * gRPC), outlier detection, circuit breaking, health checks, and a backup
   * host (`Backup.host`). Backups in the mesh are not supported.
   * @default - no retries, Envoy's 15 s timeout
   */
  readonly failover?: FailoverOptions;
}

/**
 * Something mesh services call that is not a mesh service: a host outside the
 * cluster (over TLS, which the sidecar originates, or plain TCP), or a Service
 * of the cluster outside the mesh. Call it with `MeshService.callTo()` like a
 * mesh service; the calls go through the caller's sidecar, with its retries,
 * timeouts, metrics and access logs, but without mutual TLS.
 */
export class ExternalService extends Construct implements IUpstream {
  /** The mesh whose services call it. */
  public readonly mesh: Mesh;
  /** The name applications call it by. */
  public readonly name: string;
  /** The port applications call. */
  public readonly port: number;
  /** What it speaks. */
  public readonly protocol: Protocol;
  /** Where it is. */
  public readonly endpoint: ExternalEndpoint;
  /** How callers handle its failures. */
  public readonly failover: FailoverOptions;
  /** Where the sidecar connects, resolved once in the mesh's cluster domain. @internal */
  public readonly _endpoint: ExternalEndpointSpec;

  /**
   * @param scope the parent construct
   * @param id the construct id, unique among its siblings
   * @param props the settings
   */
  constructor(scope: Construct, id: string, props: ExternalServiceProps) {
    super(scope, id);
    this.mesh = props.mesh;
    this.endpoint = props.endpoint;
    this._endpoint = props.endpoint._spec(props.mesh.clusterDomain);
    this.name = props.name ?? this._endpoint.service?.name ?? id;
    this.port = props.port ?? this._endpoint.port;
    this.protocol = props.protocol ?? Protocol.HTTP;
    this.failover = props.failover ?? {};
    this.mesh._recordValueProblems(this.node.path, props);
    this.mesh._record('externalServices', { path: this.node.path, external: this });
    this.mesh.engine._translator.addExternalResources(this);
    this.node.addValidation({ validate: () => this.mesh._problemsAt(this.node.path) });
  }

  /** The namespace of the Service, for an endpoint in the cluster; the mesh's otherwise. */
  public get namespace(): string {
    return this._endpoint.service?.namespace ?? this.mesh.namespace;
  }

  /** `<name>.<namespace>`. */
  public get qualifiedName(): string {
    return `${this.name}.${this.namespace}`;
  }
}
