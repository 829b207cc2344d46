import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { isDnsName } from '../value-checks';

/**
 * The certificate authorities every sidecar trusts, as one PEM bundle
 * distributed to each namespace (for example by trust-manager's `Bundle`).
 * During a CA rotation the bundle holds the old and the new CA, so pods with
 * old and new certificates keep accepting each other.
 */
export abstract class TrustBundle {
  /** A key of a ConfigMap of that name in each mesh namespace, holding the PEM bundle. */
  public static fromConfigMap(name: string, key: string = 'ca.crt'): TrustBundle {
    return new ConfigMapTrustBundle(name, key);
  }

  /** The volume holding the bundle as `ca.crt`, in the pods of a Deployment or StatefulSet. @internal */
  public abstract _volume(deployment: kplus.Workload): kplus.Volume;
  /** Problems with the bundle's reference. @internal */
  public abstract _validate(): string[];
}

class ConfigMapTrustBundle extends TrustBundle {
  constructor(private readonly name: string, private readonly key: string) { super(); }

  public _volume(deployment: kplus.Workload): kplus.Volume {
    const configMap = kplus.ConfigMap.fromConfigMapName(deployment as Construct, 'mesh-trust-bundle', this.name);
    return kplus.Volume.fromConfigMap(deployment, 'mesh-trust-volume', configMap, { name: 'mesh-trust', items: { [this.key]: { path: 'ca.crt' } } });
  }

  public _validate(): string[] {
    return [
      ...(isDnsName(this.name) ? [] : [`trustBundle ConfigMap name '${this.name}' is not a valid Kubernetes name (lower-case DNS subdomain)`]),
      ...(/^[-._a-zA-Z0-9]{1,253}$/.test(this.key) ? [] : [`trustBundle key '${this.key}' is not a valid ConfigMap key (letters, digits, '-', '_' and '.')`]),
    ];
  }
}
