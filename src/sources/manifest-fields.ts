// Field checks per watched kind, for the manifest parser: what the API server would refuse and translation
// relies on. Each check pushes messages with a field path ("spec.ports[0].port must be ...") and may normalize
// the object it is given (Secret stringData folded into data, IngressClass spec defaulted).
import { perGatewayKind } from '../model/gateway-api';
import { CLUSTER_SCOPED, type WatchedKind } from '../model/k8s';
import { SERVICE_NAME_LABEL } from '../model/store';
import { checkGatewayApiObject } from './gateway-api-checks';
import { slimCustomResourceDefinition } from './object-slimming';

// Which name format the API server enforces per kind (apimachinery's ValidateObjectMeta name functions).
const NAME_RULES: Record<WatchedKind, 'label' | 'service' | 'subdomain'> = {
  Service: 'service',
  Namespace: 'label',
  EndpointSlice: 'subdomain',
  Ingress: 'subdomain',
  IngressClass: 'subdomain',
  Secret: 'subdomain',
  Pod: 'subdomain',
  ConfigMap: 'subdomain',
  CustomResourceDefinition: 'subdomain',
  ...perGatewayKind(() => 'subdomain' as const),
};

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function nameError(name: string, rule: 'label' | 'service' | 'subdomain'): string | undefined {
  switch (rule) {
    case 'label':
      return name.length <= 63 && DNS1123_LABEL.test(name)
        ? undefined
        : 'must be a DNS-1123 label (at most 63 lowercase letters, digits or "-", starting and ending alphanumeric)';
    case 'service':
      return name.length <= 63 && DNS1035_LABEL.test(name)
        ? undefined
        : 'must be a DNS-1035 label (at most 63 lowercase letters, digits or "-", starting with a letter)';
    case 'subdomain':
      return name.length <= 253 && DNS1123_SUBDOMAIN.test(name)
        ? undefined
        : 'must be a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", starting and ending alphanumeric)';
  }
}

export function checkMetadata(
  kind: WatchedKind,
  metadata: Record<string, unknown>,
  errors: string[],
): Record<string, unknown> {
  const meta: Record<string, unknown> = { ...metadata };
  const name = metadata.name;
  if (typeof name !== 'string' || name === '') {
    errors.push('metadata.name is missing');
  } else {
    const bad = nameError(name, NAME_RULES[kind]);
    if (bad) errors.push(`metadata.name "${name}" ${bad}`);
  }
  if (CLUSTER_SCOPED.has(kind)) {
    // The API server ignores a namespace on a cluster-scoped object; dropping it keeps the object's key right.
    delete meta.namespace;
  } else if (metadata.namespace === undefined || metadata.namespace === null || metadata.namespace === '') {
    meta.namespace = 'default';
  } else if (
    typeof metadata.namespace !== 'string' ||
    !DNS1123_LABEL.test(metadata.namespace) ||
    metadata.namespace.length > 63
  ) {
    errors.push(`metadata.namespace ${show(metadata.namespace)} must be a DNS-1123 label`);
  }
  checkStringMap(metadata.labels, 'metadata.labels', errors);
  checkStringMap(metadata.annotations, 'metadata.annotations', errors);
  return meta;
}

export type KindCheck = (object: Record<string, unknown>, errors: string[]) => void;

export const KIND_CHECKS: Record<WatchedKind, KindCheck> = {
  Service: checkService,
  EndpointSlice: checkEndpointSlice,
  Ingress: checkIngress,
  IngressClass: checkIngressClass,
  Secret: checkSecret,
  Namespace: () => undefined,
  Pod: checkPod,
  ConfigMap: checkConfigMap,
  CustomResourceDefinition: (object) => slimCustomResourceDefinition(object),
  ...perGatewayKind((): KindCheck => checkGatewayApiObject),
};

function checkConfigMap(object: Record<string, unknown>, errors: string[]): void {
  checkStringMap(object.data, 'data', errors);
}

function checkService(object: Record<string, unknown>, errors: string[]): void {
  const spec = object.spec;
  if (!isRecord(spec)) return void errors.push('spec is missing');
  const ports = spec.ports;
  if (ports === undefined || ports === null) return;
  if (!Array.isArray(ports)) return void errors.push('spec.ports must be a list');
  ports.forEach((port: unknown, i) => {
    const path = `spec.ports[${i}]`;
    if (!isRecord(port)) return void errors.push(`${path} must be a mapping`);
    checkPort(port.port, `${path}.port`, errors);
    if (port.name !== undefined && typeof port.name !== 'string')
      errors.push(`${path}.name must be a string`);
    // Several ports are told apart by name (EndpointSlice ports are matched by it), so the API requires one.
    if (ports.length > 1 && (typeof port.name !== 'string' || port.name === '')) {
      errors.push(`${path}.name is required when a Service has more than one port`);
    }
    const target = port.targetPort;
    if (target !== undefined && typeof target !== 'string') checkPort(target, `${path}.targetPort`, errors);
  });
}

function checkEndpointSlice(object: Record<string, unknown>, errors: string[]): void {
  const addressType = object.addressType;
  if (addressType !== 'IPv4' && addressType !== 'IPv6' && addressType !== 'FQDN') {
    errors.push(`addressType must be IPv4, IPv6 or FQDN, got ${show(addressType)}`);
  }
  const labels = (object.metadata as Record<string, unknown>).labels;
  if (
    !isRecord(labels) ||
    typeof labels[SERVICE_NAME_LABEL] !== 'string' ||
    labels[SERVICE_NAME_LABEL] === ''
  ) {
    errors.push(`label ${SERVICE_NAME_LABEL} is missing (it names the Service this slice belongs to)`);
  }
  const endpoints = object.endpoints;
  if (endpoints !== undefined && endpoints !== null) {
    if (!Array.isArray(endpoints)) {
      errors.push('endpoints must be a list');
    } else {
      endpoints.forEach((endpoint: unknown, i) => {
        const path = `endpoints[${i}]`;
        if (!isRecord(endpoint)) return void errors.push(`${path} must be a mapping`);
        const addresses = endpoint.addresses;
        if (
          !Array.isArray(addresses) ||
          addresses.length === 0 ||
          !addresses.every((a) => typeof a === 'string')
        ) {
          errors.push(`${path}.addresses must be a non-empty list of strings`);
        }
        const conditions = endpoint.conditions;
        if (conditions !== undefined && conditions !== null) {
          if (!isRecord(conditions)) return void errors.push(`${path}.conditions must be a mapping`);
          for (const c of ['ready', 'serving', 'terminating']) {
            const v = conditions[c];
            if (v !== undefined && v !== null && typeof v !== 'boolean')
              errors.push(`${path}.conditions.${c} must be true or false`);
          }
        }
      });
    }
  }
  const ports = object.ports;
  if (ports === undefined || ports === null) return;
  if (!Array.isArray(ports)) return void errors.push('ports must be a list');
  ports.forEach((port: unknown, i) => {
    const path = `ports[${i}]`;
    if (!isRecord(port)) return void errors.push(`${path} must be a mapping`);
    if (port.port !== undefined && port.port !== null) checkPort(port.port, `${path}.port`, errors);
    if (port.name !== undefined && port.name !== null && typeof port.name !== 'string')
      errors.push(`${path}.name must be a string`);
  });
}

function checkIngress(object: Record<string, unknown>, errors: string[]): void {
  const spec = object.spec;
  if (!isRecord(spec)) return void errors.push('spec is missing');
  if (spec.defaultBackend !== undefined)
    checkIngressBackend(spec.defaultBackend, 'spec.defaultBackend', errors);
  if (spec.tls !== undefined && spec.tls !== null && !Array.isArray(spec.tls))
    errors.push('spec.tls must be a list');
  const rules = spec.rules;
  if (rules === undefined || rules === null) return;
  if (!Array.isArray(rules)) return void errors.push('spec.rules must be a list');
  rules.forEach((rule: unknown, i) => {
    const path = `spec.rules[${i}]`;
    if (!isRecord(rule)) return void errors.push(`${path} must be a mapping`);
    if (rule.host !== undefined && typeof rule.host !== 'string')
      errors.push(`${path}.host must be a string`);
    if (rule.http === undefined || rule.http === null) return;
    if (!isRecord(rule.http) || !Array.isArray(rule.http.paths))
      return void errors.push(`${path}.http.paths must be a list`);
    rule.http.paths.forEach((p: unknown, j) => {
      const pathAt = `${path}.http.paths[${j}]`;
      if (!isRecord(p)) return void errors.push(`${pathAt} must be a mapping`);
      if (p.pathType !== 'Exact' && p.pathType !== 'Prefix' && p.pathType !== 'ImplementationSpecific') {
        errors.push(
          `${pathAt}.pathType must be Exact, Prefix or ImplementationSpecific, got ${show(p.pathType)}`,
        );
      }
      if (p.path !== undefined && typeof p.path !== 'string') errors.push(`${pathAt}.path must be a string`);
      checkIngressBackend(p.backend, `${pathAt}.backend`, errors);
    });
  });
}

function checkIngressBackend(backend: unknown, path: string, errors: string[]): void {
  if (!isRecord(backend)) return void errors.push(`${path} is missing`);
  const { service, resource } = backend;
  if ((service === undefined) === (resource === undefined)) {
    return void errors.push(`${path} must have exactly one of service or resource`);
  }
  if (resource !== undefined) {
    if (!isRecord(resource) || typeof resource.kind !== 'string' || typeof resource.name !== 'string') {
      errors.push(`${path}.resource needs kind and name`);
    }
    return;
  }
  if (!isRecord(service) || typeof service.name !== 'string' || service.name === '') {
    return void errors.push(`${path}.service.name is missing`);
  }
  const port = service.port;
  if (!isRecord(port)) return void errors.push(`${path}.service.port needs a name or a number`);
  if (port.number !== undefined) checkPort(port.number, `${path}.service.port.number`, errors);
  else if (typeof port.name !== 'string' || port.name === '')
    errors.push(`${path}.service.port needs a name or a number`);
}

function checkIngressClass(object: Record<string, unknown>, errors: string[]): void {
  // spec is optional in the API; an empty one keeps the IngressClass type's `spec` always present.
  if (object.spec === undefined || object.spec === null) object.spec = {};
  else if (!isRecord(object.spec)) return void errors.push('spec must be a mapping');
  const controller = (object.spec as Record<string, unknown>).controller;
  if (controller !== undefined && typeof controller !== 'string')
    errors.push('spec.controller must be a string');
}

const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function checkSecret(object: Record<string, unknown>, errors: string[]): void {
  const data: Record<string, string> = {};
  if (object.data !== undefined && object.data !== null) {
    if (!isRecord(object.data)) return void errors.push('data must be a mapping');
    for (const [key, value] of Object.entries(object.data)) {
      if (!SECRET_KEY.test(key))
        errors.push(`data key "${key}" may only hold letters, digits, "-", "_" and "."`);
      // Go's base64 decoder, which the API server uses, skips line breaks, so wrapped values are fine.
      const compact = typeof value === 'string' ? value.replace(/[\r\n]/g, '') : undefined;
      if (compact === undefined || !BASE64.test(compact)) errors.push(`data.${key} is not valid base64`);
      else data[key] = compact;
    }
  }
  if (object.stringData !== undefined && object.stringData !== null) {
    if (!isRecord(object.stringData)) return void errors.push('stringData must be a mapping');
    // Like the API server: stringData is write-only, merged into data and wins over a key in both.
    for (const [key, value] of Object.entries(object.stringData)) {
      if (!SECRET_KEY.test(key))
        errors.push(`stringData key "${key}" may only hold letters, digits, "-", "_" and "."`);
      if (typeof value !== 'string') errors.push(`stringData.${key} must be a string`);
      else data[key] = Buffer.from(value, 'utf8').toString('base64');
    }
  }
  if (object.type !== undefined && typeof object.type !== 'string') errors.push('type must be a string');
  delete object.stringData;
  if (Object.keys(data).length > 0) object.data = data;
  else delete object.data;
}

function checkPod(object: Record<string, unknown>, errors: string[]): void {
  const spec = object.spec;
  if (!isRecord(spec)) return void errors.push('spec is missing');
  const containers = spec.containers;
  if (!Array.isArray(containers) || containers.length === 0)
    return void errors.push('spec.containers must be a non-empty list');
  containers.forEach((c: unknown, i) => {
    const path = `spec.containers[${i}]`;
    if (!isRecord(c) || typeof c.name !== 'string' || c.name === '')
      return void errors.push(`${path}.name is missing`);
    if (c.ports === undefined || c.ports === null) return;
    if (!Array.isArray(c.ports)) return void errors.push(`${path}.ports must be a list`);
    c.ports.forEach((p: unknown, j) => {
      if (!isRecord(p)) return void errors.push(`${path}.ports[${j}] must be a mapping`);
      checkPort(p.containerPort, `${path}.ports[${j}].containerPort`, errors);
    });
  });
}

function checkPort(value: unknown, path: string, errors: string[]): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
    errors.push(`${path} must be an integer from 1 to 65535, got ${show(value)}`);
  }
}

function checkStringMap(value: unknown, path: string, errors: string[]): void {
  if (value === undefined || value === null) return;
  if (!isRecord(value)) return void errors.push(`${path} must be a mapping`);
  for (const [key, v] of Object.entries(value)) {
    // YAML reads `version: 1` as a number; Kubernetes wants strings here, so say so instead of coercing.
    if (typeof v !== 'string') errors.push(`${path}.${key} must be a string (quote it), got ${show(v)}`);
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
