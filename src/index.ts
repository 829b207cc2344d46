export { Mesh, MeshProps, SidecarPorts } from './mesh';
export { MeshService, MeshServiceProps, InstancePoolOptions } from './mesh-service';
export {
  LoadBalancer, LeastRequestOptions, RingHashOptions, MaglevOptions, HashKey, CookieHashOptions,
} from './load-balancer';
export { Protocol } from './protocol';
export { AddressFormat, CallOptions } from './call-options';
