// Removes key material from decoded resources before they leave the process (admin JSON, the status page,
// `kxds dump`): TLS private keys, generic secrets, session ticket keys and passwords, wherever they sit (an
// SDS Secret, or a TLS context inlined in a Listener or Cluster).
export const REDACTED = '[redacted]';

const SECRET_FIELDS = new Set([
  'private_key',
  'privateKey',
  'password',
  'generic_secret',
  'genericSecret',
  'session_ticket_keys',
  'sessionTicketKeys',
  'private_key_provider',
  'privateKeyProvider',
]);

export function redactSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => redactSecrets(v)) as T;
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>))
    out[key] = SECRET_FIELDS.has(key) ? REDACTED : redactSecrets(v);
  return out as T;
}
