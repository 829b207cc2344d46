import { Mesh, MeshService } from '../../../src';
import { ENVOY_RELEASE_IMAGE } from '../../../src/engines/envoy/image';
import { newChart, podSpecOf, synth, TEST_MESH } from '../../helpers';

/* eslint-disable @typescript-eslint/no-explicit-any -- pod specs are plain JSON */

function envoyContainer(nativeSidecars: boolean, envoyImage?: string): any {
  const chart = newChart();
  const mesh = new Mesh(chart, 'mesh', { ...TEST_MESH, nativeSidecars, envoyImage });
  new MeshService(chart, 'orders', { mesh, image: 'example/orders:1.0.0', port: 8080 });
  const pod = podSpecOf(synth(chart), 'orders-v1');
  return [...(pod.initContainers ?? []), ...pod.containers].find((c: any) => c.name === 'envoy');
}

test('the default sidecar image is the pinned Envoy release, pulled only when the node lacks it', () => {
  expect(ENVOY_RELEASE_IMAGE).toBe('envoyproxy/envoy:v1.39.3');
  expect(Mesh.DEFAULT_ENVOY_IMAGE).toBe(ENVOY_RELEASE_IMAGE);
  for (const native of [false, true]) {
    expect(envoyContainer(native)).toMatchObject({ image: ENVOY_RELEASE_IMAGE, imagePullPolicy: 'IfNotPresent' });
  }
});

test('an image the mesh names (a tag or a digest) is pulled IfNotPresent too', () => {
  const digest = `envoyproxy/envoy@sha256:${'a'.repeat(64)}`;
  expect(envoyContainer(false, digest)).toMatchObject({ image: digest, imagePullPolicy: 'IfNotPresent' });
});
