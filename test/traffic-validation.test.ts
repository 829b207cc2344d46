import { Duration } from 'cdk8s';
import { Retry } from '../src';
import { chain } from './bad-input/traffic';
import { synth, synthError } from './helpers';

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
