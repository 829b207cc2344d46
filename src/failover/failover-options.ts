import { Duration } from 'cdk8s';
import { Backup } from './backup';
import { CircuitBreaker } from './circuit-breaker';
import { FaultInjection } from './fault-injection';
import { HealthCheck } from './health-check';
import { OutlierDetection } from './outlier-detection';
import { Retry } from './retry';

/** The failover settings of a `FailoverPolicy`. */
export interface FailoverOptions {
  /**
   * Retries of failed requests.
   * @default - no retries
   */
  readonly retry?: Retry;
  /**
   * Time a request may take, all retries included.
   * @default - Envoy's 15 seconds
   */
  readonly timeout?: Duration;
  /**
   * Time a request stream may stay idle.
   * @default - Envoy's default (5 minutes)
   */
  readonly idleTimeout?: Duration;
  /**
   * Ejection of failing hosts.
   * @default - none
   */
  readonly outlierDetection?: OutlierDetection;
  /**
   * Limits on connections, requests and retries.
   * @default - Envoy's defaults (1024 connections, pending and active requests; 3 retries)
   */
  readonly circuitBreaker?: CircuitBreaker;
  /**
   * Active health checks of every host.
   * @default - none
   */
  readonly healthCheck?: HealthCheck;
  /**
   * Where traffic goes when no host of the service is healthy.
   * @default - no backup
   */
  readonly backup?: Backup;
  /**
   * Faults injected for resilience testing.
   * @default - none
   */
  readonly fault?: FaultInjection;
}
