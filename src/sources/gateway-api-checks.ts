// What the API server does to a Gateway API object before storing it, for manifests: the CRD schema defaults
// CEL rules rely on (data beside the rules, applied in place as the API server stores them), the OpenAPI
// schema check, then the CEL rules. A cluster's objects passed all of this
// already; manifests must pass the same, so `--manifests` refuses what `kubectl apply` would refuse.
import { isGatewayApiKind } from '../model/gateway-api';
import { applyCrdDefaults, checkCelRules } from './gateway-api-cel';
import { checkGatewaySchema } from './gateway-api-schema';

type Loose = Record<string, unknown>;

export function checkGatewayApiObject(object: Loose, errors: string[]): void {
  const kind = String(object.kind);
  if (!isGatewayApiKind(kind)) return void errors.push(`${kind} is not a Gateway API kind`);
  applyCrdDefaults(kind, object);
  const schemaErrors: string[] = [];
  checkGatewaySchema(kind, object, schemaErrors);
  errors.push(...schemaErrors);
  // CEL rules assume a schema-valid object (the API server runs them only then).
  if (schemaErrors.length === 0) checkCelRules(kind, object, errors);
}
