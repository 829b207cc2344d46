import { Metadata } from './types';

/** The metadata namespace naming the construct that made an Envoy object. */
export const METADATA_NAMESPACE = 'cdk8s-mesh';

/**
 * `metadata` naming the construct path that made a listener, virtual host,
 * route or cluster, so that a `config_dump` leads back to the code.
 */
export function constructMetadata(construct: string | undefined): { readonly metadata?: Metadata } {
  return construct === undefined ? {} : { metadata: { filter_metadata: { [METADATA_NAMESPACE]: { construct } } } };
}
