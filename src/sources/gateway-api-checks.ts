// What the API server does to a Gateway API object before storing it, for manifests: the CRD schema defaults
// CEL rules rely on, the OpenAPI schema check, then the CEL rules. A cluster's objects passed all of this
// already; manifests must pass the same, so `--manifests` refuses what `kubectl apply` would refuse.
import { isGatewayApiKind } from '../model/gateway-api';
import { checkCelRules } from './gateway-api-cel';
import { checkGatewaySchema } from './gateway-api-schema';

type Loose = Record<string, unknown>;

const isRecord = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);
const records = (v: unknown): Loose[] => (Array.isArray(v) ? v.filter(isRecord) : []);

/**
 * The schema defaults the CEL rules read (a parentRef's group and kind, a listener's TLS mode), applied in
 * place as the API server stores them.
 */
function applyDefaults(spec: Loose): void {
  for (const ref of records(spec.parentRefs)) {
    ref.group ??= 'gateway.networking.k8s.io';
    ref.kind ??= 'Gateway';
  }
  for (const listener of records(spec.listeners)) {
    if (isRecord(listener.tls)) listener.tls.mode ??= 'Terminate';
  }
}

export function checkGatewayApiObject(object: Loose, errors: string[]): void {
  const kind = String(object.kind);
  if (!isGatewayApiKind(kind)) return void errors.push(`${kind} is not a Gateway API kind`);
  if (isRecord(object.spec)) applyDefaults(object.spec);
  const schemaErrors: string[] = [];
  checkGatewaySchema(kind, object, schemaErrors);
  errors.push(...schemaErrors);
  // CEL rules assume a schema-valid object (the API server runs them only then).
  if (schemaErrors.length === 0) checkCelRules(kind, object, errors);
}
