// Removes key material from decoded resources before they leave the process (admin JSON, the status page,
// `kxds dump`): TLS private keys, generic secrets, session ticket keys, passwords and basic auth users,
// wherever they sit (an SDS Secret, a TLS context inlined in a Listener or Cluster, a route's filter
// config). The field list is shared with the byte-level redaction CSDS uses (src/xds/key-material.ts).
import { KEY_MATERIAL_FIELDS, REDACTED } from '../xds/key-material';

export { REDACTED };

export function redactSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => redactSecrets(v)) as T;
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>))
    out[key] = KEY_MATERIAL_FIELDS.has(key) ? REDACTED : redactSecrets(v);
  return out as T;
}
