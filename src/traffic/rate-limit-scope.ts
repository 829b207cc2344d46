/** What a rate limit's figure counts. */
export enum RateLimitScope {
  /**
   * Each pod's sidecar admits `requests` per interval: the service as a
   * whole admits that many times its number of pods.
   */
  PER_POD = 'PER_POD',
  /**
   * The service as a whole admits about `requests` per interval: each pod
   * admits `requests` divided by the service's replicas (all versions and
   * pools), rounded down. The division happens at synth: a HorizontalPodAutoscaler
   * that changes the replicas changes the service's figure. A service
   * with 0 replicas has no pod to divide the figure among, and is refused.
   */
  SERVICE = 'SERVICE',
}
