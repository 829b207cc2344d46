/**
 * An in-test xDS management server (ADS, state of the world) and local gRPC
 * backends, for driving gRPC's own xDS client (`@grpc/grpc-js-xds`) with the
 * configuration the library emits.
 *
 * - {@link AdsServer} implements
 *   `envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources`
 *   with the protos shipped in `@grpc/grpc-js-xds/deps`, after the test server
 *   of grpc-js-xds itself (grpc-node `packages/grpc-js-xds/test/xds-server.ts`):
 *   every response of a type holds every subscribed resource of that type, a
 *   change is pushed on the open stream, ACKs and NACKs are recorded.
 * - Resources are given in the proto3 JSON form the library writes to its
 *   discovery files (`{"@type": ..., durations as "1s", wrappers as bare
 *   numbers}`) and encoded with Envoy's protos through {@link encodeAny}, which
 *   refuses unknown fields and enum names instead of dropping them, so what
 *   gRPC decodes is what the file says.
 * - {@link Backend} is a gRPC server on 127.0.0.1 answering {@link ECHO_METHOD}
 *   with its own name and counting its requests; {@link XdsClient} calls it
 *   through an `xds:///` channel.
 */
import * as path from 'path';
// @grpc/grpc-js and @grpc/proto-loader come with @grpc/grpc-js-xds (its peer dependency and its own dependency).
// eslint-disable-next-line import/no-extraneous-dependencies
import * as grpc from '@grpc/grpc-js';
// eslint-disable-next-line import/no-extraneous-dependencies
import * as protoLoader from '@grpc/proto-loader';
import * as protobuf from 'protobufjs';
import { loadEnvoyProtos } from '../validate/envoy';

export const LISTENER = 'type.googleapis.com/envoy.config.listener.v3.Listener';
export const ROUTE_CONFIGURATION = 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration';
export const CLUSTER = 'type.googleapis.com/envoy.config.cluster.v3.Cluster';
export const CLUSTER_LOAD_ASSIGNMENT = 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment';
const TYPE_URLS = [LISTENER, ROUTE_CONFIGURATION, CLUSTER, CLUSTER_LOAD_ASSIGNMENT];

/** An xDS resource in proto3 JSON, as one line of the library's discovery files. */
export interface JsonResource {
  readonly '@type': string;
  readonly [field: string]: unknown;
}

/** The name an xDS resource is subscribed by. */
export function resourceName(resource: JsonResource): string {
  const name = resource['@type'] === CLUSTER_LOAD_ASSIGNMENT ? resource.cluster_name : resource.name;
  if (typeof name !== 'string' || name === '') throw new Error(`a ${resource['@type']} without a name`);
  return name;
}

// ---------------------------------------------------------------------------
// proto3 JSON -> google.protobuf.Any
// ---------------------------------------------------------------------------

interface EncodedAny {
  readonly type_url: string;
  readonly value: Buffer;
}

/** Encodes a proto3 JSON message carrying its `@type` (an Any in JSON form) with Envoy's protos. */
export function encodeAny(json: JsonResource, at = '$'): EncodedAny {
  const { '@type': typeUrl, ...fields } = json;
  const type = loadEnvoyProtos().lookupType(typeUrl.slice(typeUrl.lastIndexOf('/') + 1));
  const object = fromJson(type, fields, at);
  const problem = type.verify(object);
  if (problem) throw new Error(`${at}: ${type.fullName} does not encode: ${problem}`);
  return { type_url: typeUrl, value: Buffer.from(type.encode(type.fromObject(object)).finish()) };
}

const WRAPPERS = new Set(['Double', 'Float', 'Int64', 'UInt64', 'Int32', 'UInt32', 'Bool', 'String', 'Bytes'].map(t => `.google.protobuf.${t}Value`));

/** The protobufjs object form of a proto3 JSON message (well-known types in their JSON form, Any packed). */
function fromJson(type: protobuf.Type, json: unknown, at: string): any {
  switch (type.fullName) {
    case '.google.protobuf.Any': return encodeAny(json as JsonResource, at);
    case '.google.protobuf.Duration': return duration(json, at);
    case '.google.protobuf.Struct': return { fields: mapValues(json as Record<string, unknown>, v => structValue(v)) };
    case '.google.protobuf.Value': return structValue(json);
    case '.google.protobuf.ListValue': return { values: (json as unknown[]).map(structValue) };
    case '.google.protobuf.FieldMask': return { paths: String(json).split(',').filter(p => p !== '') };
    case '.google.protobuf.Timestamp': {
      const ms = Date.parse(String(json));
      if (Number.isNaN(ms)) throw new Error(`${at}: not a timestamp: ${JSON.stringify(json)}`);
      return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
    }
  }
  if (WRAPPERS.has(type.fullName)) return { value: json };
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error(`${at}: ${type.fullName} expects an object`);
  const fields = new Map<string, protobuf.Field>();
  for (const field of type.fieldsArray) {
    fields.set(field.name, field);
    fields.set(protobuf.util.camelCase(field.name), field);
  }
  const object: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json)) {
    const field = fields.get(key);
    if (!field) throw new Error(`${at}.${key}: ${type.fullName} has no such field`);
    if (value === null) continue;
    field.resolve();
    const where = `${at}.${key}`;
    const one = (item: unknown, i: string) => fieldValue(field, item, i);
    if (field.map) object[field.name] = mapValues(value as Record<string, unknown>, (v, k) => one(v, `${where}[${k}]`));
    else if (field.repeated) object[field.name] = (value as unknown[]).map((v, i) => one(v, `${where}[${i}]`));
    else object[field.name] = one(value, where);
  }
  return object;
}

function fieldValue(field: protobuf.Field, value: unknown, at: string): unknown {
  const resolved = field.resolvedType;
  if (resolved instanceof protobuf.Type) return fromJson(resolved, value, at);
  if (resolved instanceof protobuf.Enum) {
    if (typeof value !== 'string') return value;
    if (!(value in resolved.values)) throw new Error(`${at}: ${JSON.stringify(value)} is not a value of ${resolved.fullName}`);
    return resolved.values[value];
  }
  // proto3 JSON writes 64-bit integers (and may write any number) as strings.
  if (typeof value === 'string' && NUMERIC.has(field.type)) {
    const number = Number(value);
    if (value.trim() === '' || Number.isNaN(number) && value !== 'NaN') throw new Error(`${at}: not a ${field.type}: ${JSON.stringify(value)}`);
    return /int|fixed/.test(field.type) && !Number.isSafeInteger(number) ? (protobuf.util.Long as unknown as { fromString(text: string): protobuf.Long }).fromString(value) : number;
  }
  return value;
}

const NUMERIC = new Set(['double', 'float', 'int32', 'uint32', 'sint32', 'fixed32', 'sfixed32', 'int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

function duration(json: unknown, at: string): { seconds: number; nanos: number } {
  const match = /^(-?)(\d+)(?:\.(\d{1,9}))?s$/.exec(String(json));
  if (!match) throw new Error(`${at}: not a duration: ${JSON.stringify(json)}`);
  const sign = match[1] === '-' ? -1 : 1;
  return { seconds: sign * Number(match[2]), nanos: sign * Number((match[3] ?? '').padEnd(9, '0')) };
}

function structValue(json: unknown): unknown {
  // Envoy's protos are loaded with keepCase: the object form uses the proto field names.
  if (json === null) return { null_value: 'NULL_VALUE' };
  if (typeof json === 'number') return { number_value: json };
  if (typeof json === 'string') return { string_value: json };
  if (typeof json === 'boolean') return { bool_value: json };
  if (Array.isArray(json)) return { list_value: { values: json.map(structValue) } };
  return { struct_value: { fields: mapValues(json as Record<string, unknown>, v => structValue(v)) } };
}

function mapValues<T, U>(record: Record<string, T>, f: (value: T, key: string) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, f(v, k)]));
}

// ---------------------------------------------------------------------------
// The ADS server
// ---------------------------------------------------------------------------

interface DiscoveryRequest {
  readonly version_info: string;
  readonly resource_names: string[];
  readonly type_url: string;
  readonly response_nonce: string;
  readonly error_detail: { readonly message: string } | null;
}

/** One ADS stream (one xDS client connection). */
interface AdsStream {
  readonly id: number;
  readonly call: grpc.ServerDuplexStream<DiscoveryRequest, unknown>;
  /** Names subscribed per type URL. */
  readonly subscribed: Map<string, Set<string>>;
  /** Version last ACKed per type URL. */
  readonly acked: Map<string, string>;
  nonce: number;
}

interface AckWaiter {
  readonly typeUrl: string;
  readonly version: string;
  readonly resolve: (streamId: number) => void;
  readonly reject: (error: Error) => void;
}

const DEPS = path.join(path.dirname(require.resolve('@grpc/grpc-js-xds/package.json')), 'deps');

/** An ADS server holding one state of the world, pushed to every subscribed stream. */
export class AdsServer {
  /** How many ADS streams clients opened. */
  public streamsOpened = 0;
  /** NACKs not yet taken, as `<type>: <gRPC's error detail>`. */
  private nacks: string[] = [];
  private readonly server = new grpc.Server();
  private readonly resources = new Map<string, Map<string, EncodedAny>>(TYPE_URLS.map(t => [t, new Map()]));
  private readonly versions = new Map<string, number>(TYPE_URLS.map(t => [t, 0]));
  private readonly streams = new Set<AdsStream>();
  private waiters: AckWaiter[] = [];
  private port = 0;

  public async start(): Promise<void> {
    const definition = protoLoader.loadSync('envoy/service/discovery/v3/ads.proto', {
      keepCase: true,
      longs: String,
      enums: String,
      defaults: true,
      oneofs: true,
      includeDirs: ['envoy-api', 'xds', 'googleapis', 'protoc-gen-validate'].map(dir => path.join(DEPS, dir)),
    });
    const ads = (grpc.loadPackageDefinition(definition) as any).envoy.service.discovery.v3.AggregatedDiscoveryService;
    // Only state-of-the-world ADS; grpc-js answers DeltaAggregatedResources with UNIMPLEMENTED.
    this.server.addService(ads.service, { StreamAggregatedResources: (call: AdsStream['call']) => this.open(call) });
    this.port = await bind(this.server);
  }

  /** The bootstrap gRPC's xDS client reads from `GRPC_XDS_BOOTSTRAP_CONFIG`. */
  public bootstrap(): string {
    return JSON.stringify({
      xds_servers: [{ server_uri: `127.0.0.1:${this.port}`, channel_creds: [{ type: 'insecure' }], server_features: ['xds_v3'] }],
      node: { id: 'cdk8s-mesh-xds-routing-test', locality: {} },
    });
  }

  /** Replaces the whole state of the world with `resources` and pushes it. */
  public serve(resources: readonly JsonResource[]): void {
    for (const byName of this.resources.values()) byName.clear();
    this.set(resources, TYPE_URLS);
  }

  /** Adds or replaces `resources`, pushing only their types; resolves once a client ACKs every pushed type. */
  public async update(resources: readonly JsonResource[]): Promise<number[]> {
    const types = [...new Set(resources.map(r => r['@type']))];
    this.set(resources, types);
    return Promise.all(types.map(t => this.acked(t)));
  }

  /** Resolves with the stream id once a client ACKs the current version of `typeUrl`; rejects on a NACK of it. */
  public async acked(typeUrl: string): Promise<number> {
    const version = String(this.versions.get(typeUrl));
    const done = [...this.streams].find(s => s.acked.get(typeUrl) === version);
    if (done) return done.id;
    return new Promise((resolve, reject) => this.waiters.push({ typeUrl, version, resolve, reject }));
  }

  /** The NACKs received since the last call. */
  public takeNacks(): string[] {
    const taken = this.nacks;
    this.nacks = [];
    return taken;
  }

  public stop(): void {
    this.server.forceShutdown();
    for (const waiter of this.waiters) waiter.reject(new Error('the ADS server stopped'));
    this.waiters = [];
  }

  private set(resources: readonly JsonResource[], types: readonly string[]): void {
    for (const resource of resources) {
      const byName = this.resources.get(resource['@type']);
      if (!byName) throw new Error(`not an xDS resource type served here: ${resource['@type']}`);
      byName.set(resourceName(resource), encodeAny(resource, `${resource['@type']}[${resourceName(resource)}]`));
    }
    for (const typeUrl of types) {
      this.versions.set(typeUrl, this.versions.get(typeUrl)! + 1);
      for (const stream of this.streams) if (stream.subscribed.has(typeUrl)) this.send(stream, typeUrl);
    }
  }

  private open(call: AdsStream['call']): void {
    const stream: AdsStream = { id: ++this.streamsOpened, call, subscribed: new Map(), acked: new Map(), nonce: 0 };
    this.streams.add(stream);
    call.on('data', (request: DiscoveryRequest) => this.receive(stream, request));
    const close = () => {
      if (!this.streams.delete(stream)) return;
      call.end();
    };
    call.on('end', close);
    call.on('cancelled', close);
    call.on('error', close);
  }

  private receive(stream: AdsStream, request: DiscoveryRequest): void {
    const typeUrl = request.type_url;
    if (!this.resources.has(typeUrl)) return;
    if (request.error_detail) {
      this.nacks.push(`${typeUrl}: ${request.error_detail.message}`);
      for (const waiter of this.waiters.filter(w => w.typeUrl === typeUrl)) waiter.reject(new Error(`gRPC NACKed ${typeUrl}: ${request.error_detail.message}`));
      this.waiters = this.waiters.filter(w => w.typeUrl !== typeUrl);
    } else if (request.response_nonce !== '') {
      stream.acked.set(typeUrl, request.version_info);
      for (const waiter of this.waiters.filter(w => w.typeUrl === typeUrl && w.version === request.version_info)) waiter.resolve(stream.id);
      this.waiters = this.waiters.filter(w => !(w.typeUrl === typeUrl && w.version === request.version_info));
    }
    const names = new Set(request.resource_names);
    const before = stream.subscribed.get(typeUrl);
    // Answer a new or changed subscription; an ACK or a NACK of what was sent needs no answer.
    if (!before || before.size !== names.size || [...names].some(n => !before.has(n))) {
      stream.subscribed.set(typeUrl, names);
      this.send(stream, typeUrl);
    }
  }

  /** State of the world: every subscribed resource of the type that exists. */
  private send(stream: AdsStream, typeUrl: string): void {
    const byName = this.resources.get(typeUrl)!;
    const names = stream.subscribed.get(typeUrl) ?? new Set<string>();
    stream.call.write({
      version_info: String(this.versions.get(typeUrl)),
      type_url: typeUrl,
      nonce: String(++stream.nonce),
      resources: [...names].filter(n => byName.has(n)).map(n => byName.get(n)),
    });
  }
}

// ---------------------------------------------------------------------------
// Backends and the client
// ---------------------------------------------------------------------------

/** The one method backends answer; the library's catch-all routes match prefix `/`. */
export const ECHO_METHOD = '/mesh.test.Echo/Who';

const bytes = (value: Buffer) => value;

/** A gRPC server on 127.0.0.1 that answers {@link ECHO_METHOD} with its name and counts requests. */
export class Backend {
  public requests = 0;
  public port = 0;
  private readonly server = new grpc.Server();

  constructor(public readonly name: string) {
    this.server.addService({
      Who: {
        path: ECHO_METHOD,
        requestStream: false,
        responseStream: false,
        requestSerialize: bytes,
        requestDeserialize: bytes,
        responseSerialize: bytes,
        responseDeserialize: bytes,
      },
    }, {
      Who: (_call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
        this.requests += 1;
        callback(null, Buffer.from(this.name));
      },
    });
  }

  public async start(): Promise<this> {
    this.port = await bind(this.server);
    return this;
  }

  /** Stops abruptly: open connections are closed, new ones are refused. */
  public stop(): void {
    this.server.forceShutdown();
  }
}

/** Starts `count` backends named `<prefix>#<i>`. */
export async function startBackends(prefix: string, count: number): Promise<Backend[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => new Backend(`${prefix}#${i}`).start()));
}

/** A gRPC channel to `xds:///<listener>`, resolved by gRPC's xDS client. */
export class XdsClient {
  private readonly client: grpc.Client;

  constructor(listener: string) {
    this.client = new grpc.Client(`xds:///${listener}`, grpc.credentials.createInsecure());
  }

  /** Calls {@link ECHO_METHOD} with `headers` as metadata; resolves with the name of the backend that answered. */
  public async call(headers: Record<string, string> = {}, options: { waitForReady?: boolean; timeoutMs?: number } = {}): Promise<string> {
    const metadata = new grpc.Metadata();
    for (const [name, value] of Object.entries(headers)) metadata.set(name, value);
    const callOptions = { deadline: Date.now() + (options.timeoutMs ?? 5000), waitForReady: options.waitForReady };
    return new Promise((resolve, reject) => this.client.makeUnaryRequest(ECHO_METHOD, bytes, bytes, Buffer.alloc(0), metadata, callOptions,
      (error, response) => (error ? reject(error) : resolve(response!.toString()))));
  }

  /** Sends `count` calls, `concurrency` at a time; counts answers per backend name. */
  public async tally(count: number, headers: Record<string, string> = {}, concurrency = 100): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    for (let sent = 0; sent < count; sent += concurrency) {
      const names = await Promise.all(Array.from({ length: Math.min(concurrency, count - sent) }, () => this.call(headers)));
      for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    return counts;
  }

  public close(): void {
    this.client.close();
  }
}

/**
 * Records every timer of at least `minMs` armed from now on; the returned
 * function stops recording and clears them. gRPC's priority policy arms a
 * 15-minute retention timer for a child it deactivates (a lower priority once
 * a higher one is READY again, or a priority whose localities left EDS), and
 * `PriorityChildImpl.destroy()` does not clear it (grpc-js-xds
 * build/src/load-balancer-priority.js, `deactivate()` / `destroy()`), so
 * after the channel is closed that timer alone would keep jest running for
 * 15 minutes.
 */
export function clearLongTimersLater(minMs: number): () => void {
  const original = global.setTimeout;
  const armed = new Set<NodeJS.Timeout>();
  const tracking = (callback: (...args: any[]) => void, ms?: number, ...args: any[]) => {
    const timer = original(callback, ms, ...args);
    if ((ms ?? 0) >= minMs) armed.add(timer);
    return timer;
  };
  global.setTimeout = Object.assign(tracking, original) as typeof setTimeout;
  return () => {
    global.setTimeout = original;
    for (const timer of armed) clearTimeout(timer);
  };
}

async function bind(server: grpc.Server): Promise<number> {
  return new Promise((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(),
    (error, port) => (error ? reject(error) : resolve(port))));
}
