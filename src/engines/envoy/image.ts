/** The Envoy release every sidecar runs unless the mesh names another image. */
export const ENVOY_RELEASE_IMAGE = 'envoyproxy/envoy:v1.32.3';
