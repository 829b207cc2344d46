import { FractionalPercent } from './types';

/** A percentage (0-100, fractions allowed) in millionths, Envoy's finest fraction. */
export function millionths(percent: number): FractionalPercent {
  return { numerator: Math.round(percent * 10_000), denominator: 'MILLION' };
}
