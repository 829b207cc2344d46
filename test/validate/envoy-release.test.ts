/**
 * Which Envoy API the validator checks against. With the pinned release's
 * tree (see `EnvoyApiSource` in ./envoy.ts) it must be that release, and it
 * must show facts of that release that the unversioned copy in
 * `@grpc/grpc-js-xds` does not have; without it, the fallback is stated.
 */
import { envoyApiSource, pinnedEnvoyRelease, validateEnvoyMessage } from './envoy';
import { ENVOY_RELEASE_IMAGE } from '../../src/engines/envoy/image';

const source = envoyApiSource();
const withRelease = source.release !== undefined;

test('the pinned release is read from the default image tag', () => {
  expect(ENVOY_RELEASE_IMAGE).toBe(`envoyproxy/envoy:v${pinnedEnvoyRelease()}`);
});

(withRelease ? describe : describe.skip)(`with the Envoy API tree of the pinned release (${source.dir})`, () => {
  test('the tree is the pinned release', () => {
    expect(source.release).toBe(pinnedEnvoyRelease());
  });

  test('a token bucket may hold 0 tokens (gte: 0 since 1.39; gt: 0 before)', () => {
    // api/envoy/type/v3/token_bucket.proto: max_tokens [(validate.rules).uint32 = {gte: 0}] at v1.39.0.
    const bucket = { max_tokens: 0, fill_interval: '1s' };
    expect(validateEnvoyMessage('envoy.type.v3.TokenBucket', bucket)).toEqual([]);
  });

  test('PGV ignore_empty of newer protoc-gen-validate is known and enforced', () => {
    // RateLimit.HitsAddend.format: string {prefix: "%" suffix: "%" ignore_empty: true} at v1.39.0.
    const type = 'envoy.config.route.v3.RateLimit.HitsAddend';
    expect(validateEnvoyMessage(type, { format: '' })).toEqual([]);
    expect(validateEnvoyMessage(type, { format: '%BYTES_RECEIVED%' })).toEqual([]);
    expect(validateEnvoyMessage(type, { format: 'BYTES' }).join('\n')).toMatch(/^format: /);
  });

  test('PGV message.skip leaves the embedded message\'s rules out, not its shape', () => {
    // KeyValueAppend.entry: (validate.rules).message = {skip: true} at v1.39.0; KeyValue.key has min_len: 1.
    const type = 'envoy.config.core.v3.KeyValueAppend';
    expect(validateEnvoyMessage(type, { entry: { key: '' } })).toEqual([]);
    expect(validateEnvoyMessage('envoy.config.core.v3.KeyValue', { key: '' }).join('\n')).toMatch(/^key: /);
    expect(validateEnvoyMessage(type, { entry: { key: 'k', bogus: 1 } }).join('\n')).toMatch(/unknown field 'bogus'/);
  });
});

(withRelease ? test.skip : test)('without the release tree, the unversioned protos of @grpc/grpc-js-xds are used', () => {
  expect(source.dir).toMatch(/@grpc[/\\]grpc-js-xds[/\\]deps[/\\]envoy-api$/);
  // The 1.39 rule is not in that copy: this is why the release tree matters.
  expect(validateEnvoyMessage('envoy.type.v3.TokenBucket', { max_tokens: 0, fill_interval: '1s' }).join('\n')).toMatch(/max_tokens/);
});
