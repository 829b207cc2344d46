import { DEFAULT_BUCKETS_MS, envoyBound, latencyBuckets, leRegex, openMetricsFloat } from '../../src/monitoring/buckets';

describe('latencyBuckets', () => {
  test('are Envoy\'s defaults without extra thresholds', () => {
    expect(latencyBuckets([])).toEqual([...DEFAULT_BUCKETS_MS]);
    expect(DEFAULT_BUCKETS_MS).toEqual(
      [0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000]);
  });

  test('add each threshold once, in order', () => {
    expect(latencyBuckets([300, 250, 300, 0.75])).toEqual(
      [0.5, 0.75, 1, 5, 10, 25, 50, 100, 250, 300, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000]);
  });

  test.each([0, -1, NaN, Infinity])('reject %p', ms => {
    expect(() => latencyBuckets([ms])).toThrow(`latency bucket ${ms} is invalid: use a positive, finite number of milliseconds`);
  });
});

describe('bucket bound spellings', () => {
  test.each([
    [300, '300'],
    [0.5, '0.5'],
    [3600000, '3600000'],
    // fmt's {:.32g} of the double, as Envoy prints it (expected texts from Python's '%.32g', also correctly rounded).
    [2.3, '2.299999999999999822364316059975'],
    [0.1, '0.10000000000000000555111512312578'],
    [1e-5, '1.0000000000000000818030539140313e-05'],
    [1e40, '1.0000000000000000303786028427004e+40'],
  ])('Envoy prints %p as %p', (value, text) => {
    expect(envoyBound(value)).toBe(text);
  });

  test.each([
    [300, '300.0'],
    [1, '1.0'],
    [0.5, '0.5'],
    [300000, '300000.0'],
    [1e6, '1e+06'],
    [3600000, '3.6e+06'],
    [123456.5, '123456.5'],
    [0.0001, '0.0001'],
    [1e-5, '1e-05'],
  ])('Prometheus 3 stores %p as %p', (value, text) => {
    expect(openMetricsFloat(value)).toBe(text);
  });

  test('the le regex matches both spellings, escaped', () => {
    expect(leRegex(300)).toBe('300|300\\.0');
    expect(leRegex(0.5)).toBe('0\\.5');
    expect(leRegex(3600000)).toBe('3600000|3\\.6e\\+06');
    for (const value of [300, 0.5, 2.3, 3600000, 1e-5]) {
      const re = new RegExp(`^(?:${leRegex(value)})$`);
      expect(re.test(envoyBound(value))).toBe(true);
      expect(re.test(openMetricsFloat(value))).toBe(true);
      expect(re.test(String(value * 10))).toBe(false);
    }
  });
});
