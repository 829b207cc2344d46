import { selector } from '../../src/monitoring/promql';
import { ServiceRef } from '../../src/monitoring/types';

/**
 * Synthetic sidecar series for promtool unit tests, one sample a minute,
 * written in promtool's expanding notation (`0+600x30` is 0, 600, ..., 18000).
 */

export type Labels = Record<string, string>;
export interface InputSeries { series: string; values: string }

/** The PodMonitor job the fixtures use. */
export const SIDECAR_JOB = 'mesh/sidecars';

/** The `mesh` label the fixtures' sidecars carry (see `meshLabel`). */
export const MESH = 'shop-mesh';

/** The target labels of one pod's sidecar (prometheus-operator names the `endpoint` after the port), in mesh `mesh`. */
export function sidecar(service: ServiceRef, pod: string, version = 'v1', mesh = MESH): Labels {
  return { namespace: service.namespace, pod, mesh_service: service.name, mesh_version: version, job: SIDECAR_JOB, endpoint: 'stats', mesh };
}

export function series(metric: string, labels: Labels, values: string): InputSeries {
  return { series: selector(metric, labels), values };
}

/** A counter growing by `perMinute` for `minutes`, phase after phase, from 0. */
export function counter(phases: Array<[perMinute: number, minutes: number]>): string {
  let value = 0;
  return phases.map(([perMinute, minutes], i) => {
    const start = i === 0 ? 0 : value + perMinute;
    value += perMinute * minutes;
    return `${start}+${perMinute}x${i === 0 ? minutes : minutes - 1}`;
  }).join(' ');
}

/** A gauge holding `value` for `minutes`, phase after phase; `'stale'` ends the series as a vanished target does. */
export function gauge(phases: Array<[value: number | 'stale', minutes: number]>): string {
  return phases.map(([value, minutes], i) => {
    if (value === 'stale') return 'stale';
    return `${value}x${i === 0 ? minutes : minutes - 1}`;
  }).join(' ');
}

/** Cumulative share of requests at or below each bound (ms); bounds in between take the lower step. */
export type LatencyProfile = Record<number, number>;
/** Half the requests within 50ms, all within 100ms: p50 50ms, p90 90ms, p99 99ms. */
export const FAST: LatencyProfile = { 50: 0.5, 100: 1 };
/** Half within 1s, all within 2.5s: p50 1000ms, p99 2470ms. */
export const SLOW: LatencyProfile = { 1000: 0.5, 2500: 1 };

export const BUCKETS = [25, 50, 100, 250, 500, 1000, 2500];

export interface HttpPhase {
  readonly minutes: number;
  readonly perMinute: number;
  /** Share of 5xx responses. @default 0 */
  readonly errorRatio?: number;
  /** @default FAST */
  readonly latency?: LatencyProfile;
}

export interface HistogramOptions {
  /** Bucket bounds other than +Inf. @default BUCKETS */
  readonly buckets?: number[];
  /** How `le` is spelled. @default String, as Envoy prints whole numbers */
  readonly le?: (bound: number) => string;
}

/** The series of one HTTP connection manager (`inbound`, `outbound_<upstream>`) of one sidecar. */
export function httpSeries(target: Labels, prefix: string, phases: HttpPhase[], options: HistogramOptions = {}): InputSeries[] {
  const labels = { ...target, envoy_http_conn_manager_prefix: prefix };
  const perPhase = (f: (p: HttpPhase) => number) => counter(phases.map(p => [Math.round(f(p)), p.minutes]));
  const within = (profile: LatencyProfile, bound: number) =>
    Math.max(0, ...Object.entries(profile).filter(([le]) => Number(le) <= bound).map(([, share]) => share));
  const le = options.le ?? String;
  return [
    series('envoy_http_downstream_rq_total', labels, perPhase(p => p.perMinute)),
    series('envoy_http_downstream_rq_xx', { ...labels, envoy_response_code_class: '2' }, perPhase(p => p.perMinute * (1 - (p.errorRatio ?? 0)))),
    series('envoy_http_downstream_rq_xx', { ...labels, envoy_response_code_class: '5' }, perPhase(p => p.perMinute * (p.errorRatio ?? 0))),
    ...(options.buckets ?? BUCKETS).map(bound => series('envoy_http_downstream_rq_time_bucket', { ...labels, le: le(bound) },
      perPhase(p => p.perMinute * within(p.latency ?? FAST, bound)))),
    series('envoy_http_downstream_rq_time_bucket', { ...labels, le: '+Inf' }, perPhase(p => p.perMinute)),
    series('envoy_http_downstream_rq_time_count', labels, perPhase(p => p.perMinute)),
  ];
}
