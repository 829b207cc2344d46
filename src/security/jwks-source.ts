import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { isDnsName } from '../value-checks';

/** Options of `JwksSource.remote()`. */
export interface RemoteJwksOptions {
  /**
   * How long fetched keys are cached.
   * @default Duration.minutes(10)
   */
  readonly cacheDuration?: Duration;
}

/** Keys the sidecar fetches over HTTPS, through a cluster of its own. @internal */
export interface RemoteKeys {
  readonly uri: string;
  readonly host: string;
  readonly port: number;
  readonly cacheDuration: Duration;
}

/** Where the public keys (JWKS) that verify tokens come from. */
export abstract class JwksSource {
  /** An HTTPS URL the sidecar fetches the keys from (through a cluster of its own). */
  public static remote(uri: string, options: RemoteJwksOptions = {}): JwksSource {
    return new RemoteJwks(uri, options.cacheDuration ?? Duration.minutes(10));
  }

  /** A key of a ConfigMap holding the JWKS document, mounted into the sidecar. */
  public static fromConfigMap(configMap: kplus.IConfigMap, key: string): JwksSource {
    return new MountedJwks((scope, id) => kplus.Volume.fromConfigMap(scope, id, configMap, { name: id, items: { [key]: { path: 'jwks.json' } } }));
  }

  /** A key of a Secret holding the JWKS document, mounted into the sidecar. */
  public static fromSecret(secret: kplus.ISecret, key: string): JwksSource {
    return new MountedJwks((scope, id) => kplus.Volume.fromSecret(scope, id, secret, { name: id, items: { [key]: { path: 'jwks.json' } } }));
  }

  /** Where the keys are fetched from, when they are remote. @internal */
  public abstract readonly _remote?: RemoteKeys;
  /** The volume holding the keys as `jwks.json`, when they are mounted. @internal */
  public abstract _volume(scope: Construct, id: string): kplus.Volume | undefined;
  /** Problems with the source. @internal */
  public abstract _validate(): string[];
}

class RemoteJwks extends JwksSource {
  public readonly _remote?: RemoteKeys;

  constructor(private readonly uri: string, private readonly cacheDuration: Duration) {
    super();
    const match = /^https:\/\/([a-z0-9.-]+)(?::(\d+))?(\/[^\s]*)?$/.exec(uri);
    const port = Number(match?.[2] ?? 443);
    if (match && isDnsName(match[1]) && port >= 1 && port <= 65535) this._remote = { uri, host: match[1], port, cacheDuration };
  }

  public _volume(): undefined {
    return undefined;
  }

  public _validate(): string[] {
    if (!this._remote) return [`JWKS URL '${this.uri}' is invalid: use an https:// URL (keys fetched over plaintext could be forged)`];
    const ms = this.cacheDuration.toMilliseconds({ integral: false });
    return ms >= 1 ? [] : [`JWKS cacheDuration ${ms}ms is invalid: use at least one millisecond`];
  }
}

class MountedJwks extends JwksSource {
  public readonly _remote = undefined;
  constructor(private readonly volume: (scope: Construct, id: string) => kplus.Volume) { super(); }

  public _volume(scope: Construct, id: string): kplus.Volume {
    return this.volume(scope, id);
  }

  public _validate(): string[] {
    return [];
  }
}

/**
 * Name of the cluster that fetches remote keys from `host` on `port`, without
 * dots: Envoy's Prometheus stats split names at dots to extract tags, so a
 * dotted cluster name would scramble its metric names. Host names hold no
 * '_', so the name stays unique.
 */
export function jwksCluster(host: string, port: number): string {
  const name = `_jwks_${host.replace(/[.:]/g, '_')}`;
  return port === 443 ? name : `${name}_${port}`;
}
