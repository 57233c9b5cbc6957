// The OpenAPI schemas of the Gateway API CRDs, as the @kubernetes-models/gateway-api package compiles them
// (one validator per kind and version). The package exports ESM only, through an `import` condition that a
// CommonJS `require` cannot match, so its schema files are required by path: Node 22 loads synchronous ESM
// with `require`, which keeps manifest checks synchronous. TCPRoute and UDPRoute v1 are newer than the
// package: they are checked against v1alpha2, whose spec they kept.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  GATEWAY_API_GROUP,
  gatewayApiVersions,
  perGatewayKind,
  type GatewayApiKind,
} from '../model/gateway-api';

interface SchemaError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

type Validate = ((data: unknown) => boolean) & { errors?: SchemaError[] | null };

/** A validator and the apiVersion its schema expects (the schemas pin apiVersion). */
interface VersionSchema {
  validate: Validate;
  apiVersion: string;
}

function packageDir(): string {
  const name = '@kubernetes-models/gateway-api';
  const dir = (require.resolve.paths(name) ?? [])
    .map((d) => path.join(d, name))
    .find((d) => fs.existsSync(path.join(d, '_schemas')));
  if (!dir) throw new Error(`${name} is not installed`);
  return dir;
}

function loadSchemas(): Record<GatewayApiKind, Map<string, VersionSchema>> {
  const dir = path.join(packageDir(), '_schemas');
  const load = (kind: string, version: string): VersionSchema | undefined => {
    const file = path.join(
      dir,
      `IoK8sSigsGatewayApiApis${version[0]?.toUpperCase()}${version.slice(1)}${kind}.js`,
    );
    if (!fs.existsSync(file)) return undefined;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- see the header: ESM loaded by path
    const module = require(file) as { validate: Validate };
    return { validate: module.validate, apiVersion: `${GATEWAY_API_GROUP}/${version}` };
  };
  return perGatewayKind((_row, kind) => {
    const byVersion = new Map<string, VersionSchema>();
    const versions = gatewayApiVersions(kind).map((v) => v.slice(GATEWAY_API_GROUP.length + 1));
    const known = versions.map((v) => load(kind, v));
    // A version without its own schema borrows the nearest older one that has one.
    versions.forEach((v, i) => {
      const schema = known[i] ?? known.slice(i + 1).find((s) => s !== undefined);
      if (schema) byVersion.set(`${GATEWAY_API_GROUP}/${v}`, schema);
    });
    return byVersion;
  });
}

const SCHEMAS = loadSchemas();

/** `/spec/rules/0/backendRefs/1/port` -> `spec.rules[0].backendRefs[1].port`. */
function fieldPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((out, part) => (/^\d+$/.test(part) ? `${out}[${part}]` : out ? `${out}.${part}` : part), '');
}

function describeError(e: SchemaError): string {
  const at = fieldPath(e.instancePath) || '(object)';
  const p = e.params;
  switch (e.keyword) {
    case 'required':
      return `${at === '(object)' ? '' : `${at}.`}${String(p['missingProperty'])} is required`;
    case 'enum':
      return `${at} must be one of ${(p['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'additionalProperties':
      return `${at} has an unknown field "${String(p['additionalProperty'])}"`;
    case 'maximum':
    case 'minimum':
      return `${at} must be ${String(p['comparison'])} ${String(p['limit'])}`;
    case 'maxLength':
    case 'minLength':
    case 'maxItems':
    case 'minItems':
      return `${at} must have ${e.keyword.startsWith('max') ? 'at most' : 'at least'} ${String(p['limit'])} ${e.keyword.endsWith('Items') ? 'items' : 'characters'}`;
    case 'pattern':
      return `${at} must match ${String(p['pattern'])}`;
    case 'type':
      return `${at} must be of type ${String(p['type'])}`;
    default:
      return `${at} ${e.message ?? `fails ${e.keyword}`}`;
  }
}

/** Pushes one message per schema violation, each naming the field. */
export function checkGatewaySchema(
  kind: GatewayApiKind,
  object: Record<string, unknown>,
  errors: string[],
): void {
  const schema = SCHEMAS[kind].get(String(object.apiVersion));
  if (!schema) return void errors.push(`no schema for ${kind} ${String(object.apiVersion)}`);
  if (schema.validate({ ...object, apiVersion: schema.apiVersion })) return;
  const seen = new Set<string>();
  for (const e of schema.validate.errors ?? []) {
    const message = describeError(e);
    if (!seen.has(message)) errors.push(message);
    seen.add(message);
  }
}
