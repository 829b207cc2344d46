import * as kplus from 'cdk8s-plus-27';
import { HashKey, LoadBalancer, Mesh, MeshService, Protocol, RingHashOptions } from '../../src';
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
  }, [/\[test\/order-service\]/, /instance pool 'large': weight 0 is invalid: use an integer of at least 1/]],
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
  ['neither image nor deployment', () => {
    const chart = newChart();
    new MeshService(chart, 'orders', { mesh: new Mesh(chart, 'mesh', TEST_MESH), port: 8080 });
    return chart;
  }, [/give exactly one of image .* or deployment/]],
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
];

