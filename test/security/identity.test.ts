import * as fs from 'fs';
import * as path from 'path';
import * as kplus from 'cdk8s-plus-27';
import { canRead, driverFsGroup, layOutVolume, processIdentity } from './csi-driver-layout';
import { CertificateSource, Mesh, MeshService, TrustBundle } from '../../src';
import { containerNamed, envoyConfigOf, newChart, objectsOf, outputProblems, podSpecOf, synth, synthError, TEST_MESH } from '../helpers';

describe('workload identity', () => {
  test('csi-driver-spiffe: each pod gets a certificate for its own ServiceAccount from the CSI driver; no Certificate to forge', () => {
    const chart = newChart();
    const mesh = new Mesh(chart, 'mesh', { certificates: CertificateSource.csiDriverSpiffe(), trustDomain: 'shop.example.com' });
    const orders = new MeshService(chart, 'orders', { mesh, image: 'example/orders:1.0.0', port: 8080 });
    new MeshService(chart, 'users', { mesh, image: 'example/users:1.0.0', port: 3000 }).callTo(orders);
    const manifests = synth(chart);
    expect(objectsOf(manifests, 'Certificate')).toEqual([]);
    const pod = podSpecOf(manifests, 'orders-v1');
    const volume = pod.volumes.find((v: any) => v.csi);
    expect(volume.csi).toMatchObject({ driver: 'spiffe.csi.cert-manager.io', readOnly: true });
    expect(containerNamed(pod, 'envoy').volumeMounts).toContainEqual({ mountPath: '/etc/mesh/certs', name: volume.name, readOnly: true });
    expect(outputProblems(manifests)).toEqual([]); // restricted Pod Security allows CSI volumes
  });

  test('csi-driver-spiffe: the sidecar can read its key as the driver lays the files out; without the fs-group attribute it could not', () => {
    const chart = newChart();
    const mesh = new Mesh(chart, 'mesh', { certificates: CertificateSource.csiDriverSpiffe() });
    new MeshService(chart, 'orders', { mesh, image: 'example/orders:1.0.0', port: 8080 });
    const pod = podSpecOf(synth(chart), 'orders-v1');
    const volume = pod.volumes.find((v: any) => v.csi);
    const envoy = containerNamed(pod, 'envoy');
    const mount = envoy.volumeMounts.find((m: any) => m.name === volume.name);
    expect(mount.mountPath).toBe('/etc/mesh/certs');
    const sidecar = processIdentity(envoy, pod);
    const readable = (fsGroup: number | undefined) => {
      const dir = layOutVolume(fsGroup);
      try {
        return ['tls.crt', 'tls.key', 'ca.crt'].map(file => canRead(path.join(dir, file), sidecar));
      } finally {
        fs.rmSync(path.dirname(dir), { recursive: true, force: true });
      }
    };
    expect(readable(driverFsGroup(volume, pod))).toEqual([true, true, true]);
    // What the driver did before the attribute was set: root-owned 0440 files in a 0550 directory.
    const { volumeAttributes: _attributes, ...withoutAttributes } = volume.csi;
    expect(driverFsGroup({ csi: withoutAttributes }, pod)).toBeUndefined();
    expect(readable(undefined)).toEqual([false, false, false]);
    // Another user of the node's group 0 or of no group reads nothing either way.
    const dir = layOutVolume(driverFsGroup(volume, pod));
    try {
      expect(canRead(path.join(dir, 'tls.key'), { uid: 1000, gid: 1000, groups: [] })).toBe(false);
    } finally {
      fs.rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  });

  test('two adopted Deployments that share a ServiceAccount share one Certificate', () => {
    const chart = newChart();
    const mesh = new Mesh(chart, 'mesh', TEST_MESH);
    const account = new kplus.ServiceAccount(chart, 'shared', { metadata: { name: 'legacy' } });
    for (const name of ['billing', 'invoices']) {
      const deployment = new kplus.Deployment(chart, `${name}-deployment`, { metadata: { name: `${name}-app` }, serviceAccount: account });
      deployment.addContainer({
        name: 'app', image: `example/${name}:1.0.0`, portNumber: 8080, securityContext: { capabilities: { drop: ['ALL' as kplus.Capability] } },
      });
      new MeshService(chart, name, { mesh, deployment, port: 8080 });
    }
    const manifests = synth(chart);
    expect(objectsOf(manifests, 'Certificate').filter(c => c.metadata.name === 'legacy-mesh')).toHaveLength(1);
    expect(outputProblems(manifests)).toEqual([]);
  });

  test('a trust bundle replaces each workload\'s own ca.crt, so old and new CAs can be trusted during a rotation', () => {
    const chart = newChart();
    const mesh = new Mesh(chart, 'mesh', { ...TEST_MESH, trustBundle: TrustBundle.fromConfigMap('mesh-trust', 'bundle.pem') });
    const orders = new MeshService(chart, 'orders', { mesh, image: 'example/orders:1.0.0', port: 8080 });
    new MeshService(chart, 'users', { mesh, image: 'example/users:1.0.0', port: 3000 }).callTo(orders);
    const manifests = synth(chart);
    const configMap = manifests.find(m => m.kind === 'ConfigMap' && m.metadata.name === 'orders-envoy');
    expect(JSON.parse(configMap.data['sds-ca.json']).resources[0].validation_context.trusted_ca.filename).toBe('/etc/mesh/trust/ca.crt');
    const inbound = envoyConfigOf(manifests, 'orders').static_resources.listeners.find((l: any) => l.name === 'inbound');
    const ca = inbound.filter_chains[0].transport_socket.typed_config.common_tls_context.validation_context_sds_secret_config;
    expect(ca.sds_config.path_config_source.watched_directory.path).toBe('/etc/mesh/trust'); // re-read when trust-manager updates it
    const pod = podSpecOf(manifests, 'orders-v1');
    const volume = pod.volumes.find((v: any) => v.configMap?.name === 'mesh-trust');
    expect(volume.configMap.items).toEqual([{ key: 'bundle.pem', path: 'ca.crt' }]);
    expect(containerNamed(pod, 'envoy').volumeMounts).toContainEqual({ mountPath: '/etc/mesh/trust', name: volume.name, readOnly: true });
    expect(outputProblems(manifests)).toEqual([]);
  });

  test('a trust bundle with an invalid name is refused', () => {
    const chart = newChart();
    new Mesh(chart, 'mesh', { ...TEST_MESH, trustBundle: TrustBundle.fromConfigMap('Mesh Trust') });
    expect(synthError(chart)).toMatch(/trustBundle ConfigMap name 'Mesh Trust' is not a valid Kubernetes name/);
  });
});
