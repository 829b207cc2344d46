import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { EdgePeer, HashKey, LoadBalancer, Mesh, MeshService, Protocol, RingHashOptions, Tracing } from '../../src';
import { newChart, TEST_MESH } from '../helpers';
import { BadInput } from './bad-input';

export function twoServices() {
  const chart = newChart();
  const mesh = new Mesh(chart, 'mesh', TEST_MESH);
  const orders = new MeshService(chart, 'order-service', { mesh, image: 'example/orders:1.0.0', port: 8080 });
  const users = new MeshService(chart, 'user-service', { mesh, image: 'example/users:1.0.0', port: 3000 });
  return { chart, mesh, orders, users };
}

/** Each case builds an invalid mesh; the error must name the construct path, the value and a fix. */
/** Bad input of meshes, services, calls and load balancers. */
export const FOUNDATION_CASES: BadInput[] = [
  ['an invalid DNS name', () => {
    const chart = newChart();
    new MeshService(chart, 'orders', { mesh: new Mesh(chart, 'mesh', TEST_MESH), name: 'Order_Service', image: 'a:1', port: 8080 });
    return chart;
  }, [/\[test\/orders\]/, /'Order_Service' is not a valid DNS label/, /lower-case letters/]],
  ['an application port that collides with a sidecar port', () => {
    const chart = newChart();
    new MeshService(chart, 'orders', { mesh: new Mesh(chart, 'mesh', TEST_MESH), image: 'a:1', port: 15006 });
    return chart;
  }, [/\[test\/orders\]/, /port 15006 collides with the sidecar's inbound port/]],
  ['an invalid port', () => {
    const chart = newChart();
    new MeshService(chart, 'orders', { mesh: new Mesh(chart, 'mesh', TEST_MESH), image: 'a:1', port: 70000 });
    return chart;
  }, [/port 70000 is not a valid port: use an integer from 1 to 65535/]],
  ['an application port (appPort) that is not a port', () => {
    const chart = newChart();
    new MeshService(chart, 'orders', { mesh: new Mesh(chart, 'mesh', TEST_MESH), image: 'a:1', port: 80, appPort: 0 });
    return chart;
  }, [/\[test\/orders\]/, /appPort 0 is not a valid port: use an integer from 1 to 65535/]],
  ['an application port (appPort) that collides with a sidecar port', () => {
    const chart = newChart();
    new MeshService(chart, 'orders', { mesh: new Mesh(chart, 'mesh', TEST_MESH), image: 'a:1', port: 80, appPort: 15000 });
    return chart;
  }, [/appPort 15000 collides with the sidecar's admin port: use another appPort/]],
  ["an upstream's port equal to the caller's appPort", () => {
    const { chart, mesh } = twoServices();
    const caller = new MeshService(chart, 'gateway', { mesh, image: 'g:1', port: 80, appPort: 8080 });
    caller.callTo(new MeshService(chart, 'billing', { mesh, image: 'b:1', port: 8080 }));
    return chart;
  }, [/\[test\/gateway\]/, /the upstream's port 8080 is also the port this application listens on/, /pass localPort/]],
  ['an edge port equal to the service port', () => {
    const { chart, orders } = twoServices();
    const gateway = new MeshService(chart, 'gateway', { mesh: orders.mesh, image: 'g:1', port: 80, appPort: 8080 });
    gateway.exposeTo(EdgePeer.namespace('ingress-nginx'), { port: 80 });
    return chart;
  }, [/exposeTo\(namespace ingress-nginx\) on port 80: the port is already the service port/]],
  ['an adopted StatefulSet without a service account of its own', () => {
    const chart = newChart();
    const statefulSet = new kplus.StatefulSet(chart, 'queue-statefulset', { containers: [{ image: 'example/queue:2.4.0', portNumber: 5672 }] });
    new MeshService(chart, 'queue', { mesh: new Mesh(chart, 'mesh', TEST_MESH), statefulSet, port: 5672 });
    return chart;
  }, [/\[test\/queue\]/, /the adopted StatefulSet has no serviceAccount: give it one of its own/]],
  ['both an image and a StatefulSet', () => {
    const chart = newChart();
    const statefulSet = new kplus.StatefulSet(chart, 'queue-statefulset', { containers: [{ image: 'example/queue:2.4.0', portNumber: 5672 }] });
    new MeshService(chart, 'queue', { mesh: new Mesh(chart, 'mesh', TEST_MESH), statefulSet, image: 'example/queue:2.4.0', port: 5672 });
    return chart;
  }, [/give exactly one of image \(a Deployment is created\), deployment or statefulSet/]],
  ['a trace collector that is not a DNS name', () => {
    const chart = newChart();
    new Mesh(chart, 'mesh', { ...TEST_MESH, tracing: Tracing.openTelemetry({ collectorHost: 'http://collector:4317' }) });
    return chart;
  }, [/\[test\/mesh\]/, /tracing collectorHost 'http:\/\/collector:4317' is not a DNS name/]],
  ['a trace sampling percentage above 100', () => {
    const chart = newChart();
    new Mesh(chart, 'mesh', { ...TEST_MESH, tracing: Tracing.openTelemetry({ collectorHost: 'otel-collector.observability', samplingPercent: 150 }) });
    return chart;
  }, [/tracing samplingPercent 150 is invalid: use a percentage from 0 to 100/]],
  ['the same upstream declared twice', () => {
    const { chart, users, orders } = twoServices();
    users.callTo(orders);
    users.callTo(orders);
    return chart;
  }, [/\[test\/user-service\]/, /callTo\(test\/order-service\) is declared more than once/]],
  ['calling a service of another mesh', () => {
    const { chart, users } = twoServices();
    const other = new Mesh(chart, 'other-mesh', TEST_MESH);
    users.callTo(new MeshService(chart, 'billing', { mesh: other, image: 'b:1', port: 9090 }));
    return chart;
  }, [/\[test\/user-service\]/, /belongs to mesh test\/other-mesh, not test\/mesh/]],
  ['a service calling itself', () => {
    const { chart, users } = twoServices();
    users.callTo(users);
    return chart;
  }, [/a service cannot call itself/]],
  ['an upstream port equal to the caller application port', () => {
    const { chart, mesh, users } = twoServices();
    users.callTo(new MeshService(chart, 'billing', { mesh, image: 'b:1', port: 3000 }));
    return chart;
  }, [/the upstream's port 3000 is also the port this application listens on/, /pass localPort/]],
  ['a ring hash without a key', () => {
    const chart = newChart();
    new MeshService(chart, 'orders', {
      mesh: new Mesh(chart, 'mesh', TEST_MESH),
      image: 'a:1',
      port: 8080,
      loadBalancer: LoadBalancer.ringHash({} as RingHashOptions),
    });
    return chart;
  }, [/\[test\/orders\]/, /ringHash load balancer has no key: pass key: HashKey.header/]],
  ['a maglev without a key', () => {
    const chart = newChart();
    new MeshService(chart, 'orders', {
      mesh: new Mesh(chart, 'mesh', TEST_MESH),
      image: 'a:1',
      port: 8080,
      loadBalancer: LoadBalancer.maglev({} as RingHashOptions),
    });
    return chart;
  }, [/maglev load balancer has no key/]],
  ['a header hash on a TCP service', () => {
    const chart = newChart();
    new MeshService(chart, 'db', {
      mesh: new Mesh(chart, 'mesh', TEST_MESH),
      image: 'a:1',
      port: 5432,
      protocol: Protocol.TCP,
      loadBalancer: LoadBalancer.ringHash({ key: HashKey.header('x-user') }),
    });
    return chart;
  }, [/the upstream speaks TCP: use HashKey.sourceIp\(\)/]],
  ['a malformed image', () => {
    const chart = newChart();
    new MeshService(chart, 'orders', { mesh: new Mesh(chart, 'mesh', TEST_MESH), image: 'registry.example.com/orders:1.0 \nlatest', port: 8080 });
    return chart;
  }, [/image "registry.example.com\/orders:1.0 \\nlatest" is not a container image reference/]],
  ['a negative resource quantity', () => {
    const chart = newChart();
    const resources = { cpu: { request: kplus.Cpu.millis(-100) } };
    new MeshService(chart, 'orders', { mesh: new Mesh(chart, 'mesh', TEST_MESH), image: 'a:1', port: 8080, resources });
    return chart;
  }, [/\[test\/orders\] resources\.cpu\.request CPU -100m is invalid: use Cpu\.millis\(\) with a whole number/]],
  ['an address variable that would overwrite PATH', () => {
    const chart = newChart();
    const mesh = new Mesh(chart, 'mesh', TEST_MESH);
    const orders = new MeshService(chart, 'orders', { mesh, image: 'a:1', port: 8080 });
    new MeshService(chart, 'users', { mesh, image: 'a:1', port: 3000 }).callTo(orders, { addressVariable: 'PATH' });
    return chart;
  }, [/addressVariable 'PATH' would overwrite a variable the system or Kubernetes sets/]],
  ['an address variable the application sets itself', () => {
    const chart = newChart();
    const mesh = new Mesh(chart, 'mesh', TEST_MESH);
    const orders = new MeshService(chart, 'orders', { mesh, image: 'a:1', port: 8080 });
    const envVariables = { ORDERS_URL: kplus.EnvValue.fromValue('http://orders.legacy:80') };
    new MeshService(chart, 'users', { mesh, image: 'a:1', port: 3000, envVariables }).callTo(orders);
    return chart;
  }, [/environment variable ORDERS_URL, which tells the application where orders is, is also set in envVariables/]],
  ['a drain longer than the termination grace period', () => {
    const chart = newChart();
    new MeshService(chart, 'orders', { mesh: new Mesh(chart, 'mesh', { ...TEST_MESH, drainDuration: Duration.seconds(45) }), image: 'a:1', port: 8080 });
    return chart;
  }, [/the mesh's drainDuration of 45s is not shorter than the pods' termination grace period of 30s/]],
  ['a cookie path that would add cookie attributes', () => {
    const chart = newChart();
    new MeshService(chart, 'orders', {
      mesh: new Mesh(chart, 'mesh', TEST_MESH),
      image: 'a:1',
      port: 8080,
      loadBalancer: LoadBalancer.ringHash({ key: HashKey.cookie('session', { path: '/; Domain=evil.example' }) }),
    });
    return chart;
  }, [/hash key cookie path "\/; Domain=evil.example" is invalid/]],
  ['an invalid header name', () => {
    const chart = newChart();
    new MeshService(chart, 'orders', {
      mesh: new Mesh(chart, 'mesh', TEST_MESH),
      image: 'a:1',
      port: 8080,
      loadBalancer: LoadBalancer.maglev({ key: HashKey.header('x user') }),
    });
    return chart;
  }, [/header name 'x user' is not a valid HTTP header name/]],
  ['a maglev table size that is not prime', () => {
    const chart = newChart();
    new MeshService(chart, 'orders', {
      mesh: new Mesh(chart, 'mesh', TEST_MESH),
      image: 'a:1',
      port: 8080,
      loadBalancer: LoadBalancer.maglev({ key: HashKey.sourceIp(), tableSize: 1000 }),
    });
    return chart;
  }, [/maglev tableSize 1000 is invalid: use a prime number/]],
  ['ring sizes out of order', () => {
    const chart = newChart();
    new MeshService(chart, 'orders', {
      mesh: new Mesh(chart, 'mesh', TEST_MESH),
      image: 'a:1',
      port: 8080,
      loadBalancer: LoadBalancer.ringHash({ key: HashKey.sourceIp(), minimumRingSize: 4096, maximumRingSize: 1024 }),
    });
    return chart;
  }, [/ring sizes 4096..1024 are invalid/]],
  ['choiceCount below 2', () => {
    const chart = newChart();
    new MeshService(chart, 'orders', {
      mesh: new Mesh(chart, 'mesh', TEST_MESH),
      image: 'a:1',
      port: 8080,
      loadBalancer: LoadBalancer.leastRequest({ choiceCount: 1 }),
    });
    return chart;
  }, [/\[test\/orders\]/, /leastRequest choiceCount 1 is invalid: use an integer of at least 2/]],
  ['an invalid per-caller load balancer', () => {
    const { chart, users, orders } = twoServices();
    users.callTo(orders, { loadBalancer: LoadBalancer.leastRequest({ choiceCount: 0 }) });
    return chart;
  }, [/\[test\/user-service\]/, /callTo\(test\/order-service\) loadBalancer: leastRequest choiceCount 0/]],
  ['a pool weight of zero', () => {
    const { chart, orders } = twoServices();
    orders.addInstancePool('large', { weight: 0 });
    return chart;
  }, [/\[test\/order-service\]/, /instance pool 'large': weight 0 is invalid: use an integer from 1 to 4294967295/]],
  ['a negative main weight', () => {
    const chart = newChart();
    new MeshService(chart, 'orders', { mesh: new Mesh(chart, 'mesh', TEST_MESH), image: 'a:1', port: 8080, weight: -2 });
    return chart;
  }, [/version 'v1': weight -2 is invalid/]],
  ['an unpinned Envoy image', () => {
    const chart = newChart();
    new Mesh(chart, 'mesh', { ...TEST_MESH, envoyImage: 'envoyproxy/envoy:latest' });
    return chart;
  }, [/\[test\/mesh\]/, /envoyImage 'envoyproxy\/envoy:latest' is not pinned/]],
  ['sidecar ports that collide', () => {
    const chart = newChart();
    new Mesh(chart, 'mesh', { ...TEST_MESH, ports: { inbound: 15090 } });
    return chart;
  }, [/must be three different ports/]],
  ['two services claiming one Kubernetes name', () => {
    const { chart, mesh } = twoServices();
    new MeshService(chart, 'orders-again', { mesh, name: 'order-service', image: 'a:1', port: 8080 });
    return chart;
  }, [/Kubernetes name 'shop\/order-service' is claimed by both test\/order-service and test\/orders-again/]],
  ['neither image, deployment nor statefulSet', () => {
    const chart = newChart();
    new MeshService(chart, 'orders', { mesh: new Mesh(chart, 'mesh', TEST_MESH), port: 8080 });
    return chart;
  }, [/give exactly one of image .*, deployment or statefulSet/]],
  ['an adopted Deployment without a service account', () => {
    const chart = newChart();
    const deployment = new kplus.Deployment(chart, 'legacy', { containers: [{ image: 'legacy:1', portNumber: 7000 }] });
    new MeshService(chart, 'orders', { mesh: new Mesh(chart, 'mesh', TEST_MESH), deployment, port: 7000 });
    return chart;
  }, [/the adopted Deployment has no serviceAccount/]],
  ['an invalid address variable', () => {
    const { chart, users, orders } = twoServices();
    users.callTo(orders, { addressVariable: '1-ORDERS' });
    return chart;
  }, [/addressVariable '1-ORDERS' is not a valid environment variable name/]],
  ['a version name that is not a DNS label', () => {
    const chart = newChart();
    new MeshService(chart, 'orders', { mesh: new Mesh(chart, 'mesh', TEST_MESH), image: 'a:1', port: 8080, version: 'V1.0' });
    return chart;
  }, [/version 'V1.0': 'V1.0' is not a valid DNS label/]],
  ['a version declared twice', () => {
    const { chart, orders } = twoServices();
    orders.addVersion('v2');
    orders.addVersion('v2');
    return chart;
  }, [/\[test\/order-service\] version 'v2' is declared twice: give it another name/]],
  ['an instance pool of an adopted Deployment', () => {
    const chart = newChart();
    const serviceAccount = new kplus.ServiceAccount(chart, 'legacy-sa', { metadata: { name: 'legacy' } });
    const deployment = new kplus.Deployment(chart, 'legacy-deployment', { serviceAccount, containers: [{ image: 'legacy:1', portNumber: 7000 }] });
    new MeshService(chart, 'legacy', { mesh: new Mesh(chart, 'mesh', TEST_MESH), deployment, port: 7000 }).addInstancePool('large', { weight: 2 });
    return chart;
  }, [/instance pool 'large': instance pools need the image of a Deployment created by the mesh/]],
  ['a version and a pool with the same Kubernetes name', () => {
    const { chart, orders } = twoServices();
    orders.addVersion('v1-large');
    orders.addInstancePool('large', { weight: 2 });
    return chart;
  }, [/Kubernetes name 'shop\/order-service-v1-large' is claimed twice by test\/order-service/]],
  ['a weight above the uint32 range', () => {
    const { chart, orders } = twoServices();
    orders.addInstancePool('large', { weight: 2 ** 32 });
    return chart;
  }, [/weight 4294967296 is invalid: use an integer from 1 to 4294967295/]],
  ['two upstreams with the same name in different namespaces', () => {
    const { chart, mesh, users } = twoServices();
    users.callTo(new MeshService(chart, 'billing-a', { mesh, name: 'billing', namespace: 'a', image: 'b:1', port: 9090 }));
    users.callTo(new MeshService(chart, 'billing-b', { mesh, name: 'billing', namespace: 'b', image: 'b:1', port: 9091 }));
    return chart;
  }, [/callTo\(test\/billing-b\): this service also calls test\/billing-a, another service named 'billing'/]],
  ['two calls that set the same environment variable', () => {
    const { chart, mesh, users, orders } = twoServices();
    users.callTo(orders, { addressVariable: 'BACKEND' });
    users.callTo(new MeshService(chart, 'billing', { mesh, image: 'b:1', port: 9090 }), { addressVariable: 'BACKEND' });
    return chart;
  }, [/callTo\(test\/billing\): environment variable BACKEND is also set for test\/order-service: pass another addressVariable/]],
  ['a drain duration that is not whole seconds', () => {
    const chart = newChart();
    new Mesh(chart, 'mesh', { ...TEST_MESH, drainDuration: Duration.millis(1500) });
    return chart;
  }, [/drainDuration 1.5s is invalid: use a whole number of seconds, at least 1/]],
  ['a monitoring namespace that is not a DNS label', () => {
    const chart = newChart();
    new Mesh(chart, 'mesh', { ...TEST_MESH, monitoringNamespace: 'Monitoring' });
    return chart;
  }, [/monitoringNamespace 'Monitoring' is not a valid DNS label/]],
  ['a retry amplification limit below 1', () => {
    const chart = newChart();
    new Mesh(chart, 'mesh', { ...TEST_MESH, maxRetryAmplification: 0.5 });
    return chart;
  }, [/maxRetryAmplification 0.5 is invalid: use a number of at least 1/]],
  ['a negative number of replicas in an instance pool', () => {
    const { chart, orders } = twoServices();
    orders.addInstancePool('large', { weight: 2, replicas: -1 });
    return chart;
  }, [/instance pool 'large': replicas -1 is invalid: use a non-negative integer/]],
  ['a sidecar CPU limit below zero', () => {
    const chart = newChart();
    new Mesh(chart, 'mesh', { ...TEST_MESH, sidecarResources: { cpu: { limit: kplus.Cpu.millis(-1) } } });
    return chart;
  }, [/\[test\/mesh\] sidecarResources\.cpu\.limit CPU -1m is invalid: use Cpu\.millis\(\) with a whole number from 0/]],
  ['a memory size that is not whole mebibytes', () => {
    const chart = newChart();
    new Mesh(chart, 'mesh', { ...TEST_MESH, sidecarResources: { memory: { limit: Size.kibibytes(1536) } } });
    return chart;
  }, [/\[test\/mesh\] sidecarResources\.memory\.limit memory of 1\.5 MiB is invalid: use a whole number of mebibytes/]],
  ['a CPU request above its limit', () => {
    const chart = newChart();
    new Mesh(chart, 'mesh', { ...TEST_MESH, sidecarResources: { cpu: { request: kplus.Cpu.units(2), limit: kplus.Cpu.millis(500) } } });
    return chart;
  }, [/\[test\/mesh\] sidecarResources cpu request 2 is above its limit 500m, which Kubernetes refuses/]],
  ['a certificate duration that is not a number', () => {
    const chart = newChart();
    new Mesh(chart, 'mesh', { ...TEST_MESH, certificateDuration: Duration.hours(NaN) });
    return chart;
  }, [/\[test\/mesh\] certificateDuration duration NaNms is invalid: use a finite duration/]],
  ['a certificate duration beyond what Go durations hold', () => {
    const chart = newChart();
    new Mesh(chart, 'mesh', { ...TEST_MESH, certificateDuration: Duration.days(365 * 300) });
    return chart;
  }, [/\[test\/mesh\] certificateDuration 157680000m .* at most 292 years/]],
  ['a trace collector named like an upstream', () => {
    const chart = newChart();
    const mesh = new Mesh(chart, 'mesh', { ...TEST_MESH, tracing: Tracing.openTelemetry({ collectorHost: 'orders' }) });
    const orders = new MeshService(chart, 'orders', { mesh, image: 'example/orders:1.0.0', port: 8080 });
    new MeshService(chart, 'users', { mesh, image: 'example/users:1.0.0', port: 3000 }).callTo(orders);
    return chart;
  }, [/\[test\/users\] the mesh's tracing collectorHost 'orders' is also a name this service's pods resolve to their own sidecar \(for orders\)/]],
];

