/**
 * Histogram buckets of the sidecars' latency histograms, and how to select
 * one bucket in PromQL.
 */

/** Envoy's default histogram bucket bounds, milliseconds (`stats_config.histogram_bucket_settings` absent). */
export const DEFAULT_BUCKETS_MS: readonly number[] = [
  0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000,
];

/**
 * The default buckets plus `extraThresholdsMs`, sorted and without
 * duplicates: what the sidecar's `histogram_bucket_settings` must list so
 * that each latency SLO threshold is a bucket bound (custom buckets replace
 * the defaults, so the defaults are kept).
 */
export function latencyBuckets(extraThresholdsMs: number[]): number[] {
  for (const ms of extraThresholdsMs) {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) {
      throw new Error(`latency bucket ${ms} is invalid: use a positive, finite number of milliseconds`);
    }
  }
  return [...new Set([...DEFAULT_BUCKETS_MS, ...extraThresholdsMs])].sort((a, b) => a - b);
}

/**
 * A regular expression for the `le` label of the bucket bounded by `ms`,
 * matching each spelling a stored series can have:
 * - Envoy's, printed with `{:.32g}` (source/server/admin/prometheus_stats.cc), kept by Prometheus 2: `300`, `0.5`, `3600000`;
 * - Prometheus 3's, which normalizes `le` on ingestion (`labels.FormatOpenMetricsFloat`): `300.0`, `0.5`, `3.6e+06`.
 */
export function leRegex(ms: number): string {
  const spellings = [...new Set([envoyBound(ms), openMetricsFloat(ms)])];
  return spellings.map(s => s.replace(/[.+]/g, c => `\\${c}`)).join('|');
}

/** `{:.32g}` (as C's `%.32g`): how Envoy prints a bucket bound. */
export function envoyBound(value: number): string {
  const exponent = Number(value.toExponential().split('e')[1]);
  if (exponent < -4 || exponent >= 32) {
    const [mantissa, exp] = value.toExponential(31).split('e');
    return `${trimZeros(mantissa)}e${exp[0]}${exp.slice(1).padStart(2, '0')}`;
  }
  return trimZeros(value.toFixed(Math.max(0, 31 - exponent)));
}

/** Go's `strconv.FormatFloat(f, 'g', -1, 64)`, with `.0` appended when it has neither `.` nor `e`. */
export function openMetricsFloat(value: number): string {
  const [mantissa, exp] = value.toExponential().split('e');
  const exponent = Number(exp);
  const text = exponent < -4 || exponent >= 6
    ? `${mantissa}e${exp[0]}${exp.slice(1).padStart(2, '0')}`
    : String(value);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

function trimZeros(fixed: string): string {
  return fixed.includes('.') ? fixed.replace(/0+$/, '').replace(/\.$/, '') : fixed;
}
