/**
 * A strict validator for Envoy v3 bootstrap configurations.
 *
 * The configuration is a plain JSON value in the proto3 JSON mapping, as Envoy
 * reads it from YAML/JSON (snake_case proto names or lowerCamel JSON names).
 * It is checked against Envoy's own API protos of the pinned release when its
 * tree is available (see {@link EnvoyApiSource}), else those shipped by
 * `@grpc/grpc-js-xds`, loaded with protobufjs, including:
 *
 * - unknown fields, JSON types of scalars, enum names, map keys and values;
 * - well-known types in their JSON form (Duration, wrappers, Struct/Value,
 *   Timestamp, FieldMask, and Any, whose payload is validated recursively
 *   against the type named by its `@type`);
 * - oneofs (at most one member set; one required where the proto says so);
 * - the protoc-gen-validate (PGV) rules annotated on the fields, which is what
 *   Envoy itself checks when it loads a configuration;
 * - a few load-time checks Envoy makes beyond the protos: cluster references,
 *   unique cluster/listener names and listener addresses, endpoints of
 *   STATIC/STRICT_DNS/LOGICAL_DNS clusters, and terminal filter placement.
 *
 * It is not `envoy --mode validate`: extension names are not matched against
 * Envoy's factory registry, and only the extension protos listed in
 * {@link PROTO_FILES} (and what they import) are known.
 */
import * as fs from 'fs';
import { isIP } from 'net';
import * as path from 'path';
import * as protobuf from 'protobufjs';
import { ENVOY_RELEASE_IMAGE } from '../../src/engines/envoy/image';

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

/**
 * Validates an Envoy v3 bootstrap configuration.
 *
 * @param config the bootstrap as a plain JSON value (e.g. parsed from YAML)
 * @returns human-readable errors, each starting with the JSON path of the
 *   offending value (e.g. `static_resources.clusters[2].lb_policy: ...`);
 *   an empty list when the configuration is valid
 */
export function validateEnvoyBootstrap(config: unknown): string[] {
  const walker = new Walker(loadEnvoyProtos());
  walker.message(walker.root.lookupType(BOOTSTRAP_TYPE), config, '');
  checkBootstrap(config, walker);
  return walker.errors;
}

/**
 * Validates one Envoy message of the given full type name (for example an SDS
 * `envoy.extensions.transport_sockets.tls.v3.Secret`), with the same rules.
 */
export function validateEnvoyMessage(fullTypeName: string, value: unknown): string[] {
  const walker = new Walker(loadEnvoyProtos());
  walker.message(walker.root.lookupType(fullTypeName), value, '');
  return walker.errors;
}

/**
 * Lists the PGV rules present in the loaded protos that this validator does
 * not enforce, as `kind.rule (example field)`. Meant for a test asserting that
 * nothing is silently ignored.
 */
export function unsupportedValidationRules(): string[] {
  const found = new Map<string, string>();
  forEachType(loadEnvoyProtos(), (type) => {
    for (const message of unsupportedTypeOptions(type)) found.set(message, typeName(type));
    for (const field of type.fieldsArray) {
      const rules = fieldRules(field);
      if (!rules) continue;
      for (const key of unsupportedRuleKeys(rules, '')) {
        if (!found.has(key)) found.set(key, `${typeName(type)}.${field.name}`);
      }
    }
  });
  return [...found].map(([key, where]) => `${key} (${where})`);
}

// ---------------------------------------------------------------------------
// Proto loading
// ---------------------------------------------------------------------------

const BOOTSTRAP_TYPE = '.envoy.config.bootstrap.v3.Bootstrap';

/** Root proto files to load, relative to the include paths. Imports follow. */
const PROTO_FILES = [
  'envoy/config/bootstrap/v3/bootstrap.proto',
  'envoy/service/discovery/v3/discovery.proto',
  'envoy/config/listener/v3/listener.proto',
  'envoy/config/route/v3/route.proto',
  'envoy/config/cluster/v3/cluster.proto',
  'envoy/config/endpoint/v3/endpoint.proto',
  'envoy/config/rbac/v3/rbac.proto',
  'envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager.proto',
  'envoy/extensions/filters/network/tcp_proxy/v3/tcp_proxy.proto',
  'envoy/extensions/filters/http/router/v3/router.proto',
  'envoy/extensions/filters/http/rbac/v3/rbac.proto',
  'envoy/extensions/filters/http/jwt_authn/v3/config.proto',
  'envoy/extensions/filters/http/header_mutation/v3/header_mutation.proto',
  'envoy/extensions/resource_monitors/downstream_connections/v3/downstream_connections.proto',
  'envoy/extensions/filters/http/fault/v3/fault.proto',
  'envoy/extensions/filters/http/local_ratelimit/v3/local_rate_limit.proto',
  'envoy/config/trace/v3/opentelemetry.proto',
  'envoy/extensions/filters/http/health_check/v3/health_check.proto',
  'envoy/extensions/transport_sockets/tls/v3/tls.proto',
  'envoy/extensions/transport_sockets/tls/v3/secret.proto',
  'envoy/extensions/transport_sockets/raw_buffer/v3/raw_buffer.proto',
  'envoy/extensions/filters/network/rbac/v3/rbac.proto',
  'envoy/extensions/filters/listener/tls_inspector/v3/tls_inspector.proto',
  'envoy/extensions/access_loggers/stream/v3/stream.proto',
  'envoy/extensions/access_loggers/file/v3/file.proto',
  'envoy/extensions/upstreams/http/v3/http_protocol_options.proto',
  'envoy/extensions/clusters/aggregate/v3/cluster.proto',
  'envoy/extensions/load_balancing_policies/round_robin/v3/round_robin.proto',
  'envoy/extensions/load_balancing_policies/random/v3/random.proto',
  'envoy/extensions/load_balancing_policies/least_request/v3/least_request.proto',
  'envoy/extensions/load_balancing_policies/ring_hash/v3/ring_hash.proto',
  'envoy/extensions/load_balancing_policies/maglev/v3/maglev.proto',
  'envoy/extensions/load_balancing_policies/client_side_weighted_round_robin/v3/client_side_weighted_round_robin.proto',
  'envoy/extensions/retry/host/previous_hosts/v3/previous_hosts.proto',
  'envoy/extensions/retry/priority/previous_priorities/v3/previous_priorities_config.proto',
];

/** Directories whose every proto file is loaded (whole packages). */
const PROTO_DIRS = ['envoy/type/matcher/v3', 'envoy/type/v3'];

let cachedRoot: protobuf.Root | undefined;

/** Loads (once) and returns the Envoy protos with their PGV annotations. */
export function loadEnvoyProtos(): protobuf.Root {
  if (!cachedRoot) {
    const includes = protoIncludePaths();
    const root = new protobuf.Root();
    // An import found on no include path is skipped (some v3 files still
    // import absent v2 files); a type that really needs it fails resolveAll().
    root.resolvePath = (_origin, target) => findProto(includes, target) ?? null;
    const files = [...PROTO_FILES, ...PROTO_DIRS.flatMap((dir) => protoFilesIn(includes, dir))]
      .filter((file) => findProto(includes, file) !== undefined);
    root.loadSync(files, { keepCase: true });
    root.resolveAll();
    assertClusterReferenceFieldsExist(root);
    cachedRoot = root;
  }
  return cachedRoot;
}

/**
 * Where the protos come from. An Envoy API release tree is a folder with
 * `envoy-api/` (Envoy's `api/` tree at one release), `xds/` (cncf/xds: `udpa/`
 * and `xds/`), `protoc-gen-validate/` (`validate/validate.proto`) and a
 * `VERSION` file naming the Envoy release (e.g. `1.39.3`). It is looked for in
 * `$ENVOY_API_DIR`, else in `../shared/envoy-api/v<pinned release>` beside
 * the repository (where CI finds the shared folder). When it is found, Envoy's
 * own files come from it alone; only googleapis (stable `google/rpc`,
 * `google/api/expr`) still comes from `@grpc/grpc-js-xds`. Without it, the
 * protos of `@grpc/grpc-js-xds` are used: they follow no Envoy release.
 */
export interface EnvoyApiSource {
  /** The Envoy release of the protos (the tree's VERSION), or undefined for grpc-js-xds' unversioned copy. */
  readonly release?: string;
  /** The folder the Envoy protos were loaded from. */
  readonly dir: string;
  /** Include paths, in order. */
  readonly includes: readonly string[];
}

/** The Envoy release of the default sidecar image (`envoyproxy/envoy:v1.39.3` → `1.39.3`). */
export function pinnedEnvoyRelease(): string {
  const tag = ENVOY_RELEASE_IMAGE.split(':').pop() ?? '';
  return tag.replace(/^v/, '');
}

let cachedSource: EnvoyApiSource | undefined;

/** Where the validator's Envoy protos come from (see {@link EnvoyApiSource}). */
export function envoyApiSource(): EnvoyApiSource {
  if (!cachedSource) cachedSource = findEnvoyApiSource();
  return cachedSource;
}

function findEnvoyApiSource(): EnvoyApiSource {
  const protobufjs = path.dirname(require.resolve('protobufjs/package.json'));
  const deps = path.join(path.dirname(require.resolve('@grpc/grpc-js-xds/package.json')), 'deps');
  const candidates = [
    process.env.ENVOY_API_DIR,
    path.resolve(__dirname, '..', '..', '..', 'shared', 'envoy-api', `v${pinnedEnvoyRelease()}`),
  ].filter((dir): dir is string => !!dir);
  const tree = candidates.find((dir) => fs.existsSync(path.join(dir, 'VERSION')));
  if (tree) {
    return {
      release: fs.readFileSync(path.join(tree, 'VERSION'), 'utf8').trim(),
      dir: path.join(tree, 'envoy-api'),
      includes: [...['envoy-api', 'xds', 'protoc-gen-validate'].map((dir) => path.join(tree, dir)), path.join(deps, 'googleapis'), protobufjs],
    };
  }
  return {
    dir: path.join(deps, 'envoy-api'),
    includes: [...['envoy-api', 'xds', 'googleapis', 'protoc-gen-validate'].map((dir) => path.join(deps, dir)), protobufjs],
  };
}

/** Include paths of the chosen source, and protobufjs for descriptor.proto. */
function protoIncludePaths(): string[] {
  return [...envoyApiSource().includes];
}

function findProto(includes: string[], file: string): string | undefined {
  if (path.isAbsolute(file)) return fs.existsSync(file) ? file : undefined;
  return includes.map((dir) => path.join(dir, file)).find((candidate) => fs.existsSync(candidate));
}

function protoFilesIn(includes: string[], dir: string): string[] {
  const found = findProto(includes, dir);
  if (!found) return [];
  return fs.readdirSync(found).filter((name) => name.endsWith('.proto')).sort().map((name) => `${dir}/${name}`);
}

function forEachType(namespace: protobuf.NamespaceBase, visit: (type: protobuf.Type) => void): void {
  for (const nested of namespace.nestedArray) {
    if (nested instanceof protobuf.Type) visit(nested);
    if (nested instanceof protobuf.Namespace || nested instanceof protobuf.Type) forEachType(nested, visit);
  }
}

/** Full name without protobufjs' leading dot, as used in type URLs. */
function typeName(type: protobuf.ReflectionObject): string {
  return type.fullName.replace(/^\./, '');
}

// ---------------------------------------------------------------------------
// Per-type metadata (computed once per message type)
// ---------------------------------------------------------------------------

/** A PGV rule set (a `validate.FieldRules` message, or a part of one) as parsed by protobufjs. */
type Rules = Record<string, unknown>;

interface FieldInfo {
  readonly field: protobuf.Field;
  /** Merged `(validate.rules)` of the field, if any. */
  readonly rules?: Rules;
  /** Whether the field holds cluster name(s) that must exist. */
  readonly clusterRef: boolean;
  /** Deprecated and rejected by Envoy unless re-enabled at runtime. */
  readonly disallowed: boolean;
}

interface OneofInfo {
  readonly name: string;
  readonly required: boolean;
  readonly members: ReadonlySet<protobuf.Field>;
}

interface TypeInfo {
  readonly name: string;
  /** Fields by proto name and by JSON (lowerCamel) name. */
  readonly byKey: ReadonlyMap<string, FieldInfo>;
  readonly fields: readonly FieldInfo[];
  readonly oneofs: readonly OneofInfo[];
}

/** Fields (`<message>.<field>`) whose values name clusters that must exist. */
const CLUSTER_REFERENCE_FIELDS = new Set([
  'envoy.config.route.v3.RouteAction.cluster',
  'envoy.config.route.v3.RouteAction.RequestMirrorPolicy.cluster',
  'envoy.config.route.v3.WeightedCluster.ClusterWeight.name',
  'envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.cluster',
  'envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.WeightedCluster.ClusterWeight.name',
  'envoy.config.core.v3.HttpUri.cluster',
  'envoy.config.core.v3.GrpcService.EnvoyGrpc.cluster_name',
  'envoy.extensions.clusters.aggregate.v3.ClusterConfig.clusters',
]);

/** Fails loudly if a proto update renamed a field the reference checks rely on. */
function assertClusterReferenceFieldsExist(root: protobuf.Root): void {
  for (const ref of CLUSTER_REFERENCE_FIELDS) {
    const dot = ref.lastIndexOf('.');
    const type = root.lookupType(`.${ref.slice(0, dot)}`);
    if (!type.fields[ref.slice(dot + 1)]) throw new Error(`envoy validator: no field ${ref} in the protos`);
  }
}

const typeInfos = new Map<protobuf.Type, TypeInfo>();

function typeInfo(type: protobuf.Type): TypeInfo {
  let info = typeInfos.get(type);
  if (!info) {
    info = buildTypeInfo(type);
    typeInfos.set(type, info);
  }
  return info;
}

function buildTypeInfo(type: protobuf.Type): TypeInfo {
  const name = typeName(type);
  const fields = type.fieldsArray.map((field) => ({
    field,
    rules: fieldRules(field),
    clusterRef: CLUSTER_REFERENCE_FIELDS.has(`${name}.${field.name}`),
    disallowed: field.options?.['(envoy.annotations.disallowed_by_default)'] === true,
  }));
  const byKey = new Map<string, FieldInfo>();
  for (const info of fields) {
    byKey.set(info.field.name, info);
    byKey.set(jsonName(info.field), info);
  }
  const oneofs = type.oneofsArray.map((oneof) => ({
    name: oneof.name,
    required: oneof.options?.['(validate.required)'] === true,
    members: new Set(oneof.fieldsArray),
  }));
  return { name, byKey, fields, oneofs };
}

/** The proto3 JSON name: an explicit json_name, else lowerCamel of the proto name. */
function jsonName(field: protobuf.Field): string {
  const explicit = field.options?.json_name;
  if (typeof explicit === 'string') return explicit;
  return field.name.replace(/_(.)/g, (_match, next: string) => next.toUpperCase());
}

/** The `(validate.rules)` of a field, merged from protobufjs' parsed options. */
function fieldRules(field: protobuf.ReflectionObject): Rules | undefined {
  const parsed = (field.parsedOptions ?? []) as unknown as Rules[];
  const all = parsed.map((option) => option['(validate.rules)']).filter(isObject);
  return all.length === 0 ? undefined : all.reduce((merged, rules) => deepMerge(merged, rules), {});
}

function deepMerge(target: Rules, source: Rules): Rules {
  for (const [key, value] of Object.entries(source)) {
    const existing = target[key];
    target[key] = isObject(existing) && isObject(value) ? deepMerge({ ...existing }, value) : value;
  }
  return target;
}

// ---------------------------------------------------------------------------
// Walking a JSON value along a proto type
// ---------------------------------------------------------------------------

/** A JSON value decoded for rule checks: scalars as JS values, Duration as nanoseconds, Any as its type URL. */
type Decoded = string | number | boolean | bigint | Buffer | Record<string, unknown> | unknown[] | null;

/** A JSON value that does not fit its proto type; the message explains why. */
class Invalid {
  constructor(readonly message: string) {}
}

interface ClusterReference {
  readonly name: string;
  readonly path: string;
}

/** Accumulates errors and cluster references while walking a configuration. */
class Walker {
  readonly errors: string[] = [];
  readonly clusterRefs: ClusterReference[] = [];
  /** Above 0 inside a message whose field says PGV `message.skip`: its own rules are not evaluated, its shape is. */
  private rulesOff = 0;

  constructor(readonly root: protobuf.Root) {}

  error(at: string, message: string): void {
    this.errors.push(`${at || '(root)'}: ${message}`);
  }

  /** Validates a JSON object as a message of `type`; `skipKeys` are handled by the caller (Any's `@type`). */
  message(type: protobuf.Type, value: unknown, at: string, skipKeys: readonly string[] = []): void {
    if (!isObject(value)) {
      this.error(at, `expected an object for ${typeName(type)}, got ${describe(value)}`);
      return;
    }
    const info = typeInfo(type);
    const present = new Map<FieldInfo, string>();
    for (const [key, fieldValue] of Object.entries(value)) {
      if (skipKeys.includes(key)) continue;
      const field = info.byKey.get(key);
      const fieldPath = joinPath(at, key);
      if (!field) {
        this.error(fieldPath, `unknown field '${key}' in ${info.name}`);
      } else if (present.has(field)) {
        this.error(fieldPath, `field ${field.field.name} is set twice (as '${present.get(field)}' and '${key}')`);
      } else if (fieldValue !== null || isValueType(field.field)) {
        present.set(field, key);
        this.field(field, fieldValue, fieldPath);
      }
    }
    this.oneofs(info, present, at);
    for (const field of info.fields) {
      if (!present.has(field)) this.absentField(field, joinPath(at, field.field.name));
    }
    MESSAGE_CHECKS[info.name]?.(value, at, this);
  }

  private field(info: FieldInfo, value: unknown, at: string): void {
    const { field, rules } = info;
    if (info.disallowed) this.error(at, `${field.name} is deprecated and disallowed by default`);
    if (field.map) {
      this.mapField(info, value, at);
    } else if (field.repeated) {
      this.repeatedField(info, value, at);
    } else {
      const decoded = this.withoutRules(skipsRules(rules), () => this.value(field, value, at));
      if (decoded instanceof Invalid) return;
      if (rules) this.ruleErrors(at, singularRuleViolations(rules, decoded, field));
      if (info.clusterRef) this.addClusterRef(decoded, at);
    }
  }

  private repeatedField(info: FieldInfo, value: unknown, at: string): void {
    if (!Array.isArray(value)) {
      this.error(at, `expected an array, got ${describe(value)}`);
      return;
    }
    const repeatedRules = ruleKind(info.rules, 'repeated');
    const itemRules = ruleKind(repeatedRules, 'items');
    const decoded: Decoded[] = [];
    value.forEach((item, index) => {
      const itemPath = `${at}[${index}]`;
      if (item === null && !isValueType(info.field)) {
        this.error(itemPath, 'null is not allowed in a repeated field');
        return;
      }
      const result = this.withoutRules(skipsRules(itemRules), () => this.value(info.field, item, itemPath));
      if (result instanceof Invalid) return;
      decoded.push(result);
      if (itemRules) this.ruleErrors(itemPath, singularRuleViolations(itemRules, result, info.field));
      if (info.clusterRef) this.addClusterRef(result, itemPath);
    });
    if (repeatedRules) this.ruleErrors(at, repeatedRuleViolations(repeatedRules, decoded));
  }

  private mapField(info: FieldInfo, value: unknown, at: string): void {
    if (!isObject(value)) {
      this.error(at, `expected an object (map), got ${describe(value)}`);
      return;
    }
    const mapRules = ruleKind(info.rules, 'map');
    const keyType = info.field instanceof protobuf.MapField ? info.field.keyType : 'string';
    for (const [key, item] of Object.entries(value)) {
      const itemPath = joinPath(at, key);
      const decodedKey = decodeMapKey(keyType, key);
      if (decodedKey instanceof Invalid) {
        this.error(itemPath, decodedKey.message);
        continue;
      }
      const keyRules = ruleKind(mapRules, 'keys');
      if (keyRules) this.ruleErrors(itemPath, singularRuleViolations(keyRules, decodedKey, info.field).map((m) => `map key ${m}`));
      if (item === null && !isValueType(info.field)) {
        this.error(itemPath, 'null is not allowed as a map value');
        continue;
      }
      const valueRules = ruleKind(mapRules, 'values');
      const decoded = this.withoutRules(skipsRules(valueRules), () => this.value(info.field, item, itemPath));
      if (!(decoded instanceof Invalid) && valueRules) this.ruleErrors(itemPath, singularRuleViolations(valueRules, decoded, info.field));
    }
    if (mapRules) this.ruleErrors(at, mapRuleViolations(mapRules, Object.keys(value).length));
  }

  /** A field that is absent (or null): PGV still checks proto3 scalars' default values, and required-ness. */
  private absentField(info: FieldInfo, at: string): void {
    const { field, rules } = info;
    if (!rules || this.rulesOff > 0) return;
    if (field.map) {
      const mapRules = ruleKind(rules, 'map');
      if (mapRules) this.ruleErrors(at, mapRuleViolations(mapRules, 0));
    } else if (field.repeated) {
      const repeatedRules = ruleKind(rules, 'repeated');
      if (repeatedRules) this.ruleErrors(at, repeatedRuleViolations(repeatedRules, []));
    } else if (field.partOf) {
      return; // oneof members (and proto3 `optional` fields) are only checked when set
    } else if (field.resolvedType instanceof protobuf.Type) {
      if (isRequired(rules)) this.error(at, `${field.name} is required [validate.rules]`);
    } else {
      this.ruleErrors(at, singularRuleViolations(rules, defaultValue(field), field));
    }
  }

  private oneofs(info: TypeInfo, present: ReadonlyMap<FieldInfo, string>, at: string): void {
    for (const oneof of info.oneofs) {
      const set = [...present].filter(([field]) => oneof.members.has(field.field)).map(([, key]) => `'${key}'`);
      if (set.length > 1) {
        this.error(at, `only one of ${set.join(', ')} may be set (oneof '${oneof.name}' of ${info.name})`);
      } else if (set.length === 0 && oneof.required && this.rulesOff === 0) {
        const names = [...oneof.members].map((field) => field.name).join(', ');
        this.error(at, `one of ${names} is required (oneof '${oneof.name}' of ${info.name}) [validate.required]`);
      }
    }
  }

  /** Validates one (non-repeated) value of `field`'s type and decodes it for rule checks. */
  private value(field: protobuf.Field, value: unknown, at: string): Decoded | Invalid {
    const type = field.resolvedType;
    let decoded: Decoded | Invalid;
    if (type instanceof protobuf.Enum) {
      decoded = decodeEnum(type, value);
    } else if (type instanceof protobuf.Type) {
      decoded = this.typedValue(type, value, at);
    } else {
      decoded = decodeScalar(field.type, value);
    }
    if (decoded instanceof Invalid && decoded.message) this.error(at, decoded.message);
    return decoded;
  }

  /** A message value: a well-known type with a special JSON form, Any, or a plain message. */
  private typedValue(type: protobuf.Type, value: unknown, at: string): Decoded | Invalid {
    const name = typeName(type);
    const wellKnown = WELL_KNOWN_TYPES[name];
    if (wellKnown) return wellKnown(value);
    if (name === 'google.protobuf.Any') return this.any(value, at);
    this.message(type, value, at);
    // Errors inside the message are already reported; an empty Invalid keeps rules from running twice.
    return isObject(value) ? value : new Invalid('');
  }

  /** `google.protobuf.Any`: `@type` must name a loaded message type; the rest is validated as that type. */
  private any(value: unknown, at: string): Decoded | Invalid {
    if (!isObject(value)) return new Invalid(`expected an object for google.protobuf.Any, got ${describe(value)}`);
    const typeUrl = value['@type'];
    if (typeof typeUrl !== 'string') return new Invalid("google.protobuf.Any requires an '@type' string");
    const type = lookupTypeUrl(this.root, typeUrl);
    if (!type) {
      this.error(joinPath(at, '@type'), `unknown type '${typeUrl}' (expected type.googleapis.com/<message type> of the loaded Envoy protos)`);
      return typeUrl;
    }
    if (WELL_KNOWN_TYPES[typeName(type)]) {
      this.wrappedWellKnown(type, value, at);
    } else {
      this.message(type, value, at, ['@type']);
    }
    return typeUrl;
  }

  /** An Any holding a well-known type carries its JSON form in `value`. */
  private wrappedWellKnown(type: protobuf.Type, any: Record<string, unknown>, at: string): void {
    for (const key of Object.keys(any)) {
      if (key !== '@type' && key !== 'value') this.error(joinPath(at, key), `unknown field '${key}' in an Any holding ${typeName(type)}`);
    }
    const decoded = WELL_KNOWN_TYPES[typeName(type)]!(any.value);
    if (decoded instanceof Invalid) this.error(joinPath(at, 'value'), decoded.message);
  }

  private ruleErrors(at: string, violations: string[]): void {
    if (this.rulesOff > 0) return;
    for (const violation of violations) this.error(at, violation);
  }

  private withoutRules<T>(skip: boolean, run: () => T): T {
    if (!skip) return run();
    this.rulesOff++;
    try {
      return run();
    } finally {
      this.rulesOff--;
    }
  }

  private addClusterRef(decoded: Decoded, at: string): void {
    if (typeof decoded === 'string' && decoded !== '') this.clusterRefs.push({ name: decoded, path: at });
  }
}

/** PGV `message.skip`: the embedded message is not validated against its own rules (Envoy still parses it). */
function skipsRules(rules: Rules | undefined): boolean {
  return ruleKind(rules, 'message')?.skip === true;
}

function lookupTypeUrl(root: protobuf.Root, typeUrl: string): protobuf.Type | undefined {
  const slash = typeUrl.lastIndexOf('/');
  if (slash < 0) return undefined;
  const found = root.lookup(`.${typeUrl.slice(slash + 1)}`);
  return found instanceof protobuf.Type ? found : undefined;
}

/** A google.protobuf.Value (or NullValue) field takes JSON null as a value rather than as "unset". */
function isValueType(field: protobuf.Field): boolean {
  const type = field.resolvedType;
  return type !== null && ['google.protobuf.Value', 'google.protobuf.NullValue'].includes(typeName(type));
}

function isRequired(rules: Rules): boolean {
  return ['message', 'duration', 'any', 'timestamp'].some((kind) => ruleKind(rules, kind)?.required === true);
}

/** The proto3 default of a scalar or enum field, which PGV validates when the field is unset. */
function defaultValue(field: protobuf.Field): Decoded {
  if (field.resolvedType instanceof protobuf.Enum) return 0;
  switch (field.type) {
    case 'string': return '';
    case 'bytes': return Buffer.alloc(0);
    case 'bool': return false;
    default: return 0;
  }
}

// ---------------------------------------------------------------------------
// Decoding JSON scalars, enums and well-known types
// ---------------------------------------------------------------------------

const INTEGER_RANGES: Record<string, readonly [bigint, bigint]> = {
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  sint32: [-(2n ** 31n), 2n ** 31n - 1n],
  sfixed32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  fixed32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  sint64: [-(2n ** 63n), 2n ** 63n - 1n],
  sfixed64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  fixed64: [0n, 2n ** 64n - 1n],
};

const FLOAT_MAX = 3.4028234663852886e38;

function decodeScalar(type: string, value: unknown): Decoded | Invalid {
  if (type in INTEGER_RANGES) return decodeInteger(type, value);
  switch (type) {
    case 'double':
    case 'float': return decodeFloat(type, value);
    case 'bool': return typeof value === 'boolean' ? value : new Invalid(`expected a boolean, got ${describe(value)}`);
    case 'string': return typeof value === 'string' ? value : new Invalid(`expected a string, got ${describe(value)}`);
    case 'bytes': return decodeBytes(value);
    default: return new Invalid(`unsupported scalar type ${type}`);
  }
}

/** Integers: a JSON number or a decimal string (proto3 JSON allows both, for 32-bit types too). */
function decodeInteger(type: string, value: unknown): number | Invalid {
  let big: bigint;
  if (typeof value === 'number' && Number.isInteger(value)) {
    big = BigInt(value);
  } else if (typeof value === 'string' && /^-?\d+$/.test(value)) {
    big = BigInt(value);
  } else {
    return new Invalid(`expected ${type} (an integer or a decimal string), got ${describe(value)}`);
  }
  const [min, max] = INTEGER_RANGES[type];
  if (big < min || big > max) return new Invalid(`${value} is out of range for ${type}`);
  return Number(big);
}

function decodeFloat(type: string, value: unknown): number | Invalid {
  let number: number | undefined;
  if (typeof value === 'number') {
    number = value;
  } else if (typeof value === 'string' && /^(NaN|-?Infinity|-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)$/.test(value)) {
    number = Number(value);
  }
  if (number === undefined) return new Invalid(`expected ${type} (a number), got ${describe(value)}`);
  if (type === 'float' && Number.isFinite(number) && Math.abs(number) > FLOAT_MAX) return new Invalid(`${value} is out of range for float`);
  return number;
}

/** Bytes: standard or URL-safe base64, padded or not. */
function decodeBytes(value: unknown): Buffer | Invalid {
  const valid = typeof value === 'string'
    && /^([A-Za-z0-9+/]*|[A-Za-z0-9\-_]*)={0,2}$/.test(value)
    && (value.includes('=') ? value.length % 4 === 0 : value.length % 4 !== 1);
  if (!valid) return new Invalid(`expected base64-encoded bytes, got ${describe(value)}`);
  return Buffer.from(value, 'base64');
}

/** Enums: a value name, or a number (proto3 enums are open; PGV `defined_only` restricts them). */
function decodeEnum(type: protobuf.Enum, value: unknown): number | null | Invalid {
  const name = typeName(type);
  if (name === 'google.protobuf.NullValue' && value === null) return null;
  if (typeof value === 'string') {
    const number = type.values[value];
    if (number === undefined) return new Invalid(`unknown enum value '${value}' for ${name}`);
    if (type.valuesOptions?.[value]?.['(envoy.annotations.disallowed_by_default_enum)'] === true) {
      return new Invalid(`enum value '${value}' of ${name} is deprecated and disallowed by default`);
    }
    return number;
  }
  const number = decodeInteger('int32', value);
  return number instanceof Invalid ? new Invalid(`expected an enum name of ${name}, got ${describe(value)}`) : number;
}

function decodeMapKey(keyType: string, key: string): Decoded | Invalid {
  if (keyType === 'string') return key;
  if (keyType === 'bool') return key === 'true' || key === 'false' ? key === 'true' : new Invalid(`map key '${key}' is not a bool`);
  const decoded = decodeInteger(keyType, key);
  return decoded instanceof Invalid ? new Invalid(`map key '${key}' is not a ${keyType}`) : decoded;
}

const DURATION_PATTERN = /^(-)?(\d+)(?:\.(\d{1,9}))?s$/;
const MAX_DURATION_SECONDS = 315_576_000_000n;

/** `google.protobuf.Duration` as a string like "1s" or "0.250s", decoded to nanoseconds. */
function decodeDuration(value: unknown): bigint | Invalid {
  const match = typeof value === 'string' ? DURATION_PATTERN.exec(value) : null;
  if (!match) return new Invalid(`expected a google.protobuf.Duration string like "1s" or "0.250s", got ${describe(value)}`);
  const seconds = BigInt(match[2]);
  if (seconds > MAX_DURATION_SECONDS) return new Invalid(`duration ${value} is out of range`);
  const nanos = seconds * 1_000_000_000n + BigInt((match[3] ?? '').padEnd(9, '0'));
  return match[1] ? -nanos : nanos;
}

const TIMESTAMP_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function decodeTimestamp(value: unknown): string | Invalid {
  const valid = typeof value === 'string' && TIMESTAMP_PATTERN.test(value) && !Number.isNaN(Date.parse(value));
  return valid ? value : new Invalid(`expected an RFC 3339 timestamp string, got ${describe(value)}`);
}

/** A wrapper type (`google.protobuf.UInt32Value` etc.) is its bare scalar in JSON. */
function wrapper(scalarType: string): (value: unknown) => Decoded | Invalid {
  return (value) => decodeScalar(scalarType, value);
}

/** Well-known types whose JSON form is not an object of their fields. */
const WELL_KNOWN_TYPES: Record<string, ((value: unknown) => Decoded | Invalid) | undefined> = {
  'google.protobuf.Duration': decodeDuration,
  'google.protobuf.Timestamp': decodeTimestamp,
  'google.protobuf.FieldMask': (value) => typeof value === 'string' ? value : new Invalid(`expected a field mask string, got ${describe(value)}`),
  'google.protobuf.Struct': (value) => isObject(value) ? value : new Invalid(`expected an object (Struct), got ${describe(value)}`),
  'google.protobuf.ListValue': (value) => Array.isArray(value) ? value : new Invalid(`expected an array (ListValue), got ${describe(value)}`),
  'google.protobuf.Value': (value) => value as Decoded,
  'google.protobuf.DoubleValue': wrapper('double'),
  'google.protobuf.FloatValue': wrapper('float'),
  'google.protobuf.Int64Value': wrapper('int64'),
  'google.protobuf.UInt64Value': wrapper('uint64'),
  'google.protobuf.Int32Value': wrapper('int32'),
  'google.protobuf.UInt32Value': wrapper('uint32'),
  'google.protobuf.BoolValue': wrapper('bool'),
  'google.protobuf.StringValue': wrapper('string'),
  'google.protobuf.BytesValue': wrapper('bytes'),
};

// ---------------------------------------------------------------------------
// protoc-gen-validate rules
// ---------------------------------------------------------------------------

type RuleChecker = (rules: Rules, value: Decoded, field: protobuf.Field) => string[];

const NUMERIC_KINDS = ['double', 'float', ...Object.keys(INTEGER_RANGES)];
const NUMERIC_RULES = ['const', 'lt', 'lte', 'gt', 'gte', 'in', 'not_in', 'ignore_empty'];

/** Rule keys enforced, per rule kind (a `validate.FieldRules` member). */
const SUPPORTED_RULES: Record<string, readonly string[]> = {
  ...Object.fromEntries(NUMERIC_KINDS.map((kind) => [kind, NUMERIC_RULES])),
  bool: ['const'],
  string: [
    'const', 'len', 'min_len', 'max_len', 'len_bytes', 'min_bytes', 'max_bytes', 'pattern', 'prefix', 'suffix',
    'contains', 'not_contains', 'in', 'not_in', 'well_known_regex', 'strict', 'ignore_empty',
  ],
  bytes: ['len', 'min_len', 'max_len', 'ignore_empty'],
  enum: ['const', 'defined_only', 'in', 'not_in'],
  message: ['required', 'skip'],
  repeated: ['min_items', 'max_items', 'unique', 'items', 'ignore_empty'],
  map: ['min_pairs', 'max_pairs', 'keys', 'values', 'no_sparse', 'ignore_empty'],
  any: ['required', 'in', 'not_in'],
  duration: ['required', 'const', 'lt', 'lte', 'gt', 'gte', 'in', 'not_in'],
  timestamp: ['required'],
};

/** Rule keys of `rules` (recursing into items/keys/values) that are not enforced. */
function unsupportedRuleKeys(rules: Rules, prefix: string): string[] {
  const unsupported: string[] = [];
  for (const [kind, kindRules] of Object.entries(rules)) {
    const supported = SUPPORTED_RULES[kind];
    if (!supported || !isObject(kindRules)) {
      unsupported.push(`${prefix}${kind}`);
      continue;
    }
    for (const [key, value] of Object.entries(kindRules)) {
      if (!supported.includes(key)) {unsupported.push(`${prefix}${kind}.${key}`);} else if (['items', 'keys', 'values'].includes(key) && isObject(value)) {
        unsupported.push(...unsupportedRuleKeys(value, `${prefix}${kind}.${key}.`));
      } else if (key === 'pattern' && typeof value === 'string' && !compilePattern(value)) {
        unsupported.push(`${prefix}${kind}.pattern /${value}/`);
      }
    }
  }
  return unsupported;
}

/** Message- and oneof-level PGV options other than `(validate.required)` on oneofs, which are not enforced. */
function unsupportedTypeOptions(type: protobuf.Type): string[] {
  const keys = Object.keys(type.options ?? {}).filter((key) => key.startsWith('(validate.'));
  for (const oneof of type.oneofsArray) {
    keys.push(...Object.keys(oneof.options ?? {}).filter((key) => key.startsWith('(validate.') && key !== '(validate.required)'));
  }
  return keys;
}

/** Violations of the rules of a present, singular (or repeated item / map entry) value. */
function singularRuleViolations(rules: Rules, value: Decoded, field: protobuf.Field): string[] {
  const violations: string[] = [];
  for (const [kind, kindRules] of Object.entries(rules)) {
    const check = RULE_CHECKERS[kind];
    if (check && isObject(kindRules)) violations.push(...check(kindRules, value, field).map((v) => `${v} [validate.rules ${kind}]`));
  }
  return violations;
}

function repeatedRuleViolations(rules: Rules, items: readonly Decoded[]): string[] {
  if (rules.ignore_empty === true && items.length === 0) return [];
  const violations = sizeViolations(items.length, 'item', undefined, rules.min_items, rules.max_items);
  if (rules.unique === true) {
    const keys = items.map((item) => (Buffer.isBuffer(item) ? item.toString('base64') : JSON.stringify(item, bigintReplacer)));
    if (new Set(keys).size !== keys.length) violations.push('items must be unique');
  }
  return violations.map((v) => `${v} [validate.rules repeated]`);
}

function mapRuleViolations(rules: Rules, size: number): string[] {
  if (rules.ignore_empty === true && size === 0) return [];
  return sizeViolations(size, 'entry', undefined, rules.min_pairs, rules.max_pairs).map((v) => `${v} [validate.rules map]`);
}

/** Checks a size (of a list, map, string or bytes) against PGV's exact/min/max size rules. */
function sizeViolations(size: number, unit: string, exact: unknown, min: unknown, max: unknown): string[] {
  const violations: string[] = [];
  if (typeof exact === 'number' && size !== exact) violations.push(`must have exactly ${counted(exact, unit)}`);
  if (typeof min === 'number' && size < min) violations.push(`must have at least ${counted(min, unit)}`);
  if (typeof max === 'number' && size > max) violations.push(`must have at most ${counted(max, unit)}`);
  return violations.map((violation) => `${violation} (got ${size})`);
}

function counted(count: number, unit: string): string {
  return `${count} ${count === 1 ? unit : unit.replace(/y$/, 'ie') + 's'}`;
}

const RULE_CHECKERS: Record<string, RuleChecker | undefined> = {
  ...Object.fromEntries(NUMERIC_KINDS.map((kind) => [kind, numericViolations])),
  bool: (rules, value) => (rules.const !== undefined && value !== rules.const ? [`must be ${String(rules.const)}`] : []),
  string: stringViolations,
  bytes: bytesViolations,
  enum: enumViolations,
  duration: durationViolations,
  any: anyViolations,
};

function numericViolations(rules: Rules, value: Decoded): string[] {
  if (typeof value !== 'number') return [];
  if (rules.ignore_empty === true && value === 0) return [];
  return orderedViolations(rules, value, (bound) => (typeof bound === 'number' ? bound : undefined), (a, b) => a - b, String);
}

function durationViolations(rules: Rules, value: Decoded): string[] {
  if (typeof value !== 'bigint') return [];
  const compare = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);
  return orderedViolations(rules, value, durationRuleValue, compare, formatNanos);
}

/**
 * The PGV checks shared by numbers and durations: const, in, not_in and the
 * gt/gte/lt/lte range (an inverted range, e.g. lt < gt, excludes the middle).
 */
function orderedViolations<T>(
  rules: Rules,
  value: T,
  bound: (ruleValue: unknown) => T | undefined,
  compare: (a: T, b: T) => number,
  format: (v: T) => string,
): string[] {
  const violations: string[] = [];
  const constant = bound(rules.const);
  if (constant !== undefined && compare(value, constant) !== 0) violations.push(`must equal ${format(constant)} (got ${format(value)})`);
  const listed = (ruleValue: unknown) => toList(ruleValue).map(bound).filter((b): b is T => b !== undefined);
  const allowed = listed(rules.in);
  if (allowed.length > 0 && !allowed.some((b) => compare(value, b) === 0)) {
    violations.push(`must be one of ${allowed.map(format).join(', ')} (got ${format(value)})`);
  }
  if (listed(rules.not_in).some((b) => compare(value, b) === 0)) violations.push(`must not be ${format(value)}`);
  const range = rangeViolation(rules, value, bound, compare, format);
  if (range) violations.push(range);
  return violations;
}

function rangeViolation<T>(
  rules: Rules,
  value: T,
  bound: (ruleValue: unknown) => T | undefined,
  compare: (a: T, b: T) => number,
  format: (v: T) => string,
): string | undefined {
  const gt = bound(rules.gt);
  const gte = bound(rules.gte);
  const lt = bound(rules.lt);
  const lte = bound(rules.lte);
  const lower = gt !== undefined ? { value: gt, op: '>', ok: compare(value, gt) > 0 }
    : gte !== undefined ? { value: gte, op: '>=', ok: compare(value, gte) >= 0 } : undefined;
  const upper = lt !== undefined ? { value: lt, op: '<', ok: compare(value, lt) < 0 }
    : lte !== undefined ? { value: lte, op: '<=', ok: compare(value, lte) <= 0 } : undefined;
  const parts = [lower, upper].filter((b) => b !== undefined);
  if (parts.length === 0) return undefined;
  const inverted = lower !== undefined && upper !== undefined && compare(upper.value, lower.value) < 0;
  const ok = inverted ? parts.some((b) => b.ok) : parts.every((b) => b.ok);
  if (ok) return undefined;
  const description = parts.map((b) => `${b.op} ${format(b.value)}`).join(inverted ? ' or ' : ' and ');
  return `must be ${description} (got ${format(value)})`;
}

/** A duration bound in the rules, `{seconds, nanos}` (either may be omitted), as nanoseconds. */
function durationRuleValue(rule: unknown): bigint | undefined {
  if (!isObject(rule)) return undefined;
  const seconds = typeof rule.seconds === 'number' ? rule.seconds : 0;
  const nanos = typeof rule.nanos === 'number' ? rule.nanos : 0;
  return BigInt(seconds) * 1_000_000_000n + BigInt(nanos);
}

function formatNanos(nanos: bigint): string {
  const sign = nanos < 0n ? '-' : '';
  const abs = nanos < 0n ? -nanos : nanos;
  const fraction = (abs % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '');
  return `${sign}${abs / 1_000_000_000n}${fraction ? `.${fraction}` : ''}s`;
}

/** PGV's `well_known_regex` header regexes, exactly as PGV generates them (`+-.` is a range in the name class). */
const HEADER_REGEXES: Record<string, RegExp | undefined> = {
  HTTP_HEADER_NAME: /^:?[0-9a-zA-Z!#$%&'*+-.^_|~`]+$/,
  HTTP_HEADER_VALUE: /^[^\u0000-\u0008\u000A-\u001F\u007F]*$/,
};

/** What `well_known_regex` checks instead when `strict: false`. */
const LOOSE_HEADER_REGEX = /^[^\u0000\u000A\u000D]*$/;

function stringViolations(rules: Rules, value: Decoded): string[] {
  if (typeof value !== 'string' || (rules.ignore_empty === true && value === '')) return [];
  const shown = JSON.stringify(value);
  const violations = [
    ...sizeViolations([...value].length, 'character', rules.len, rules.min_len, rules.max_len),
    ...sizeViolations(Buffer.byteLength(value, 'utf8'), 'byte', rules.len_bytes, rules.min_bytes, rules.max_bytes),
  ].map((violation) => violation.replace(/\(got \d+\)$/, `(got ${shown})`));
  const expect = (ok: boolean, expectation: string): void => {
    if (!ok) violations.push(`${expectation} (got ${shown})`);
  };
  const quote = (ruleValue: unknown): string => JSON.stringify(ruleValue);
  expect(rules.const === undefined || value === rules.const, `must equal ${quote(rules.const)}`);
  expect(typeof rules.prefix !== 'string' || value.startsWith(rules.prefix), `must start with ${quote(rules.prefix)}`);
  expect(typeof rules.suffix !== 'string' || value.endsWith(rules.suffix), `must end with ${quote(rules.suffix)}`);
  expect(typeof rules.contains !== 'string' || value.includes(rules.contains), `must contain ${quote(rules.contains)}`);
  expect(typeof rules.not_contains !== 'string' || !value.includes(rules.not_contains), `must not contain ${quote(rules.not_contains)}`);
  expect(rules.in === undefined || toList(rules.in).includes(value), `must be one of ${toList(rules.in).map(quote).join(', ')}`);
  expect(!toList(rules.not_in).includes(value), 'must not be this value');
  expect(matchesPattern(rules.pattern, value), `must match /${String(rules.pattern)}/`);
  expect(matchesWellKnownRegex(rules, value), `must be a valid ${String(rules.well_known_regex)}`);
  return violations;
}

function matchesWellKnownRegex(rules: Rules, value: string): boolean {
  const regex = typeof rules.well_known_regex === 'string' ? HEADER_REGEXES[rules.well_known_regex] : undefined;
  if (!regex) return true;
  return (rules.strict === false ? LOOSE_HEADER_REGEX : regex).test(value);
}

const compiledPatterns = new Map<string, RegExp | null>();

/** Compiles a PGV (RE2) pattern as a JS regex; null if JS cannot express it. */
function compilePattern(pattern: string): RegExp | null {
  if (!compiledPatterns.has(pattern)) {
    let regex: RegExp | null;
    try {
      regex = new RegExp(pattern, 'u');
    } catch {
      regex = null;
    }
    compiledPatterns.set(pattern, regex);
  }
  return compiledPatterns.get(pattern)!;
}

function matchesPattern(pattern: unknown, value: string): boolean {
  if (typeof pattern !== 'string') return true;
  const regex = compilePattern(pattern);
  return regex === null || regex.test(value); // an inexpressible pattern is reported by unsupportedValidationRules()
}

function bytesViolations(rules: Rules, value: Decoded): string[] {
  if (!Buffer.isBuffer(value) || (rules.ignore_empty === true && value.length === 0)) return [];
  return sizeViolations(value.length, 'byte', rules.len, rules.min_len, rules.max_len);
}

function enumViolations(rules: Rules, value: Decoded, field: protobuf.Field): string[] {
  if (typeof value !== 'number') return [];
  const violations = orderedViolations(
    { const: rules.const, in: rules.in, not_in: rules.not_in }, value, (b) => (typeof b === 'number' ? b : undefined), (a, b) => a - b, String);
  const type = field.resolvedType;
  if (rules.defined_only === true && type instanceof protobuf.Enum && type.valuesById[value] === undefined) {
    violations.push(`must be a defined value of ${typeName(type)} (got ${value})`);
  }
  return violations;
}

function anyViolations(rules: Rules, value: Decoded): string[] {
  if (typeof value !== 'string') return [];
  const allowed = toList(rules.in);
  if (allowed.length > 0 && !allowed.includes(value)) return [`type must be one of ${allowed.join(', ')} (got ${value})`];
  return toList(rules.not_in).includes(value) ? [`type ${value} is not allowed`] : [];
}

function ruleKind(rules: Rules | undefined, kind: string): Rules | undefined {
  const value = rules?.[kind];
  return isObject(value) ? value : undefined;
}

// ---------------------------------------------------------------------------
// Envoy load-time checks beyond the protos
// ---------------------------------------------------------------------------

type MessageCheck = (message: Record<string, unknown>, at: string, walker: Walker) => void;

const ROUTER = 'envoy.extensions.filters.http.router.v3.Router';
const TERMINAL_NETWORK_FILTERS = [
  'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
  'envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy',
];

/** Checks run on every message of a given type once it has been walked. */
const MESSAGE_CHECKS: Record<string, MessageCheck | undefined> = {
  'envoy.config.cluster.v3.Cluster': checkClusterEndpoints,
  'envoy.config.route.v3.RouteConfiguration': checkUniqueDomains,
  'envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager': (hcm, at, walker) =>
    checkTerminalFilter(list(getField(hcm, 'http_filters')), joinPath(at, 'http_filters'), [ROUTER], 'http', walker),
  'envoy.config.listener.v3.FilterChain': (chain, at, walker) =>
    checkTerminalFilter(list(getField(chain, 'filters')), joinPath(at, 'filters'), TERMINAL_NETWORK_FILTERS, 'network', walker),
  'envoy.config.listener.v3.Listener': checkListener,
  'envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext': checkServerCertificate,
  'envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication': checkJwtRequirements,
};

/** Cluster discovery types whose endpoints come from `load_assignment`. */
const ENDPOINT_CLUSTER_TYPES = ['STATIC', 'STRICT_DNS', 'LOGICAL_DNS'];
const CLUSTER_TYPE_NAMES = ['STATIC', 'STRICT_DNS', 'LOGICAL_DNS', 'EDS', 'ORIGINAL_DST'];

/**
 * STATIC/STRICT_DNS/LOGICAL_DNS clusters take their endpoints from
 * `load_assignment` (whose `cluster_name` PGV requires); LOGICAL_DNS needs
 * exactly one endpoint and STATIC endpoints must be IP addresses.
 */
function checkClusterEndpoints(cluster: Record<string, unknown>, at: string, walker: Walker): void {
  if (getField(cluster, 'cluster_type') !== undefined) return;
  const rawType = getField(cluster, 'type') ?? 'STATIC';
  const type = typeof rawType === 'number' ? CLUSTER_TYPE_NAMES[rawType] : rawType;
  if (typeof type !== 'string' || !ENDPOINT_CLUSTER_TYPES.includes(type)) return;
  const assignment = getField(cluster, 'load_assignment');
  if (!isObject(assignment)) {
    walker.error(joinPath(at, 'load_assignment'), `load_assignment (with cluster_name and endpoints) is required for a ${type} cluster`);
    return;
  }
  const endpoints = list(getField(assignment, 'endpoints')).flatMap((locality, i) =>
    list(getField(locality, 'lb_endpoints')).map((lbEndpoint, j) => ({
      address: getField(getField(lbEndpoint, 'endpoint'), 'address'),
      path: `${joinPath(at, 'load_assignment')}.endpoints[${i}].lb_endpoints[${j}].endpoint.address`,
    })));
  if (type === 'LOGICAL_DNS' && endpoints.length !== 1) {
    walker.error(joinPath(at, 'load_assignment'), `a LOGICAL_DNS cluster must have exactly one endpoint (got ${endpoints.length})`);
  }
  for (const endpoint of endpoints) checkEndpointAddress(endpoint.address, endpoint.path, type, walker);
}

/** An endpoint of a STATIC/STRICT_DNS/LOGICAL_DNS cluster needs an address; a STATIC one, an IP. */
function checkEndpointAddress(address: unknown, at: string, clusterType: string, walker: Walker): void {
  if (!['socket_address', 'pipe', 'envoy_internal_address'].some((form) => getField(address, form) !== undefined)) {
    walker.error(at, `an endpoint address is required in a ${clusterType} cluster`);
    return;
  }
  const socket = getField(address, 'socket_address');
  const host = getField(socket, 'address');
  if (clusterType === 'STATIC' && typeof host === 'string' && host !== '' && getField(socket, 'resolver_name') === undefined && isIP(host) === 0) {
    walker.error(`${at}.socket_address.address`, `a STATIC cluster's endpoint must be an IP address (got '${host}'); use STRICT_DNS for hostnames`);
  }
}

/**
 * Envoy refuses a listener without an address (unless it is an API or internal
 * listener) and a TCP listener without any filter chain.
 */
function checkListener(listener: Record<string, unknown>, at: string, walker: Walker): void {
  if (getField(listener, 'api_listener') !== undefined) return;
  const address = getField(listener, 'address');
  if (address === undefined && getField(listener, 'internal_listener') === undefined) {
    walker.error(joinPath(at, 'address'), 'a listener needs an address (unless api_listener or internal_listener is set)');
  }
  const udp = getField(getField(address, 'socket_address'), 'protocol') === 'UDP' || getField(listener, 'udp_listener_config') !== undefined;
  const chains = list(getField(listener, 'filter_chains')).length + (getField(listener, 'default_filter_chain') === undefined ? 0 : 1);
  if (chains === 0 && !udp) walker.error(joinPath(at, 'filter_chains'), 'a listener needs at least one filter chain (or default_filter_chain)');
}

/** Certificate sources of a CommonTlsContext; a server (downstream) context needs one of them. */
const CERTIFICATE_FIELDS = [
  'tls_certificates',
  'tls_certificate_sds_secret_configs',
  'tls_certificate_provider_instance',
  'tls_certificate_certificate_provider',
  'tls_certificate_certificate_provider_instance',
  'custom_handshaker',
];

function checkServerCertificate(context: Record<string, unknown>, at: string, walker: Walker): void {
  const common = getField(context, 'common_tls_context');
  const hasCertificate = CERTIFICATE_FIELDS.some((field) => {
    const value = getField(common, field);
    return Array.isArray(value) ? value.length > 0 : value !== undefined;
  });
  if (!hasCertificate) {
    walker.error(joinPath(at, 'common_tls_context'), 'a DownstreamTlsContext needs a certificate (tls_certificates, tls_certificate_sds_secret_configs or a provider)');
  }
}

/** JWT rules may only require configured providers and named requirements. */
function checkJwtRequirements(jwt: Record<string, unknown>, at: string, walker: Walker): void {
  const providers = new Set(mapKeys(getField(jwt, 'providers')));
  const requirementMap = getField(jwt, 'requirement_map');
  const requirementNames = new Set(mapKeys(requirementMap));
  list(getField(jwt, 'rules')).forEach((rule, i) => {
    const rulePath = `${joinPath(at, 'rules')}[${i}]`;
    checkJwtRequirement(getField(rule, 'requires'), `${rulePath}.requires`, providers, walker);
    const name = getField(rule, 'requirement_name');
    if (typeof name === 'string' && !requirementNames.has(name)) {
      walker.error(`${rulePath}.requirement_name`, `unknown JWT requirement '${name}' (not in requirement_map)`);
    }
  });
  for (const name of mapKeys(requirementMap)) {
    checkJwtRequirement(getField(requirementMap, name), joinPath(joinPath(at, 'requirement_map'), name), providers, walker);
  }
}

/** Checks the providers named by a JwtRequirement, recursing into requires_any/requires_all. */
function checkJwtRequirement(requirement: unknown, at: string, providers: ReadonlySet<string>, walker: Walker): void {
  const named: [string, unknown][] = [
    ['provider_name', getField(requirement, 'provider_name')],
    ['provider_and_audiences.provider_name', getField(getField(requirement, 'provider_and_audiences'), 'provider_name')],
  ];
  for (const [field, provider] of named) {
    if (typeof provider === 'string' && !providers.has(provider)) walker.error(`${at}.${field}`, `unknown JWT provider '${provider}' (not in providers)`);
  }
  for (const group of ['requires_any', 'requires_all']) {
    list(getField(getField(requirement, group), 'requirements')).forEach((nested, i) =>
      checkJwtRequirement(nested, `${at}.${group}.requirements[${i}]`, providers, walker));
  }
}

/** Envoy rejects a route configuration in which two virtual hosts claim the same domain. */
function checkUniqueDomains(routeConfig: Record<string, unknown>, at: string, walker: Walker): void {
  const seen = new Map<string, string>();
  list(getField(routeConfig, 'virtual_hosts')).forEach((host, i) => {
    list(getField(host, 'domains')).forEach((domain, j) => {
      if (typeof domain !== 'string') return;
      const domainPath = `${joinPath(at, 'virtual_hosts')}[${i}].domains[${j}]`;
      const first = seen.get(domain.toLowerCase());
      if (first) walker.error(domainPath, `duplicate domain '${domain}' (also at ${first})`);
      else seen.set(domain.toLowerCase(), domainPath);
    });
  });
}

/** A filter chain must end with exactly one terminal filter (router for HTTP; HCM or tcp_proxy for network). */
function checkTerminalFilter(filters: unknown[], at: string, terminal: readonly string[], kind: string, walker: Walker): void {
  filters.forEach((filter, i) => {
    const type = filterType(filter, walker.root);
    if (type === undefined) return;
    const isTerminal = terminal.includes(type);
    const isLast = i === filters.length - 1;
    if (isTerminal && !isLast) {
      walker.error(`${at}[${i}]`, `terminal ${kind} filter ${type} must be the last filter`);
    } else if (!isTerminal && isLast) {
      walker.error(`${at}[${i}]`, `the last ${kind} filter must be terminal (${terminal.join(' or ')}), got ${type}`);
    }
  });
}

/** The message type of a filter's `typed_config`, if given and known (an unknown one is reported already). */
function filterType(filter: unknown, root: protobuf.Root): string | undefined {
  const typeUrl = getField(getField(filter, 'typed_config'), '@type');
  const type = typeof typeUrl === 'string' ? lookupTypeUrl(root, typeUrl) : undefined;
  return type && typeName(type);
}

/**
 * Bootstrap-wide checks: unique cluster and listener names, unique listener
 * addresses (admin included), and references to existing clusters (skipped
 * when clusters may also come from CDS).
 */
function checkBootstrap(config: unknown, walker: Walker): void {
  const resources = getField(config, 'static_resources');
  const clusters = namedItems(getField(resources, 'clusters'), 'static_resources.clusters');
  const listeners = namedItems(getField(resources, 'listeners'), 'static_resources.listeners');
  reportDuplicates(clusters.filter((cluster) => cluster.key !== ''), 'cluster name', walker);
  reportDuplicates(listeners.filter((listener) => listener.key !== ''), 'listener name', walker);
  reportDuplicates(listenerAddresses(config, listeners), 'listener address', walker);
  const dynamic = getField(config, 'dynamic_resources');
  if (getField(dynamic, 'cds_config') !== undefined || getField(dynamic, 'cds_resources_locator') !== undefined) return;
  const clusterNames = new Set(clusters.map((cluster) => cluster.key));
  for (const ref of walker.clusterRefs) {
    if (!clusterNames.has(ref.name)) walker.error(ref.path, `unknown cluster '${ref.name}' (not in static_resources.clusters)`);
  }
}

interface Keyed {
  readonly key: string;
  readonly path: string;
  readonly value: unknown;
}

function namedItems(items: unknown, at: string): Keyed[] {
  return list(items).map((value, i) => {
    const name = getField(value, 'name');
    return { key: typeof name === 'string' ? name : '', path: `${at}[${i}]`, value };
  });
}

function listenerAddresses(config: unknown, listeners: Keyed[]): Keyed[] {
  const addresses: Keyed[] = [];
  const add = (address: unknown, at: string) => {
    const key = addressKey(address);
    if (key) addresses.push({ key, path: at, value: address });
  };
  add(getField(getField(config, 'admin'), 'address'), 'admin.address');
  for (const listener of listeners) {
    add(getField(listener.value, 'address'), `${listener.path}.address`);
    list(getField(listener.value, 'additional_addresses')).forEach((extra, i) =>
      add(getField(extra, 'address'), `${listener.path}.additional_addresses[${i}].address`));
  }
  return addresses;
}

/** A comparable key for a bound address; undefined for ephemeral ports and unrecognised forms. */
function addressKey(address: unknown): string | undefined {
  const socket = getField(address, 'socket_address');
  if (isObject(socket)) {
    const port = getField(socket, 'port_value') ?? getField(socket, 'named_port');
    if (port === undefined || port === 0 || port === '0') return undefined;
    return `${String(getField(socket, 'protocol') ?? 'TCP')} ${String(getField(socket, 'address'))}:${String(port)}`;
  }
  const pipe = getField(getField(address, 'pipe'), 'path');
  if (typeof pipe === 'string') return `pipe ${pipe}`;
  const internal = getField(getField(address, 'envoy_internal_address'), 'server_listener_name');
  return typeof internal === 'string' ? `internal ${internal}` : undefined;
}

function reportDuplicates(items: Keyed[], what: string, walker: Walker): void {
  const first = new Map<string, string>();
  for (const item of items) {
    const earlier = first.get(item.key);
    const at = what.endsWith('name') ? `${item.path}.name` : item.path;
    if (earlier) walker.error(at, `duplicate ${what} '${item.key}' (also at ${earlier})`);
    else first.set(item.key, item.path);
  }
}

// ---------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

function mapKeys(value: unknown): string[] {
  return isObject(value) ? Object.keys(value) : [];
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function toList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Reads a field of a JSON message by proto name or lowerCamel JSON name. */
function getField(message: unknown, protoName: string): unknown {
  if (!isObject(message)) return undefined;
  const value = message[protoName] ?? message[protoName.replace(/_(.)/g, (_m, next: string) => next.toUpperCase())];
  return value === null ? undefined : value;
}

/** Appends a key to a JSON path: `a.b`, or `a["key.with.dots"]`. */
function joinPath(at: string, key: string): string {
  if (/^[A-Za-z_@][\w@]*$/.test(key)) return at ? `${at}.${key}` : key;
  return `${at}[${JSON.stringify(key)}]`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value)}`;
  return `${typeof value} ${String(value)}`;
}

function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
