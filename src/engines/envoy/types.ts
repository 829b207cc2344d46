/**
 * The subset of Envoy's v3 API that cdk8s-mesh emits, typed after the proto3
 * JSON mapping (snake_case field names, durations as strings such as "0.25s"),
 * one file per API area.
 *
 * These types are internal: they are the vocabulary of the pure renderers in
 * this folder and never part of the library's public API.
 */
export * from './proto-core';
export * from './proto-tls';
export * from './proto-cluster';
export * from './proto-route';
export * from './proto-filters';
export * from './proto-listener';
