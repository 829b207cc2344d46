import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { envoyDuration } from '../envoy/duration';
import { JWKS_DIR } from '../envoy/paths';
import type { MeshService } from '../mesh-service';
import { invalidDnsLabel, isDnsName, isHeaderName } from '../names';
import { isHttp } from '../protocol';
import { JwtProviderOverlap, JwtProviderPaths, planJwtRules } from './jwt-rules';
import { PathMatch } from '../traffic/route-match';

/** Options of `JwksSource.remote()`. */
export interface RemoteJwksOptions {
  /**
   * How long fetched keys are cached.
   * @default Duration.minutes(10)
   */
  readonly cacheDuration?: Duration;
}

/** Where the public keys (JWKS) that verify tokens come from. */
export abstract class JwksSource {
  /** An HTTPS URL the sidecar fetches the keys from (through a cluster of its own). */
  public static remote(uri: string, options: RemoteJwksOptions = {}): JwksSource {
    return new RemoteJwks(uri, options.cacheDuration ?? Duration.minutes(10));
  }

  /** A key of a ConfigMap holding the JWKS document, mounted into the sidecar. */
  public static fromConfigMap(configMap: kplus.IConfigMap, key: string): JwksSource {
    return new MountedJwks(key, (scope, id) => kplus.Volume.fromConfigMap(scope, id, configMap, { name: id, items: { [key]: { path: 'jwks.json' } } }));
  }

  /** A key of a Secret holding the JWKS document, mounted into the sidecar. */
  public static fromSecret(secret: kplus.ISecret, key: string): JwksSource {
    return new MountedJwks(key, (scope, id) => kplus.Volume.fromSecret(scope, id, secret, { name: id, items: { [key]: { path: 'jwks.json' } } }));
  }
}

/** @internal */
export class RemoteJwks extends JwksSource {
  constructor(public readonly uri: string, public readonly cacheDuration: Duration) { super(); }

  /** Host and port of the URL, or undefined when it is not an https URL. */
  public get endpoint(): { host: string; port: number } | undefined {
    const match = /^https:\/\/([a-z0-9.-]+)(?::(\d+))?(\/[^\s]*)?$/.exec(this.uri);
    const port = Number(match?.[2] ?? 443);
    return match && isDnsName(match[1]) && port >= 1 && port <= 65535 ? { host: match[1], port } : undefined;
  }
}

/** @internal */
export class MountedJwks extends JwksSource {
  constructor(public readonly key: string, public readonly volume: (scope: Construct, id: string) => kplus.Volume) { super(); }
}

/** Properties of a `JwtAuthentication`. */
export interface JwtAuthenticationProps {
  /** The service whose requests must carry a valid token. */
  readonly service: MeshService;
  /** The `iss` claim tokens must carry. */
  readonly issuer: string;
  /** The keys that verify token signatures. */
  readonly jwks: JwksSource;
  /**
   * Accepted `aud` claims.
   * @default - any audience
   */
  readonly audiences?: string[];
  /**
   * Paths that require a token.
   * @default - every request
   */
  readonly paths?: PathMatch[];
  /**
   * What a request needs where these paths overlap those of another
   * `JwtAuthentication` of the same service: a token of any of the providers,
   * or of all of them. Required (with the same value on each) when paths
   * overlap; a service with several providers accepts only prefix and exact paths.
   * @default - the paths must not overlap those of another provider
   */
  readonly overlap?: JwtProviderOverlap;
  /**
   * Claims copied into request headers for the application (claim name to header name).
   * The sidecar removes these headers from every incoming request first, so the
   * application can trust them: they come from a verified token or not at all.
   * @default - none
   */
  readonly claimHeaders?: { [claim: string]: string };
  /**
   * Whether the token is passed on to the application.
   * @default true
   */
  readonly forwardToken?: boolean;
}

/**
 * End-user authentication: the service's sidecar rejects requests (401) on
 * the chosen paths unless they carry a JWT from the issuer, signed by its
 * keys. Applies to mesh callers and to edge listeners alike.
 */
export class JwtAuthentication extends Construct {
  /** The protected service. */
  public readonly service: MeshService;
  /** Name of the provider in the sidecar's configuration. */
  public readonly providerName: string;
  /** The settings. */
  public readonly props: JwtAuthenticationProps;

  /**
   * @param scope the parent construct
   * @param id the construct id, unique among its siblings
   * @param props the settings
   */
  constructor(scope: Construct, id: string, props: JwtAuthenticationProps) {
    super(scope, id);
    this.service = props.service;
    this.props = props;
    this.providerName = id.toLowerCase().replace(/[^a-z0-9-]/g, '-');
    props.service._addJwtAuthentication(this);
    this.node.addValidation({ validate: () => this.validateProvider() });
  }

  /** The provider entry of the jwt_authn filter. @internal */
  public _provider(): Record<string, unknown> {
    const { issuer, audiences, claimHeaders, forwardToken, jwks } = this.props;
    return {
      issuer,
      ...(audiences?.length && { audiences }),
      ...(jwks instanceof RemoteJwks
        ? { remote_jwks: { http_uri: { uri: jwks.uri, cluster: jwksCluster(jwks), timeout: '5s' }, cache_duration: envoyDuration(jwks.cacheDuration) } }
        : { local_jwks: { filename: `${this._jwksDir}/jwks.json` } }),
      forward: forwardToken ?? true,
      ...(claimHeaders && Object.keys(claimHeaders).length > 0 && {
        claim_to_headers: Object.entries(claimHeaders).map(([claim, header]) => ({ header_name: header, claim_name: claim })),
      }),
    };
  }

  /** The paths this provider guards, for the service's rule planner. @internal */
  public _paths(): JwtProviderPaths {
    const { issuer, paths, overlap } = this.props;
    return { name: this.providerName, issuer, paths: paths?.length ? paths : [PathMatch.prefix('/')], overlap };
  }

  /** The request headers jwt_authn writes for this provider, lower-cased. @internal */
  public _headersWritten(): string[] {
    return Object.values(this.props.claimHeaders ?? {}).map(h => h.toLowerCase());
  }

  /** Where a mounted JWKS is found in the sidecar. @internal */
  public get _jwksDir(): string {
    return `${JWKS_DIR}/${this.providerName}`;
  }

  private validateProvider(): string[] {
    const errors: string[] = [];
    const { issuer, jwks, claimHeaders } = this.props;
    if (!issuer || issuer.trim() === '') errors.push('JWT provider has no issuer: give the iss claim tokens must carry');
    if (!jwks) {
      errors.push('JWT provider has no keys: give jwks: JwksSource.remote(url), JwksSource.fromConfigMap(...) or JwksSource.fromSecret(...)');
    } else if (jwks instanceof RemoteJwks && !jwks.endpoint) {
      errors.push(`JWKS URL '${jwks.uri}' is invalid: use an https:// URL (keys fetched over plaintext could be forged)`);
    } else if (jwks instanceof RemoteJwks && !(jwks.cacheDuration.toMilliseconds({ integral: false }) >= 1)) {
      errors.push(`JWKS cacheDuration ${jwks.cacheDuration.toMilliseconds({ integral: false })}ms is invalid: use at least one millisecond`);
    }
    for (const header of Object.values(claimHeaders ?? {})) {
      if (!isHeaderName(header)) {
        errors.push(`claim header '${header}' is not a valid HTTP header name (letters, digits and !#$%&'*+-.^_\`|~)`);
      } else if (RESERVED_CLAIM_HEADERS.includes(header.toLowerCase()) || /^x-envoy-/i.test(header)) {
        errors.push(`claim header '${header}' is reserved: the sidecar strips claim headers from incoming requests, and this one carries the token `
          + 'or is set by Envoy itself; use a header of your own, such as x-user-id');
      }
    }
    if (!isHttp(this.service.protocol)) errors.push(`${this.service.name} speaks TCP: JWT authentication needs HTTP or gRPC`);
    if (invalidDnsLabel(`jwks-${this.providerName}`)) {
      errors.push(`the construct id '${this.node.id}' names the JWT provider: use lower-case letters, digits and '-', at most 57 characters`);
    }
    const providers = this.service._jwtProviders();
    const twins = providers.filter(p => p !== this && p.providerName === this.providerName);
    if (twins.length > 0) {
      errors.push(`JWT provider name '${this.providerName}' is also that of ${twins[0].node.path}: give the constructs different ids`);
    } else {
      errors.push(...planJwtRules(providers.map(p => p._paths())).problems.filter(p => p.provider === this.providerName).map(p => p.message));
    }
    return errors;
  }
}

/** Headers a claim may not be copied into: where the token travels, and headers Envoy or HTTP reserve. */
const RESERVED_CLAIM_HEADERS = ['authorization', 'host', 'content-length', 'transfer-encoding', 'connection', 'te', 'upgrade'];

/** Name of the cluster that fetches a remote JWKS. */
export function jwksCluster(jwks: RemoteJwks): string {
  return `_jwks_${jwks.endpoint?.host ?? 'invalid'}`;
}
