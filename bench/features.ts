/**
 * Feature switches of the mesh benchmarks (no library imports, so bench/run.ts
 * stays light); `--features=` on bench/run.ts overrides the defaults. The
 * features in effect are recorded in BENCHMARKS.md.
 */
export interface BenchFeatures {
  /** Every mesh service gets a `MonitoredWorkload` (PodMonitor and PrometheusRule). */
  monitoring: boolean;
  /** STRICT mTLS with a bootstrapped mesh CA: a Certificate per service, TLS and RBAC in every sidecar. */
  mtls: boolean;
}

/** The features of a run without `--features`. */
export const DEFAULT_FEATURES: BenchFeatures = { monitoring: true, mtls: true };

/**
 * Retry amplification: every service gets `attempts: 2`, so the worst path
 * through the mesh (the chain i -> i+1 -> ... is up to N-1 hops long)
 * amplifies by 2^(N-1): 2^999 at N = 1000, above any finite "high" limit such
 * as 1e9. The bench therefore gives the Mesh an infinite limit: the
 * whole-graph analysis still runs (and is timed), it only never reports.
 */
export const MAX_RETRY_AMPLIFICATION = Number.POSITIVE_INFINITY;
