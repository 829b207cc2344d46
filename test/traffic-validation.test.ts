import { Duration } from 'cdk8s';
import { FailoverPolicy, Mesh, MeshService, Retry } from '../src';
import { chain } from './bad-input/traffic';
import { newChart, synth, synthError, TEST_MESH } from './helpers';

describe('traffic and failover bad input fails at synth', () => {
  test('amplification within the limit and consistent timeouts pass', () => {
    expect(() => synth(chain(2, () => ({ retry: Retry.onGatewayErrors({ attempts: 3, perTryTimeout: Duration.millis(100) }) }))))
      .not.toThrow();
    expect(() => synth(chain(3, () => ({ retry: Retry.onGatewayErrors({ attempts: 3 }) }), { maxRetryAmplification: 27 })))
      .not.toThrow();
  });

  test('one report per over-limit path, from its top', () => {
    const message = synthError(chain(4, () => ({ retry: Retry.onGatewayErrors({ attempts: 3 }) })));
    expect(message.match(/retry amplification/g)).toHaveLength(1);
    expect(message).toMatch(/retry amplification 81 along s0 -> s1 -> s2 -> s3 -> s4/);
  });
});

describe('call cycles', () => {
  function cycle(attempts: number[]) {
    const chart = newChart();
    const mesh = new Mesh(chart, 'mesh', TEST_MESH);
    const services = attempts.map((_, i) => new MeshService(chart, `s${i}`, { mesh, image: 'example/app:1.0.0', port: 8000 + i }));
    services.forEach((service, i) => {
      const next = services[(i + 1) % services.length];
      service.callTo(next);
      if (attempts[i] > 1) new FailoverPolicy(chart, `retry-${i}`, { service: next, retry: Retry.onGatewayErrors({ attempts: attempts[i] }) });
    });
    return chart;
  }

  test('a cycle without retries is allowed', () => {
    expect(() => synth(cycle([1, 1, 1]))).not.toThrow();
  });

  test('a cycle with retries on one hop is refused, naming it, even far below the amplification limit', () => {
    const message = synthError(cycle([1, 2, 1]));
    expect(message.match(/unbounded/g)).toHaveLength(1);
    expect(message).toMatch(/retry amplification is unbounded along the call cycle s1 -> s2 -> s0 -> s1 \(2 x 1 x 1 attempts\)/);
  });

  test('an infinite limit accepts it', () => {
    const chart = cycle([2, 2]);
    expect(() => synth(chart)).toThrow(/unbounded/);
    const open = newChart();
    const mesh = new Mesh(open, 'mesh', { ...TEST_MESH, maxRetryAmplification: Infinity });
    const a = new MeshService(open, 'a', { mesh, image: 'example/app:1.0.0', port: 8000 });
    const b = new MeshService(open, 'b', { mesh, image: 'example/app:1.0.0', port: 8001 });
    a.callTo(b);
    b.callTo(a);
    new FailoverPolicy(open, 'retry', { service: a, retry: Retry.onGatewayErrors({ attempts: 3 }) });
    expect(() => synth(open)).not.toThrow();
  });
});
