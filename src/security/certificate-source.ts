import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { goDuration } from '../engines/envoy/duration';
import {
  Certificate, CertificateSpecPrivateKeyAlgorithm, CertificateSpecPrivateKeyRotationPolicy, CertificateSpecUsages, ClusterIssuer,
} from '../imports/cert-manager.io';
import { invalidDnsLabel, MAX_GO_DURATION_MS } from '../value-checks';

/** Options of `CertificateSource.selfSignedCa()`. */
export interface SelfSignedCaOptions {
  /**
   * Namespace where cert-manager keeps the Secrets of ClusterIssuers (its
   * "cluster resource namespace"); the mesh CA's key lives there.
   * @default 'cert-manager'
   */
  readonly namespace?: string;
  /**
   * Lifetime of the CA certificate.
   * @default Duration.days(365)
   */
  readonly duration?: Duration;
}

/** What the library needs to issue one workload certificate. @internal */
export interface CertificateRequest {
  readonly scope: Construct;
  readonly name: string;
  readonly namespace: string;
  readonly spiffeId: string;
  readonly duration: Duration;
  readonly renewBefore: Duration;
}

/**
 * Where the sidecars' certificates come from: cert-manager issues one per
 * service account, with the SPIFFE identity as URI SAN, and rotates it; the
 * sidecar re-reads rotated files without a restart.
 */
export abstract class CertificateSource {
  /** A cert-manager `Issuer` you run in every namespace of the mesh (it must add `ca.crt`, as the CA issuer does). */
  public static issuer(name: string): CertificateSource {
    return new IssuerSource(name, 'Issuer');
  }

  /** A cert-manager `ClusterIssuer` you run (it must add `ca.crt`, as the CA issuer does). */
  public static clusterIssuer(name: string): CertificateSource {
    return new IssuerSource(name, 'ClusterIssuer');
  }

  /**
   * A mesh CA the library bootstraps with cert-manager: a self-signed
   * ClusterIssuer signs the CA certificate, and a CA ClusterIssuer signs the
   * workload certificates.
   */
  public static selfSignedCa(options: SelfSignedCaOptions = {}): CertificateSource {
    return new SelfSignedCaSource(options);
  }

  /**
   * Certificates provisioned outside the mesh: each service expects a Secret
   * `<service account>-mesh-tls` in its namespace with `tls.crt`, `tls.key` and
   * `ca.crt`, and a URI SAN with its SPIFFE identity.
   */
  public static existingSecrets(): CertificateSource {
    return new ExistingSecretsSource();
  }

  /**
   * Certificates issued per pod by cert-manager's csi-driver-spiffe
   * (`spiffe.csi.cert-manager.io`): the driver derives each pod's SPIFFE
   * identity from its own ServiceAccount, so a workload cannot ask for another
   * service's identity, and the private key never leaves the node. The driver
   * must run with the mesh's trust domain (`--trust-domain`) and write the CA
   * as `ca.crt` (`--source-ca-bundle`, or give the mesh a `trustBundle`).
   */
  public static csiDriverSpiffe(): CertificateSource {
    return new CsiDriverSpiffeSource();
  }

  /**
   * Provides the certificate of one service account: what its pods mount
   * (`tls.crt`, `tls.key`, `ca.crt`). @internal
   */
  public abstract _provide(request: CertificateRequest, meshScope: Construct): WorkloadCertificate;

  /** Whether the source is a CA private to the mesh, bootstrapped by the library (not a CA of the user's). @internal */
  public get _meshPrivateCa(): boolean {
    return false;
  }

  /** Problems with this source for the mesh `meshScope`. @internal */
  public _validate(_meshScope: Construct): string[] {
    return [];
  }
}

/** How a service account's certificate reaches its pods' sidecars. @internal */
export interface WorkloadCertificate {
  /**
   * The volume holding `tls.crt`, `tls.key` and `ca.crt`, in the pods of a
   * Deployment or StatefulSet, readable by processes of group `readerGroup`.
   */
  volume(deployment: kplus.Workload, readerGroup: number): kplus.Volume;
}

/** The certificate in a Secret of the service's namespace. */
function fromSecret(request: CertificateRequest, secretName: string): WorkloadCertificate {
  const secret = kplus.Secret.fromSecretName(request.scope, 'mesh-certificate', secretName);
  return { volume: deployment => kplus.Volume.fromSecret(deployment, 'mesh-certs-volume', secret, { name: 'mesh-certs' }) };
}

/** Name of the Secret holding a service account's mesh certificate. */
function secretNameOf(serviceAccount: string): string {
  return `${serviceAccount}-mesh-tls`;
}

function issueCertificate(request: CertificateRequest, issuerRef: { name: string; kind: string }): WorkloadCertificate {
  const secretName = secretNameOf(request.name);
  new Certificate(request.scope, 'certificate', {
    metadata: { name: `${request.name}-mesh`, namespace: request.namespace },
    spec: {
      secretName,
      uris: [request.spiffeId],
      duration: goDuration(request.duration),
      renewBefore: goDuration(request.renewBefore),
      privateKey: {
        algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA,
        size: 256,
        rotationPolicy: CertificateSpecPrivateKeyRotationPolicy.ALWAYS,
      },
      usages: [CertificateSpecUsages.SERVER_AUTH, CertificateSpecUsages.CLIENT_AUTH, CertificateSpecUsages.DIGITAL_SIGNATURE],
      issuerRef: { name: issuerRef.name, kind: issuerRef.kind, group: 'cert-manager.io' },
    },
  });
  return fromSecret(request, secretName);
}

class IssuerSource extends CertificateSource {
  constructor(private readonly name: string, private readonly kind: string) { super(); }
  public _provide(request: CertificateRequest): WorkloadCertificate {
    return issueCertificate(request, { name: this.name, kind: this.kind });
  }
}

class ExistingSecretsSource extends CertificateSource {
  public _provide(request: CertificateRequest): WorkloadCertificate {
    return fromSecret(request, secretNameOf(request.name));
  }
}

/**
 * The csi-driver-spiffe volume attribute that names the group owning the
 * volume's files (cert-manager/csi-driver-spiffe `internal/csi/driver/driver.go`).
 * Without it, or a pod `fsGroup`, the driver writes `tls.key` as root:root with
 * mode 0440 into a 0550 directory (cert-manager/csi-lib `storage/filesystem.go`),
 * which an unprivileged sidecar cannot read.
 */
const CSI_SPIFFE_FS_GROUP = 'spiffe.csi.cert-manager.io/fs-group';

class CsiDriverSpiffeSource extends CertificateSource {
  public _provide(): WorkloadCertificate {
    return {
      volume: (deployment, readerGroup) => kplus.Volume.fromCsi(deployment, 'mesh-certs-volume', 'spiffe.csi.cert-manager.io', {
        name: 'mesh-certs',
        readOnly: true,
        attributes: { [CSI_SPIFFE_FS_GROUP]: String(readerGroup) },
      }),
    };
  }
}

class SelfSignedCaSource extends CertificateSource {
  /** The CA issuer of each mesh using this source, bootstrapped once per mesh. */
  private readonly caIssuers = new WeakMap<Construct, string>();
  constructor(private readonly options: SelfSignedCaOptions) { super(); }

  public get _meshPrivateCa(): boolean {
    return true;
  }

  public _provide(request: CertificateRequest, meshScope: Construct): WorkloadCertificate {
    let caIssuer = this.caIssuers.get(meshScope);
    if (!caIssuer) {
      caIssuer = this.bootstrap(meshScope);
      this.caIssuers.set(meshScope, caIssuer);
    }
    return issueCertificate(request, { name: caIssuer, kind: 'ClusterIssuer' });
  }

  public _validate(meshScope: Construct): string[] {
    const errors: string[] = [];
    const namespace = this.options.namespace ?? 'cert-manager';
    const nsError = invalidDnsLabel(namespace);
    if (nsError) errors.push(`selfSignedCa namespace ${nsError}`);
    const hours = (this.options.duration ?? Duration.days(365)).toHours({ integral: false });
    if (!(hours >= 1 && hours * 3_600_000 <= MAX_GO_DURATION_MS)) {
      errors.push(`selfSignedCa duration ${hours}h is invalid: cert-manager needs at least 1 hour, and a CA should outlive its leaves by far (default 365 days), and at most 292 years (cert-manager parses Go durations)`);
    }
    const idError = invalidDnsLabel(meshScope.node.id, 50);
    if (idError) errors.push(`the mesh's construct id names its CA issuers (cluster-wide): ${idError}`);
    const twins = meshScope.node.root.node.findAll().filter(c => c !== meshScope && c.node.id === meshScope.node.id
      && (c as any).certificates instanceof SelfSignedCaSource);
    if (twins.length > 0) {
      errors.push(`mesh ${twins[0].node.path} has the same construct id and also bootstraps a CA: the cluster-wide issuers '${meshScope.node.id}-ca' would collide; give the meshes different ids`);
    }
    return errors;
  }

  /** The self-signed issuer, the CA certificate and the CA issuer, created once per mesh. */
  private bootstrap(meshScope: Construct): string {
    const prefix = meshScope.node.id;
    const selfSigned = clusterScoped(new ClusterIssuer(meshScope, 'selfsigned-issuer', {
      metadata: { name: `${prefix}-selfsigned` },
      spec: { selfSigned: {} },
    }));
    new Certificate(meshScope, 'ca-certificate', {
      metadata: { name: `${prefix}-ca`, namespace: this.options.namespace ?? 'cert-manager' },
      spec: {
        isCa: true,
        commonName: `${prefix} CA`,
        secretName: `${prefix}-ca`,
        duration: goDuration(this.options.duration ?? Duration.days(365)),
        privateKey: { algorithm: CertificateSpecPrivateKeyAlgorithm.ECDSA, size: 256 },
        issuerRef: { name: selfSigned.name, kind: 'ClusterIssuer', group: 'cert-manager.io' },
      },
    });
    const ca = clusterScoped(new ClusterIssuer(meshScope, 'ca-issuer', {
      metadata: { name: `${prefix}-ca` },
      spec: { ca: { secretName: `${prefix}-ca` } },
    }));
    return ca.name;
  }
}

/** Drops the namespace a chart gives every object: cluster-scoped objects have none. */
function clusterScoped<T extends ApiObject>(object: T): T {
  object.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  return object;
}
