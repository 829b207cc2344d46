import { Metadata } from './types';

/** The metadata namespace naming the construct that made an Envoy object. */
export const TRACE_NAMESPACE = 'cdk8s-mesh';

/**
 * `metadata` naming the construct path that made a listener, virtual host,
 * route or cluster, so that a `config_dump` leads back to the code.
 */
export function traceMetadata(construct: string | undefined): { readonly metadata?: Metadata } {
  return construct === undefined ? {} : { metadata: { filter_metadata: { [TRACE_NAMESPACE]: { construct } } } };
}
