// The field checks of the manifest parser (manifest-fields.ts), applied to objects the API server sends.
// The API server validates what it stores, but a faulty aggregated API, a proxy or a test double may not: one
// Service with `spec.ports: "x"` must not reach translation, where it would throw for every build. Gateway API
// kinds are left to the API server, which enforces the same CRD schema and CEL rules kxds checks manifests
// with (running CEL on every watch event would cost more than it protects).
import { isGatewayApiKind } from '../model/gateway-api';
import type { WatchedKind, WatchedObject } from '../model/k8s';
import { checkMetadata, KIND_CHECKS } from './manifest-fields';

/** What is wrong with an object's shape, each with its field path; empty when translation can take it. */
export function apiObjectProblems(kind: WatchedKind, object: WatchedObject): string[] {
  if (isGatewayApiKind(kind)) return [];
  const errors: string[] = [];
  const value = object as unknown as Record<string, unknown>;
  const metadata = value.metadata;
  if (!metadata || typeof metadata !== 'object') return ['metadata is missing'];
  // checkMetadata and the kind checks normalize a copy; the object itself is what the API server sent.
  checkMetadata(kind, metadata as Record<string, unknown>, errors);
  if (errors.length === 0) KIND_CHECKS[kind](structuredClone(value), errors);
  return errors;
}
