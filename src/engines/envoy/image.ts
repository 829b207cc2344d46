/**
 * The Envoy release every sidecar runs unless the mesh names another image:
 * the newest patch of the 1.39 line (v1.39.3, 2026-10-06). Envoy supports a
 * line for 12 months after its .0 release (1.39.0: 2026-07-14), so until about
 * 2027-07-14. docs/ENVOY.md gives the sources and what changed since 1.32.
 */
export const ENVOY_RELEASE_IMAGE = 'envoyproxy/envoy:v1.39.3';
