import * as kplus from 'cdk8s-plus-27';
import { Mesh, MeshService, Protocol } from '../../src';
import { newChart, objectNamed, outputProblems, synth, synthError, TEST_MESH } from '../helpers';
import { checkRestrictedPodSecurity } from '../validate/pod-security';

/** An adopted Deployment and StatefulSet whose containers were built without any capabilities setting, as most are. */
function adopted(container: Partial<kplus.ContainerProps> = {}) {
  const chart = newChart();
  const mesh = new Mesh(chart, 'mesh', TEST_MESH);
  const legacy = new kplus.Deployment(chart, 'legacy-deployment', {
    metadata: { name: 'legacy' },
    serviceAccount: new kplus.ServiceAccount(chart, 'legacy-sa', { metadata: { name: 'legacy' } }),
    initContainers: [{ name: 'migrate', image: 'example/legacy:3.1.0', command: ['migrate'] }],
    containers: [
      { name: 'main', image: 'example/legacy:3.1.0', portNumber: 7000, ...container },
      { name: 'helper', image: 'example/helper:1.0.0', securityContext: { capabilities: { drop: ['NET_RAW' as kplus.Capability], add: ['NET_BIND_SERVICE' as kplus.Capability] } } },
    ],
  });
  const queue = new kplus.StatefulSet(chart, 'queue-statefulset', {
    metadata: { name: 'queue' },
    serviceAccount: new kplus.ServiceAccount(chart, 'queue-sa', { metadata: { name: 'queue' } }),
    containers: [{ name: 'broker', image: 'example/queue:2.4.0', portNumber: 5672 }],
  });
  new MeshService(chart, 'legacy', { mesh, deployment: legacy, port: 7000 });
  new MeshService(chart, 'queue', { mesh, statefulSet: queue, port: 5672, protocol: Protocol.TCP });
  return chart;
}

describe('adopted workloads pass Pod Security "restricted"', () => {
  const manifests = synth(adopted());
  const deployment = objectNamed(manifests, 'Deployment', 'legacy').spec.template;
  const statefulSet = objectNamed(manifests, 'StatefulSet', 'queue').spec.template;

  test('as test/validate/pod-security.ts checks them, containers and init containers alike', () => {
    expect(checkRestrictedPodSecurity(deployment.spec, 'Deployment/legacy', deployment.metadata)).toEqual([]);
    expect(checkRestrictedPodSecurity(statefulSet.spec, 'StatefulSet/queue', statefulSet.metadata)).toEqual([]);
    expect(outputProblems(manifests)).toEqual([]);
  });

  test('containers that drop nothing drop ALL; one that drops some keeps them and what it adds', () => {
    const caps = (spec: any, list: string, name: string) => spec[list].find((c: any) => c.name === name).securityContext.capabilities;
    expect(caps(deployment.spec, 'containers', 'main')).toEqual({ drop: ['ALL'] });
    expect(caps(deployment.spec, 'initContainers', 'migrate')).toEqual({ drop: ['ALL'] });
    expect(caps(deployment.spec, 'containers', 'helper')).toEqual({ drop: ['NET_RAW', 'ALL'], add: ['NET_BIND_SERVICE'] });
    expect(caps(statefulSet.spec, 'containers', 'broker')).toEqual({ drop: ['ALL'] });
    expect(deployment.spec.containers.map((c: any) => c.name)).toEqual(['main', 'helper', 'envoy']);
  });
});

describe('what an adopted container sets against the profile is refused, naming the container and the fix', () => {
  test.each<[string, Partial<kplus.ContainerProps>, RegExp]>([
    ['privileged', { securityContext: { privileged: true } }, /container 'main' sets securityContext.privileged: true, which Pod Security "restricted" refuses: remove it/],
    ['privilege escalation', { securityContext: { allowPrivilegeEscalation: true } }, /container 'main' sets securityContext.allowPrivilegeEscalation: true, .*: remove it/],
    ['root allowed', { securityContext: { ensureNonRoot: false } }, /container 'main' sets securityContext.ensureNonRoot: false, .*: remove it/],
    ['root user', { securityContext: { user: 0 } }, /container 'main' sets securityContext.user: 0 \(root\), .*: run as a non-zero user/],
    ['added capabilities', { securityContext: { capabilities: { add: ['NET_ADMIN' as kplus.Capability, 'NET_BIND_SERVICE' as kplus.Capability] } } },
      /container 'main' sets securityContext.capabilities.add \[NET_ADMIN\], .*\(only NET_BIND_SERVICE may be added\): remove them/],
  ])('%s', (_, container, message) => {
    const error = synthError(adopted(container));
    expect(error).toMatch(/\[test\/legacy\] the adopted Deployment legacy: /);
    expect(error).toMatch(message);
  });
});
