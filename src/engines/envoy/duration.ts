import { Duration } from 'cdk8s';

/** A cdk8s Duration as a protobuf JSON duration string ("0.25s"). */
export function envoyDuration(duration: Duration): string {
  return envoyMillis(duration.toMilliseconds({ integral: false }));
}

/** Milliseconds as a protobuf JSON duration string (250 gives "0.25s"), to the nanosecond, never in exponent notation. */
export function envoyMillis(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(9).replace(/\.?0+$/, '')}s`;
}

/** A cdk8s Duration as a Go duration string, in the largest unit that divides it ("24h", "90m", "1500ms"). */
export function goDuration(duration: Duration): string {
  const ms = duration.toMilliseconds({ integral: false });
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
