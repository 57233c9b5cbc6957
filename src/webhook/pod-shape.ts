// Is the object of a Pod review shaped like a Pod where the injector reads it? The API server only sends
// valid Pods, so anything else comes from a broken or hostile client: it gets a 400 naming every field that
// is off, instead of reaching code that expects lists and objects (and answering 500).
import type { JsonObject } from './pod';

const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

function stringMap(value: unknown, path: string, errors: string[]): void {
  if (value === undefined) return;
  if (!isObject(value)) return void errors.push(`${path} must be an object`);
  for (const [key, v] of Object.entries(value))
    if (typeof v !== 'string') errors.push(`${path}[${JSON.stringify(key)}] must be a string`);
}

/** A list of objects each with a string name (containers, initContainers, volumes). */
function namedList(value: unknown, path: string, errors: string[], required = false): JsonObject[] {
  if (value === undefined) {
    if (required) errors.push(`${path} is required`);
    return [];
  }
  if (!Array.isArray(value)) {
    errors.push(`${path} must be a list`);
    return [];
  }
  const items: JsonObject[] = [];
  value.forEach((item: unknown, i) => {
    if (!isObject(item)) return void errors.push(`${path}[${i}] must be an object`);
    if (typeof item.name !== 'string' || item.name === '')
      errors.push(`${path}[${i}].name must be a non-empty string`);
    items.push(item);
  });
  return items;
}

function objectList(value: unknown, path: string, errors: string[]): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) return void errors.push(`${path} must be a list`);
  value.forEach((item: unknown, i) => {
    if (!isObject(item)) errors.push(`${path}[${i}] must be an object`);
  });
}

function container(c: JsonObject, path: string, errors: string[]): void {
  for (const field of ['env', 'ports', 'volumeMounts'] as const)
    objectList(c[field], `${path}.${field}`, errors);
  for (const field of ['command', 'args'] as const) {
    const v = c[field];
    if (v !== undefined && !(Array.isArray(v) && v.every((s) => typeof s === 'string')))
      errors.push(`${path}.${field} must be a list of strings`);
  }
  for (const field of ['image', 'restartPolicy'] as const)
    if (c[field] !== undefined && typeof c[field] !== 'string')
      errors.push(`${path}.${field} must be a string`);
}

/** Every problem with the Pod's shape, as "field: what is wrong"; empty when it is a well-formed Pod. */
export function podShapeErrors(pod: unknown): string[] {
  const errors: string[] = [];
  if (!isObject(pod)) return ['the object must be a Pod (a JSON object)'];
  const metadata = pod.metadata;
  if (metadata !== undefined && !isObject(metadata)) errors.push('metadata must be an object');
  else if (metadata) {
    stringMap(metadata.labels, 'metadata.labels', errors);
    stringMap(metadata.annotations, 'metadata.annotations', errors);
    for (const field of ['name', 'generateName', 'namespace'] as const)
      if (metadata[field] !== undefined && typeof metadata[field] !== 'string')
        errors.push(`metadata.${field} must be a string`);
    objectList(metadata.ownerReferences, 'metadata.ownerReferences', errors);
  }
  if (!isObject(pod.spec)) {
    errors.push('spec must be an object');
    return errors;
  }
  const spec = pod.spec;
  namedList(spec.containers, 'spec.containers', errors, true).forEach((c, i) =>
    container(c, `spec.containers[${i}]`, errors),
  );
  namedList(spec.initContainers, 'spec.initContainers', errors).forEach((c, i) =>
    container(c, `spec.initContainers[${i}]`, errors),
  );
  namedList(spec.volumes, 'spec.volumes', errors);
  if (spec.hostNetwork !== undefined && typeof spec.hostNetwork !== 'boolean')
    errors.push('spec.hostNetwork must be a boolean');
  return errors;
}
