import type { IMeshService } from '../mesh-service-handle';
import { ServiceRef, serviceRefOf } from '../model/refs';
import { isDnsName, localHostProblem } from '../value-checks';

/** Options of `Backup.host()`. */
export interface HostBackupOptions {
  /**
   * Whether the host is reached over TLS (verified against the public CA
   * bundle and its DNS name).
   * @default true
   */
  readonly tls?: boolean;
}

/**
 * Where traffic goes when every host of a service is unhealthy: a lower
 * priority endpoint group in the same Envoy cluster, used only while the
 * primary's healthy hosts fall short.
 */
export abstract class Backup {
  /** Another mesh service (for example the same application in another namespace). */
  public static service(service: IMeshService): Backup {
    return new ServiceBackup(service);
  }

  /**
   * An external host name and port (for example the service in another
   * cluster or region), reached over TLS verified against public CAs unless
   * `tls` is false.
   */
  public static host(hostname: string, port: number, options: HostBackupOptions = {}): Backup {
    return new HostBackup(hostname, port, options.tls ?? true);
  }

  /** The backup mesh service, if the backup is one. */
  public abstract readonly backupService?: IMeshService;
  /** Short description, for diagrams and errors. */
  public abstract readonly description: string;
  /** The host outside the mesh, if the backup is one. @internal */
  public abstract readonly _host?: { readonly hostname: string; readonly port: number; readonly tls: boolean };
  /** @internal */
  public abstract _validate(): string[];

  /** The backup mesh service, if the backup is one. @internal */
  public get _service(): ServiceRef | undefined {
    return this.backupService && serviceRefOf(this.backupService);
  }
}

class ServiceBackup extends Backup {
  public readonly description: string;
  public readonly _host = undefined;
  constructor(public readonly backupService: IMeshService) {
    super();
    this.description = backupService.name;
  }
  public _validate(): string[] {
    return [];
  }
}

class HostBackup extends Backup {
  public readonly backupService = undefined;
  public readonly description: string;
  public readonly _host: { readonly hostname: string; readonly port: number; readonly tls: boolean };
  constructor(private readonly hostname: string, private readonly port: number, tls: boolean) {
    super();
    this.description = `${hostname}:${port}`;
    this._host = { hostname, port, tls };
  }
  public _validate(): string[] {
    const errors: string[] = [];
    if (!isDnsName(this.hostname)) {
      errors.push(`backup host '${this.hostname}' is not a valid DNS name`);
    }
    const local = localHostProblem(this.hostname);
    if (local) errors.push(`backup ${local}`);
    if (!Number.isInteger(this.port) || this.port < 1 || this.port > 65535) {
      errors.push(`backup port ${this.port} is not a valid port: use an integer from 1 to 65535`);
    }
    return errors;
  }
}
