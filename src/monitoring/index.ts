/** Prometheus rules and a Grafana dashboard for the mesh, as plain objects. Not part of the jsii API. */
export * from './types';
export * from './metrics';
export * from './buckets';
export * from './recording-rules';
export * from './alerts';
export * from './slo';
export * from './dashboard';
