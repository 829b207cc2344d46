/**
 * Strict validation of synthesized Kubernetes manifests (the plain JSON objects
 * produced by cdk8s `Chart.toJson()` / `Testing.synth()`).
 *
 * - Core kinds are validated against a JSON schema generated from the
 *   `kubernetes-types@1.29.0` TypeScript definitions (themselves generated from
 *   the Kubernetes OpenAPI spec), with unknown fields rejected everywhere.
 * - Custom resources are validated against the `openAPIV3Schema` of their CRD
 *   in `test/crds/*.yaml`, made strict the way a server with strict field
 *   validation treats unknown fields.
 * - On top of the schemas, a few checks the API server performs in code:
 *   object names, label/annotation syntax, selector vs. template labels,
 *   container/volume/port naming.
 *
 * Every error names the object (`Kind/name`) and the JSON path of the problem.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { createGenerator } from 'ts-json-schema-generator';
import { parseAllDocuments } from 'yaml';

// ---------------------------------------------------------------------------
// Core kinds and their schema (generated once, cached on disk)
// ---------------------------------------------------------------------------

/** Kinds validated against the kubernetes-types schema, by kubernetes-types module. */
const CORE_GROUPS: ReadonlyArray<{ module: string; apiVersion: string; kinds: string[] }> = [
  {
    module: 'core/v1',
    apiVersion: 'v1',
    kinds: [
      'ConfigMap', 'Secret', 'Service', 'ServiceAccount', 'Namespace', 'Pod', 'PodTemplate',
      'PersistentVolumeClaim', 'Endpoints', 'LimitRange', 'ResourceQuota', 'ReplicationController',
    ],
  },
  { module: 'apps/v1', apiVersion: 'apps/v1', kinds: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'] },
  { module: 'batch/v1', apiVersion: 'batch/v1', kinds: ['Job', 'CronJob'] },
  { module: 'networking/v1', apiVersion: 'networking.k8s.io/v1', kinds: ['NetworkPolicy', 'Ingress', 'IngressClass'] },
  { module: 'policy/v1', apiVersion: 'policy/v1', kinds: ['PodDisruptionBudget'] },
  {
    module: 'rbac/v1',
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kinds: ['Role', 'RoleBinding', 'ClusterRole', 'ClusterRoleBinding'],
  },
  { module: 'autoscaling/v2', apiVersion: 'autoscaling/v2', kinds: ['HorizontalPodAutoscaler'] },
  {
    module: 'admissionregistration/v1',
    apiVersion: 'admissionregistration.k8s.io/v1',
    kinds: ['ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration'],
  },
  { module: 'scheduling/v1', apiVersion: 'scheduling.k8s.io/v1', kinds: ['PriorityClass'] },
];

/** Root-type property under which ObjectMeta is exposed (used for custom resources). */
const OBJECT_META_KEY = '#ObjectMeta';

/** Bump when the generation input or the cached file layout changes. */
const CACHE_FORMAT = 1;

const NODE_MODULES = path.resolve(path.dirname(require.resolve('kubernetes-types/package.json')), '..');
const CACHE_DIR = path.join(NODE_MODULES, '.cache', 'cdk8s-mesh');
const CACHE_FILE = path.join(CACHE_DIR, 'k8s-schema-1.29.json');
const LOCK_FILE = `${CACHE_FILE}.lock`;
/** A lock older than this is considered abandoned (its owner crashed). */
const LOCK_STALE_MS = 5 * 60_000;
/** How long a worker waits for another worker's generation before generating itself. */
const LOCK_WAIT_MS = 10 * 60_000;

const CRD_DIR = path.resolve(__dirname, '..', 'crds');

interface CachedSchema {
  readonly cacheKey: string;
  readonly generatedAt: string;
  readonly generationMs: number;
  readonly schema: any;
}

function packageVersion(name: string): string {
  return JSON.parse(fs.readFileSync(require.resolve(`${name}/package.json`), 'utf-8')).version;
}

/** Identifies the generator inputs; a cache file with another key is regenerated. */
function cacheKey(): string {
  const input = JSON.stringify({
    format: CACHE_FORMAT,
    kubernetesTypes: packageVersion('kubernetes-types'),
    generator: packageVersion('ts-json-schema-generator'),
    groups: CORE_GROUPS,
  });
  return crypto.createHash('sha256').update(input).digest('hex');
}

/** Runs ts-json-schema-generator over a generated entry file naming every core kind. */
function generateCoreSchema(): any {
  const lines = ["import type * as meta from 'kubernetes-types/meta/v1';"];
  CORE_GROUPS.forEach((g, i) => lines.push(`import type * as m${i} from 'kubernetes-types/${g.module}';`));
  lines.push('export interface K8sRoot {', `  '${OBJECT_META_KEY}': meta.ObjectMeta;`);
  CORE_GROUPS.forEach((g, i) => g.kinds.forEach(k => lines.push(`  '${g.apiVersion}/${k}': m${i}.${k};`)));
  lines.push('}', '');

  // The entry must live under node_modules so that 'kubernetes-types' resolves from it.
  const entry = path.join(CACHE_DIR, `entry-${process.pid}-${crypto.randomBytes(4).toString('hex')}.ts`);
  fs.writeFileSync(entry, lines.join('\n'));
  try {
    return createGenerator({
      path: entry,
      type: 'K8sRoot',
      jsDoc: 'none',
      skipTypeCheck: true,
      additionalProperties: false,
      expose: 'export',
      topRef: true,
    }).createSchema('K8sRoot');
  } finally {
    fs.rmSync(entry, { force: true });
  }
}

function readCache(key: string): CachedSchema | undefined {
  try {
    const cached = JSON.parse(fs.readFileSync(CACHE_FILE, 'utf-8')) as CachedSchema;
    return cached.cacheKey === key ? cached : undefined;
  } catch {
    return undefined; // missing, or (never with atomic renames, but still) unreadable
  }
}

/** Generates the schema and publishes it atomically (write to a temp file, then rename). */
function generateAndWrite(key: string): CachedSchema {
  const start = Date.now();
  const schema = generateCoreSchema();
  const generationMs = Date.now() - start;
  const cached: CachedSchema = { cacheKey: key, generatedAt: new Date().toISOString(), generationMs, schema };
  const tmp = `${CACHE_FILE}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(cached));
  fs.renameSync(tmp, CACHE_FILE);
  process.stderr.write(`[validate] generated ${path.relative(process.cwd(), CACHE_FILE)} in ${generationMs} ms\n`);
  return cached;
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e: any) {
    return e.code === 'EPERM';
  }
}

/**
 * Takes the generation lock (a file holding the owner's pid), removing it first
 * if abandoned. In the worst case two workers generate; the atomic rename keeps
 * the published file consistent either way.
 */
function tryLock(): boolean {
  try {
    const fd = fs.openSync(LOCK_FILE, 'wx');
    fs.writeSync(fd, String(process.pid));
    fs.closeSync(fd);
    return true;
  } catch (e: any) {
    if (e.code !== 'EEXIST') throw e;
    try {
      const owner = Number(fs.readFileSync(LOCK_FILE, 'utf-8'));
      const old = Date.now() - fs.statSync(LOCK_FILE).mtimeMs > LOCK_STALE_MS;
      if (old || (owner > 0 && !isAlive(owner))) fs.rmSync(LOCK_FILE, { force: true });
    } catch {
      // the lock vanished meanwhile: retry on the next round
    }
    return false;
  }
}

/**
 * Returns the cached core schema, generating it when missing or outdated.
 * Safe with several jest workers starting at once: one generates under a lock
 * file while the others wait for the published file.
 */
function loadCoreSchema(): CachedSchema {
  const version = packageVersion('kubernetes-types');
  if (!version.startsWith('1.29.')) {
    throw new Error(`expected kubernetes-types 1.29.x (the schema targets Kubernetes 1.29), found ${version}`);
  }
  const key = cacheKey();
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    const cached = readCache(key);
    if (cached) return cached;
    if (tryLock()) {
      try {
        return readCache(key) ?? generateAndWrite(key);
      } finally {
        fs.rmSync(LOCK_FILE, { force: true });
      }
    }
    if (Date.now() > deadline) return generateAndWrite(key);
    sleepSync(200);
  }
}

const QUANTITY_PATTERN = '^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+|[KMGTPE]i|[mkMGTPE])?$';

/** Adjusts generated definitions for types whose TypeScript form is looser or stricter than the wire format. */
function patchCoreDefinitions(schema: any): any {
  const defs = schema.definitions;
  // Quantity: a string such as '500m' or '1Gi'; the API server also accepts JSON numbers.
  defs.Quantity = { type: ['string', 'number'], pattern: QUANTITY_PATTERN };
  // Time / MicroTime: RFC 3339 strings.
  for (const t of ['Time', 'MicroTime']) if (defs[t]) defs[t] = { type: 'string', format: 'date-time' };
  // Empty interfaces (RawExtension, FieldsV1) hold arbitrary JSON, not an empty object.
  for (const def of Object.values<any>(defs)) {
    if (def.type === 'object' && !def.properties && def.additionalProperties === false) delete def.additionalProperties;
  }
  // IntOrString needs no patch: kubernetes-types inlines it as `number | string`.
  return schema;
}

// ---------------------------------------------------------------------------
// Custom resources (CRDs in test/crds)
// ---------------------------------------------------------------------------

interface CrdVersion {
  readonly apiVersion: string;
  readonly kind: string;
  readonly file: string;
  readonly schema: any;
  readonly clusterScoped: boolean;
}

function loadCrds(): Map<string, CrdVersion> {
  const result = new Map<string, CrdVersion>();
  for (const file of fs.readdirSync(CRD_DIR).filter(f => /\.ya?ml$/.test(f)).sort()) {
    const docs = parseAllDocuments(fs.readFileSync(path.join(CRD_DIR, file), 'utf-8'));
    for (const doc of Array.isArray(docs) ? docs : [docs]) {
      const crd = doc.toJS();
      if (crd?.kind !== 'CustomResourceDefinition') continue;
      for (const v of crd.spec.versions ?? []) {
        if (!v.served) continue;
        const apiVersion = `${crd.spec.group}/${v.name}`;
        const schema = v.schema?.openAPIV3Schema;
        if (!schema) throw new Error(`${file}: version ${v.name} has no openAPIV3Schema`);
        result.set(`${apiVersion}/${crd.spec.names.kind}`, {
          apiVersion, kind: crd.spec.names.kind, file, schema, clusterScoped: crd.spec.scope === 'Cluster',
        });
      }
    }
  }
  return result;
}

/**
 * Converts a CRD structural schema into a strict JSON schema for ajv.
 * `structural` is false inside allOf/anyOf/oneOf/not, which only constrain
 * values and never declare fields, so no additionalProperties is added there.
 */
function strictCrdSchema(node: any, structural = true): any {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return node;
  const out: any = { ...node };
  // CEL rules (x-kubernetes-validations) are NOT evaluated: there is no CEL
  // interpreter here. They are dropped so nobody mistakes them for checked.
  delete out['x-kubernetes-validations'];
  if (out['x-kubernetes-int-or-string'] === true && out.type === undefined) out.type = ['integer', 'string'];
  if (out.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    delete out.nullable;
  }
  if (out['x-kubernetes-list-type'] === 'set') out.uniqueItems = true;
  if (out.properties) {
    out.properties = Object.fromEntries(
      Object.entries(out.properties).map(([k, v]) => [k, strictCrdSchema(v, structural)]));
  }
  if (out.items && typeof out.items === 'object') out.items = strictCrdSchema(out.items, structural);
  if (out.additionalProperties && typeof out.additionalProperties === 'object') {
    out.additionalProperties = strictCrdSchema(out.additionalProperties, structural);
  }
  for (const k of ['allOf', 'anyOf', 'oneOf']) {
    if (Array.isArray(out[k])) out[k] = out[k].map((s: any) => strictCrdSchema(s, false));
  }
  if (out.not) out.not = strictCrdSchema(out.not, false);
  if (structural && out.properties && out.additionalProperties === undefined
    && out['x-kubernetes-preserve-unknown-fields'] !== true) {
    out.additionalProperties = false;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Ajv
// ---------------------------------------------------------------------------

/** RFC 3339 as parsed by Go's time.RFC3339 (metav1.Time). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * CRD patterns are Go RE2 syntax. Translates the RE2-only constructs seen in
 * practice: inline flags such as `(?i)` (applied to the whole pattern),
 * `\A` / `\z` anchors and `(?P<name>` groups.
 */
const re2RegExp = Object.assign((pattern: string, flags: string): RegExp => {
  let f = flags;
  const source = pattern
    .replace(/\(\?([imsU]+)\)/g, (_, fl: string) => {
      for (const c of fl.replace('U', '')) if (!f.includes(c)) f += c;
      return '';
    })
    .replace(/\(\?P</g, '(?<')
    .replace(/\\A/g, '^')
    .replace(/\\z/g, '$');
  return new RegExp(source, f);
}, { code: 'new RegExp' });

function newAjv(): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    verbose: true, // keep the offending value on errors
    code: { regExp: re2RegExp },
    formats: {
      'date-time': (s: string) => RFC3339.test(s) && !isNaN(Date.parse(s)),
      'int32': { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 },
      'int64': { type: 'number', validate: (n: number) => Number.isInteger(n) },
      'byte': (s: string) => /^[A-Za-z0-9+/]*={0,2}$/.test(s) && s.length % 4 === 0,
    },
  });
  // Entries of `x-kubernetes-list-type: map` lists must be unique by their keys.
  ajv.addKeyword({
    keyword: 'x-kubernetes-list-map-keys',
    type: 'array',
    schemaType: 'array',
    validate: (keys: string[], data: any[]) => {
      const seen = new Set(data.map(item => JSON.stringify(keys.map(k => item?.[k] ?? null))));
      return seen.size === data.length;
    },
  });
  return ajv;
}

/** Registers every format used by a schema that ajv does not know, as "always valid". */
function ignoreUnknownFormats(ajv: Ajv, schema: any): void {
  const visit = (n: any): void => {
    if (n === null || typeof n !== 'object') return;
    if (typeof n.format === 'string' && !ajv.formats[n.format]) ajv.addFormat(n.format, true);
    Object.values(n).forEach(visit);
  };
  visit(schema);
}

interface Registry {
  readonly ajv: Ajv;
  readonly coreKinds: Map<string, string>; // `${apiVersion}/${kind}` -> definition ref
  readonly objectMetaRef: string;
  crds?: Map<string, CrdVersion>; // parsed on first use (~1 s of YAML)
  readonly validators: Map<string, ValidateFunction>;
}

let registry: Registry | undefined;

function getRegistry(): Registry {
  if (registry) return registry;
  const core = patchCoreDefinitions(loadCoreSchema().schema);
  const ajv = newAjv();
  ajv.addSchema(core, 'k8s');
  const coreKinds = new Map<string, string>();
  for (const [key, prop] of Object.entries<any>(core.definitions.K8sRoot.properties)) {
    if (key !== OBJECT_META_KEY) coreKinds.set(key, `k8s${prop.$ref}`);
  }
  const objectMetaRef = `k8s${core.definitions.K8sRoot.properties[OBJECT_META_KEY].$ref}`;
  registry = { ajv, coreKinds, objectMetaRef, validators: new Map() };
  return registry;
}

function crdsOf(reg: Registry): Map<string, CrdVersion> {
  reg.crds ??= loadCrds();
  return reg.crds;
}

/** Compiles (once) the validator for an apiVersion/kind, or returns undefined when unknown. */
function validatorFor(apiVersion: string, kind: string): ValidateFunction | undefined {
  const reg = getRegistry();
  const key = `${apiVersion}/${kind}`;
  const existing = reg.validators.get(key);
  if (existing) return existing;

  let schema: any;
  const coreRef = reg.coreKinds.get(key);
  const crd = coreRef ? undefined : crdsOf(reg).get(key);
  if (coreRef) {
    // kubernetes-types marks apiVersion/kind/metadata optional; a manifest needs them.
    schema = { allOf: [{ $ref: coreRef }], required: ['apiVersion', 'kind', 'metadata'] };
  } else if (crd) {
    schema = strictCrdSchema(crd.schema);
    schema.properties = {
      ...schema.properties,
      apiVersion: { const: apiVersion },
      kind: { const: kind },
      metadata: { $ref: reg.objectMetaRef },
    };
    schema.required = [...new Set([...(schema.required ?? []), 'apiVersion', 'kind', 'metadata'])];
    ignoreUnknownFormats(reg.ajv, schema);
  } else {
    return undefined;
  }
  const validate = reg.ajv.compile(schema);
  reg.validators.set(key, validate);
  return validate;
}

// ---------------------------------------------------------------------------
// Error formatting
// ---------------------------------------------------------------------------

/** `/spec/containers/0/name` -> `spec.containers[0].name`. */
function pointerToPath(pointer: string): string {
  if (!pointer) return '';
  return pointer.split('/').slice(1)
    .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => /^\d+$/.test(seg) ? `${acc}[${seg}]` : (acc ? `${acc}.${seg}` : seg), '');
}

function join(base: string, field: string): string {
  return base ? `${base}.${field}` : field;
}

function show(value: any): string {
  const s = JSON.stringify(value);
  return s === undefined ? String(value) : (s.length > 100 ? `${s.slice(0, 97)}...` : s);
}

function formatAjvError(e: ErrorObject): string {
  const at = pointerToPath(e.instancePath);
  const p: any = e.params;
  switch (e.keyword) {
    case 'additionalProperties':
      return `${join(at, p.additionalProperty)}: unknown field`;
    case 'required':
      return `${join(at, p.missingProperty)}: required field missing`;
    case 'type':
      return `${at || '(root)'}: must be ${[].concat(p.type).join(' or ')} (got ${show(e.data)})`;
    case 'enum':
      return `${at || '(root)'}: must be one of ${p.allowedValues.map(show).join(', ')} (got ${show(e.data)})`;
    case 'const':
      return `${at || '(root)'}: must be ${show(p.allowedValue)} (got ${show(e.data)})`;
    case 'x-kubernetes-list-map-keys':
      return `${at}: duplicate entries for list-map keys ${show(e.schema)}`;
    default:
      return `${at || '(root)'}: ${e.message}${e.data !== undefined && typeof e.data !== 'object' ? ` (got ${show(e.data)})` : ''}`;
  }
}

/** `Kind/name` used to prefix every error about an object. */
export function describeObject(obj: any): string {
  const kind = typeof obj?.kind === 'string' ? obj.kind : '<no kind>';
  const name = obj?.metadata?.name ?? obj?.metadata?.generateName ?? '<no name>';
  return `${kind}/${name}`;
}

// ---------------------------------------------------------------------------
// Checks the API server makes in code rather than in the OpenAPI schema
// ---------------------------------------------------------------------------

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const IANA_SVC_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

function dnsSubdomainError(s: string): string | undefined {
  if (s.length > 253) return 'must be no more than 253 characters';
  return DNS1123_SUBDOMAIN.test(s) ? undefined
    : 'must be a lowercase RFC 1123 subdomain (lowercase alphanumerics, \'-\' or \'.\', alphanumeric at both ends)';
}

function dnsLabelError(s: string): string | undefined {
  if (s.length > 63) return 'must be no more than 63 characters';
  return DNS1123_LABEL.test(s) ? undefined
    : 'must be a lowercase RFC 1123 label (lowercase alphanumerics or \'-\', alphanumeric at both ends)';
}

function dns1035LabelError(s: string): string | undefined {
  if (s.length > 63) return 'must be no more than 63 characters';
  return DNS1035_LABEL.test(s) ? undefined
    : 'must be an RFC 1035 label (lowercase alphanumerics or \'-\', starting with a letter, alphanumeric at the end)';
}

function pathSegmentError(s: string): string | undefined {
  if (s === '.' || s === '..') return `may not be '${s}'`;
  return /[/%]/.test(s) ? 'may not contain \'/\' or \'%\'' : undefined;
}

function ianaSvcNameError(s: string): string | undefined {
  if (s.length > 15) return 'must be no more than 15 characters (IANA_SVC_NAME)';
  if (!IANA_SVC_NAME.test(s) || s.includes('--') || !/[a-z]/.test(s)) {
    return 'must be an IANA_SVC_NAME (lowercase alphanumerics or \'-\', at least one letter, no \'--\')';
  }
  return undefined;
}

function qualifiedNameError(key: string): string | undefined {
  const parts = key.split('/');
  if (parts.length > 2) return 'must be a qualified name: [prefix/]name';
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    if (!parts[0]) return 'prefix part must be non-empty';
    const e = dnsSubdomainError(parts[0]);
    if (e) return `prefix part ${e}`;
  }
  if (!name) return 'name part must be non-empty';
  if (name.length > 63) return 'name part must be no more than 63 characters';
  return QUALIFIED_NAME.test(name) ? undefined
    : 'name part must consist of alphanumerics, \'-\', \'_\' or \'.\', and start and end with an alphanumeric';
}

function labelValueError(value: any): string | undefined {
  if (typeof value !== 'string') return undefined; // a type error, reported by the schema
  if (value.length > 63) return 'must be no more than 63 characters';
  return LABEL_VALUE.test(value) ? undefined
    : `invalid label value ${show(value)}: alphanumerics, '-', '_' or '.', starting and ending with an alphanumeric`;
}

function checkLabels(labels: any, at: string, errors: string[]): void {
  if (!labels || typeof labels !== 'object') return;
  for (const [k, v] of Object.entries(labels)) {
    const ke = qualifiedNameError(k);
    if (ke) errors.push(`${at}: invalid label key ${show(k)}: ${ke}`);
    const ve = labelValueError(v);
    if (ve) errors.push(`${join(at, k)}: ${ve}`);
  }
}

function checkAnnotations(annotations: any, at: string, errors: string[]): void {
  if (!annotations || typeof annotations !== 'object') return;
  for (const k of Object.keys(annotations)) {
    const ke = qualifiedNameError(k.toLowerCase());
    if (ke) errors.push(`${at}: invalid annotation key ${show(k)}: ${ke}`);
  }
  const size = Object.entries(annotations).reduce((n, [k, v]) => n + k.length + String(v).length, 0);
  if (size > 256 * 1024) errors.push(`${at}: total size of annotations must be at most 256 KiB`);
}

/** Name rules per kind, as in the API server's validation. */
function nameRule(apiVersion: string, kind: string): (s: string) => string | undefined {
  if (apiVersion === 'v1' && kind === 'Service') return dns1035LabelError;
  if (apiVersion === 'v1' && kind === 'Namespace') return dnsLabelError;
  if (apiVersion.startsWith('rbac.authorization.k8s.io/')) return pathSegmentError;
  return dnsSubdomainError;
}

function checkMetadata(obj: any, errors: string[]): void {
  const md = obj.metadata;
  if (!md || typeof md !== 'object') return; // reported by the schema
  const rule = nameRule(obj.apiVersion, obj.kind);
  if (typeof md.name === 'string') {
    const e = md.name ? rule(md.name) : 'must not be empty';
    if (e) errors.push(`metadata.name: ${show(md.name)} ${e}`);
  } else if (md.name === undefined && md.generateName === undefined) {
    errors.push('metadata.name: required field missing (neither name nor generateName is set)');
  }
  if (typeof md.namespace === 'string') {
    const e = dnsLabelError(md.namespace);
    if (e) errors.push(`metadata.namespace: ${show(md.namespace)} ${e}`);
  }
}

/** Walks the object: every `metadata` gets label/annotation checks, every `matchLabels` label checks. */
function checkLabelSyntax(node: any, at: string, errors: string[]): void {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    node.forEach((n, i) => checkLabelSyntax(n, `${at}[${i}]`, errors));
    return;
  }
  for (const [k, v] of Object.entries<any>(node)) {
    const here = join(at, k);
    if (k === 'metadata' && v && typeof v === 'object') {
      checkLabels(v.labels, join(here, 'labels'), errors);
      checkAnnotations(v.annotations, join(here, 'annotations'), errors);
    } else if (k === 'matchLabels') {
      checkLabels(v, here, errors);
    }
    checkLabelSyntax(v, here, errors);
  }
}

function selectorMatches(selector: any, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const r of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    const ok = r.operator === 'In' ? has && (r.values ?? []).includes(labels[r.key])
      : r.operator === 'NotIn' ? !has || !(r.values ?? []).includes(labels[r.key])
        : r.operator === 'Exists' ? has
          : r.operator === 'DoesNotExist' ? !has : true;
    if (!ok) return false;
  }
  return true;
}

const WORKLOADS_WITH_SELECTOR = new Set(['apps/v1/Deployment', 'apps/v1/StatefulSet', 'apps/v1/DaemonSet', 'apps/v1/ReplicaSet']);

function checkWorkloadSelector(obj: any, errors: string[]): void {
  const key = `${obj.apiVersion}/${obj.kind}`;
  const labels = obj.spec?.template?.metadata?.labels ?? {};
  if (WORKLOADS_WITH_SELECTOR.has(key) && obj.spec?.selector && typeof obj.spec.selector === 'object') {
    const sel = obj.spec.selector;
    if (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length) {
      errors.push('spec.selector: empty selector is invalid for ' + obj.kind);
    } else if (!selectorMatches(sel, labels)) {
      errors.push('spec.template.metadata.labels: selector does not match template labels');
    }
  }
  if (key === 'v1/ReplicationController' && obj.spec?.selector) {
    if (!selectorMatches({ matchLabels: obj.spec.selector }, labels)) {
      errors.push('spec.template.metadata.labels: selector does not match template labels');
    }
  }
}

/** Locations of pod specs inside workload kinds, relative to the object. */
function podSpecPaths(obj: any): Array<[string, any]> {
  const key = `${obj.apiVersion}/${obj.kind}`;
  if (key === 'v1/Pod') return [['spec', obj.spec]];
  if (key === 'v1/PodTemplate') return [['template.spec', obj.template?.spec]];
  if (key === 'batch/v1/CronJob') return [['spec.jobTemplate.spec.template.spec', obj.spec?.jobTemplate?.spec?.template?.spec]];
  if (WORKLOADS_WITH_SELECTOR.has(key) || key === 'batch/v1/Job' || key === 'v1/ReplicationController') {
    return [['spec.template.spec', obj.spec?.template?.spec]];
  }
  return [];
}

/** Container, port and volume naming and references, as validated by the API server. */
function checkPodSpec(spec: any, at: string, errors: string[]): void {
  if (!spec || typeof spec !== 'object') return;
  const volumes = new Set<string>();
  (Array.isArray(spec.volumes) ? spec.volumes : []).forEach((v: any, i: number) => {
    if (typeof v?.name !== 'string') return;
    const e = dnsLabelError(v.name);
    if (e) errors.push(`${at}.volumes[${i}].name: ${show(v.name)} ${e}`);
    if (volumes.has(v.name)) errors.push(`${at}.volumes[${i}].name: duplicate volume name ${show(v.name)}`);
    volumes.add(v.name);
  });
  const names = new Set<string>();
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    (Array.isArray(spec[list]) ? spec[list] : []).forEach((c: any, i: number) => {
      const here = `${at}.${list}[${i}]`;
      if (typeof c?.name === 'string') {
        const e = dnsLabelError(c.name);
        if (e) errors.push(`${here}.name: ${show(c.name)} ${e}`);
        if (names.has(c.name)) errors.push(`${here}.name: duplicate container name ${show(c.name)}`);
        names.add(c.name);
      }
      const portNames = new Set<string>();
      (Array.isArray(c?.ports) ? c.ports : []).forEach((p: any, j: number) => {
        if (typeof p?.name !== 'string') return;
        const e = ianaSvcNameError(p.name);
        if (e) errors.push(`${here}.ports[${j}].name: ${show(p.name)} ${e}`);
        if (portNames.has(p.name)) errors.push(`${here}.ports[${j}].name: duplicate port name ${show(p.name)}`);
        portNames.add(p.name);
      });
      (Array.isArray(c?.volumeMounts) ? c.volumeMounts : []).forEach((m: any, j: number) => {
        if (typeof m?.name === 'string' && !volumes.has(m.name)) {
          errors.push(`${here}.volumeMounts[${j}].name: volume ${show(m.name)} not found in ${at}.volumes`);
        }
      });
      checkRestartPolicy(c, list, here, errors);
    });
  }
}

/**
 * A container's restartPolicy, as validateInitContainers and validateContainers
 * in Kubernetes 1.29's pkg/apis/core/validation/validation.go check it: only an
 * init container may set it, only to `Always` (a sidecar), and only a sidecar
 * init container may have probes or lifecycle hooks.
 */
function checkRestartPolicy(c: any, list: string, here: string, errors: string[]): void {
  if (c?.restartPolicy === undefined) {
    if (list !== 'initContainers') return;
    for (const field of ['readinessProbe', 'livenessProbe', 'startupProbe', 'lifecycle']) {
      if (c?.[field] !== undefined) errors.push(`${here}.${field}: forbidden on an init container without restartPolicy: Always`);
    }
  } else if (list !== 'initContainers') {
    errors.push(`${here}.restartPolicy: forbidden: only init containers may set it`);
  } else if (c.restartPolicy !== 'Always') {
    errors.push(`${here}.restartPolicy: unsupported value ${show(c.restartPolicy)}: supported values: "Always"`);
  }
}

function checkService(obj: any, errors: string[]): void {
  if (obj.apiVersion !== 'v1' || obj.kind !== 'Service') return;
  const ports: any[] = Array.isArray(obj.spec?.ports) ? obj.spec.ports : [];
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    if (typeof p?.name === 'string') {
      const e = dnsLabelError(p.name);
      if (e) errors.push(`spec.ports[${i}].name: ${show(p.name)} ${e}`);
      if (seen.has(p.name)) errors.push(`spec.ports[${i}].name: duplicate port name ${show(p.name)}`);
      seen.add(p.name);
    } else if (ports.length > 1) {
      errors.push(`spec.ports[${i}].name: required when a Service has more than one port`);
    }
    if (typeof p?.targetPort === 'string') {
      const e = ianaSvcNameError(p.targetPort);
      if (e) errors.push(`spec.ports[${i}].targetPort: ${show(p.targetPort)} ${e}`);
    }
    for (const f of ['port', 'targetPort', 'nodePort']) {
      const n = p?.[f];
      if (typeof n === 'number' && (!Number.isInteger(n) || n < 1 || n > 65535)) {
        errors.push(`spec.ports[${i}].${f}: must be an integer between 1 and 65535 (got ${n})`);
      }
    }
  });
}

function semanticErrors(obj: any): string[] {
  const errors: string[] = [];
  checkMetadata(obj, errors);
  checkLabelSyntax(obj, '', errors);
  checkWorkloadSelector(obj, errors);
  checkService(obj, errors);
  for (const [at, spec] of podSpecPaths(obj)) checkPodSpec(spec, at, errors);
  return errors;
}

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

/**
 * Validates one manifest. Returns [] when valid, otherwise messages of the form
 * `Kind/name: json.path: problem`.
 */
export function validateManifest(obj: any): string[] {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    return [`${show(obj)}: a manifest must be a JSON object`];
  }
  const prefix = describeObject(obj);
  if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
    return [`${prefix}: apiVersion and kind must be strings (got ${show(obj.apiVersion)} / ${show(obj.kind)})`];
  }
  const validate = validatorFor(obj.apiVersion, obj.kind);
  if (!validate) return [`${prefix}: no schema for apiVersion/kind ${obj.apiVersion}/${obj.kind}`];

  const errors: string[] = [];
  if (!validate(obj)) errors.push(...(validate.errors ?? []).map(formatAjvError));
  errors.push(...semanticErrors(obj));
  if (isClusterScoped(obj) && obj.metadata?.namespace !== undefined) {
    errors.push('metadata.namespace: a cluster-scoped object has no namespace');
  }
  return [...new Set(errors)].map(e => `${prefix}: ${e}`);
}

/** Core kinds that are not namespaced. */
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PriorityClass', 'PersistentVolume', 'StorageClass',
  'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'CustomResourceDefinition',
]);

/** Whether the object's kind is cluster-scoped (core kinds, or a CRD with `scope: Cluster`). */
function isClusterScoped(obj: any): boolean {
  return CLUSTER_SCOPED_KINDS.has(obj.kind) || (crdsOf(getRegistry()).get(`${obj.apiVersion}/${obj.kind}`)?.clusterScoped ?? false);
}

/** Validates several manifests, including that no object is defined twice. */
export function validateManifests(objs: any[]): string[] {
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const obj of objs) {
    errors.push(...validateManifest(obj));
    const name = obj?.metadata?.name;
    if (typeof obj?.kind !== 'string' || typeof name !== 'string') continue;
    const group = typeof obj.apiVersion === 'string' && obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
    const id = `${group}/${obj.kind}/${obj.metadata.namespace ?? ''}/${name}`;
    if (seen.has(id)) errors.push(`${describeObject(obj)}: duplicate object (same group, kind, namespace and name)`);
    seen.add(id);
  }
  return errors;
}

/** Information about the cached core schema (for diagnostics). */
export function coreSchemaInfo(): { file: string; generatedAt: string; generationMs: number; kinds: string[] } {
  const cached = loadCoreSchema();
  return {
    file: CACHE_FILE,
    generatedAt: cached.generatedAt,
    generationMs: cached.generationMs,
    kinds: [...getRegistry().coreKinds.keys()],
  };
}

/** apiVersion/kind pairs of the custom resources that can be validated. */
export function customResourceKinds(): string[] {
  return [...crdsOf(getRegistry()).keys()];
}
