import { Testing, Yaml } from 'cdk8s';
import { envoyConfigOf, containerNamed, objectsOf, outputProblems, podSpecOf } from './helpers';
import { ShopChart } from '../examples/shop/shop';

function synthShop(): any[] {
  return Testing.synth(new ShopChart(Testing.app(), 'shop'));
}

describe('examples/shop', () => {
  const manifests = synthShop();

  test('synthesizes byte-identical output twice', () => {
    expect(Yaml.stringify(...synthShop())).toBe(Yaml.stringify(...manifests));
  });

  test('passes the Kubernetes schema, Pod Security and Envoy checks', () => {
    expect(outputProblems(manifests)).toEqual([]);
  });

  test('the user service reaches the order service through its sidecar', () => {
    const alias = podSpecOf(manifests, 'user-service-v1').hostAliases[0];
    expect(alias.hostnames[0]).toBe('order-service');
    const listener = envoyConfigOf(manifests, 'user-service').static_resources.listeners
      .find((l: any) => l.name === 'outbound_order-service');
    expect(listener.address.socket_address).toEqual({ address: alias.ip, port_value: 8080 });
  });

  test('credentials reach the order service only through secretKeyRef', () => {
    const env = containerNamed(podSpecOf(manifests, 'order-service-v1'), 'app').env;
    for (const name of ['USERNAME', 'PASSWORD']) {
      const entry = env.find((e: any) => e.name === name);
      expect(entry.value).toBeUndefined();
      expect(entry.valueFrom.secretKeyRef).toEqual({ name: 'order-db-credentials', key: name.toLowerCase() });
    }
    const secretValues = objectsOf(manifests, 'Secret').flatMap(s => Object.values(s.stringData ?? {})) as string[];
    const elsewhere = JSON.stringify(manifests.filter(m => m.kind !== 'Secret'));
    for (const value of secretValues) expect(elsewhere).not.toContain(value);
  });
});
