/**
 * What a sidecar's `version` gauges read once it has loaded a discovery file.
 *
 * Envoy's file subscription sets, after a file is accepted, the gauge
 * `<prefix>.version` to `HashUtil::xxHash64(version_info)` and the text
 * readout `<prefix>.version_text` to `version_info` itself
 * (`FilesystemSubscriptionImpl::refresh` in
 * source/extensions/config_subscription/filesystem/filesystem_subscription_impl.cc);
 * a refused or unreadable file leaves both as they were. `xxHash64` is XXH64
 * with seed 0 (source/common/common/hash.h). `/stats/prometheus` prints the
 * gauge as a uint64 (`generateNumericOutput` in
 * source/server/admin/prometheus_stats.cc), which Prometheus parses into a
 * float64: the value is rounded to 53 bits, the same rounding as `Number()`
 * of the hash here, so an expected value computed at synth compares equal.
 */

/* eslint-disable no-bitwise */ // XXH64 is defined by bit operations on 64-bit words
const MASK = (1n << 64n) - 1n;
const P1 = 11400714785074694791n;
const P2 = 14029467366897019727n;
const P3 = 1609587929392839161n;
const P4 = 9650029242287828579n;
const P5 = 2870177450012600261n;

/** The value of a sidecar's `version` gauge after it loaded a file whose `version_info` is `versionInfo`, as Prometheus stores it. */
export function envoyVersionGauge(versionInfo: string): number {
  return Number(xxHash64(Buffer.from(versionInfo, 'utf8')));
}

/** XXH64 of `input` (https://github.com/Cyan4973/xxHash/blob/dev/doc/xxhash_spec.md), seed 0 unless given. */
export function xxHash64(input: Uint8Array, seed = 0n): bigint {
  const length = input.length;
  const view = new DataView(input.buffer, input.byteOffset, length);
  const u64 = (at: number) => view.getBigUint64(at, true);
  let at = 0;
  let hash: bigint;
  if (length >= 32) {
    const lanes = [(seed + P1 + P2) & MASK, (seed + P2) & MASK, seed, (seed - P1) & MASK];
    for (; at + 32 <= length; at += 32) {
      for (let lane = 0; lane < 4; lane++) lanes[lane] = round(lanes[lane], u64(at + lane * 8));
    }
    hash = (rotl(lanes[0], 1n) + rotl(lanes[1], 7n) + rotl(lanes[2], 12n) + rotl(lanes[3], 18n)) & MASK;
    for (const lane of lanes) hash = (((hash ^ round(0n, lane)) * P1) + P4) & MASK;
  } else {
    hash = (seed + P5) & MASK;
  }
  hash = (hash + BigInt(length)) & MASK;
  for (; at + 8 <= length; at += 8) hash = ((rotl(hash ^ round(0n, u64(at)), 27n) * P1) + P4) & MASK;
  if (at + 4 <= length) {
    hash = ((rotl(hash ^ ((BigInt(view.getUint32(at, true)) * P1) & MASK), 23n) * P2) + P3) & MASK;
    at += 4;
  }
  for (; at < length; at++) hash = (rotl(hash ^ ((BigInt(input[at]) * P5) & MASK), 11n) * P1) & MASK;
  hash = ((hash ^ (hash >> 33n)) * P2) & MASK;
  hash = ((hash ^ (hash >> 29n)) * P3) & MASK;
  return hash ^ (hash >> 32n);
}

function round(acc: bigint, lane: bigint): bigint {
  return (rotl((acc + lane * P2) & MASK, 31n) * P1) & MASK;
}

function rotl(value: bigint, bits: bigint): bigint {
  return ((value << bits) | (value >> (64n - bits))) & MASK;
}
