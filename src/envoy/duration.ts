import { Duration } from 'cdk8s';

/** A cdk8s Duration as a protobuf JSON duration string ("0.25s"). */
export function envoyDuration(duration: Duration): string {
  return `${duration.toMilliseconds() / 1000}s`;
}
