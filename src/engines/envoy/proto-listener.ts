/**
 * Envoy v3 listener and bootstrap messages.
 * Typed after the proto3 JSON mapping (snake_case fields, durations as "0.25s"); internal.
 */
import { Cluster } from './proto-cluster';
import { Address, ConfigSource, Metadata, TypeUrl, TypedExtension } from './proto-core';
import { NetworkFilter, TlsInspector } from './proto-filters';
import { TransportSocket } from './proto-tls';

/** A listener filter, run before a filter chain is chosen. */
export type ListenerFilter = TypedExtension<TlsInspector>;

export interface FilterChain {
  readonly filters: NetworkFilter[];
  readonly transport_socket?: TransportSocket;
  readonly filter_chain_match?: { readonly transport_protocol?: string };
}

export interface Listener {
  readonly name: string;
  readonly address: Address;
  readonly metadata?: Metadata;
  readonly per_connection_buffer_limit_bytes?: number;
  readonly listener_filters?: ListenerFilter[];
  readonly filter_chains: FilterChain[];
}

export interface Bootstrap {
  readonly node: { readonly id: string; readonly cluster: string };
  readonly admin: { readonly address: Address };
  readonly static_resources: {
    readonly listeners: Listener[];
    readonly clusters: Cluster[];
  };
  readonly stats_config?: {
    readonly histogram_bucket_settings: Array<{ readonly match: { readonly suffix: string }; readonly buckets: number[] }>;
  };
  readonly dynamic_resources?: { readonly lds_config: ConfigSource; readonly cds_config: ConfigSource };
  readonly overload_manager?: OverloadManager;
}

/** `envoy.config.overload.v3.OverloadManager`, as the mesh uses it: a global limit on downstream connections. */
export interface OverloadManager {
  readonly resource_monitors: Array<{
    readonly name: 'envoy.resource_monitors.global_downstream_max_connections';
    readonly typed_config: {
      readonly '@type': TypeUrl<'envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig'>;
      readonly 'max_active_downstream_connections': number;
    };
  }>;
}
