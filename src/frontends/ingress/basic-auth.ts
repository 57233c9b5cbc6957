// An Ingress's basic authentication: auth-type "basic" with auth-secret (a Secret in the Ingress's own
// namespace) whose key "auth" holds htpasswd lines (auth-secret-type "auth-file", the default) or whose
// keys are the users and values their hashes ("auth-map"), under kxds.io/ or nginx.ingress.kubernetes.io/.
// Envoy's basic_auth checks only SHA-1 hashes ("{SHA}", htpasswd -s); any other hash ($apr1$, bcrypt,
// crypt), a missing Secret or key, a duplicate user or no user at all fails the Ingress closed (403) with a
// condition. Messages name users and Secrets, never a hash.
import type { Ingress, SecretRef } from '../../model/k8s';
import type { ModelView } from '../../model/store';
import type { AnnotationReader, AnnotationValue } from '../../translate/annotations';
import type { IrBasicAuth } from '../../ir/http-filters';
import { secretValue } from './tls-secrets';

export type BasicAuthRead =
  | { ok: true; auth?: IrBasicAuth }
  /** The annotation to fail closed on, and why. */
  | { ok: false; bad: AnnotationValue; reason: string };

const SHA_HASH = /^\{SHA\}[A-Za-z0-9+/]{27}=$/;

function hashKind(hash: string): string {
  if (hash.startsWith('$apr1$')) return 'an MD5 ($apr1$) hash';
  if (/^\$2[abxy]?\$/.test(hash)) return 'a bcrypt hash';
  if (hash.startsWith('{SHA}')) return 'a malformed {SHA} hash';
  return 'a crypt or plain-text entry';
}

/** htpasswd users, or why they cannot be used. */
export function checkUsers(entries: readonly [string, string][], where: string): string | IrBasicAuth {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const [user, hash] of entries) {
    if (user === '' || /[\s:]/.test(user)) return `${where} has an entry without a valid user name`;
    if (seen.has(user)) return `${where} lists user "${user}" twice`;
    seen.add(user);
    if (!SHA_HASH.test(hash))
      return `${where}: user "${user}" has ${hashKind(hash)}; Envoy checks only {SHA} hashes (htpasswd -s)`;
    lines.push(`${user}:${hash}`);
  }
  if (lines.length === 0) return `${where} lists no user`;
  return { htpasswd: `${lines.join('\n')}\n` };
}

function authFileEntries(text: string): [string, string][] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => [l.slice(0, Math.max(0, l.indexOf(':'))), l.slice(l.indexOf(':') + 1)]);
}

/** An annotation's Secret reference, "NAME" (the Ingress's namespace) or "NAMESPACE/NAME". */
export function annotationSecretRef(value: string, ingressNamespace: string): SecretRef {
  const slash = value.indexOf('/');
  return slash < 0
    ? { namespace: ingressNamespace, name: value }
    : { namespace: value.slice(0, slash), name: value.slice(slash + 1) };
}

/** The Secret basic auth would read: auth-type basic with an auth-secret in the Ingress's own namespace. */
export function basicAuthSecretRef(r: AnnotationReader, ingress: Ingress): SecretRef | undefined {
  if (r.raw('auth-type', 'auth-type')?.value.toLowerCase() !== 'basic') return undefined;
  const value = r.raw('auth-secret', 'auth-secret')?.value;
  if (!value) return undefined;
  const namespace = ingress.metadata.namespace ?? 'default';
  const ref = annotationSecretRef(value, namespace);
  return ref.namespace === namespace && ref.name !== '' ? ref : undefined;
}

export function basicAuth(r: AnnotationReader, ingress: Ingress, model: ModelView): BasicAuthRead {
  const type = r.raw('auth-type', 'auth-type');
  if (!type) return { ok: true };
  const fail = (bad: AnnotationValue, reason: string): BasicAuthRead => ({ ok: false, bad, reason });
  if (type.value.toLowerCase() !== 'basic')
    return fail(type, `auth-type "${type.value}" is not implemented (only "basic")`);
  const secretRef = r.raw('auth-secret', 'auth-secret');
  if (!secretRef || secretRef.value === '') return fail(type, 'auth-type basic needs auth-secret');
  const namespace = ingress.metadata.namespace ?? 'default';
  const { namespace: secretNs, name } = annotationSecretRef(secretRef.value, namespace);
  // Another namespace's Secret would let an Ingress author use (and probe) users they may not read.
  if (secretNs !== namespace)
    return fail(secretRef, `Secret ${secretNs}/${name} is not in the Ingress's namespace`);
  const secret = model.get('Secret', secretNs, name);
  if (!secret) return fail(secretRef, `Secret ${secretNs}/${name} not found`);
  const kind = r.raw('auth-secret-type', 'auth-secret-type')?.value.toLowerCase() ?? 'auth-file';
  const where = `Secret ${secretNs}/${name}`;
  let users: string | IrBasicAuth;
  if (kind === 'auth-file') {
    const text = secretValue(secret, 'auth');
    users =
      text === undefined
        ? `${where} has no key "auth"`
        : checkUsers(authFileEntries(text), `${where} key "auth"`);
  } else if (kind === 'auth-map') {
    const keys = [
      ...new Set([...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})]),
    ].sort();
    users = checkUsers(
      keys.map((k) => [k, (secretValue(secret, k) ?? '').trim()]),
      where,
    );
  } else {
    return fail(
      r.raw('auth-secret-type', 'auth-secret-type') ?? type,
      `auth-secret-type "${kind}" is not auth-file or auth-map`,
    );
  }
  if (typeof users === 'string') return fail(secretRef, users);
  return { ok: true, auth: users };
}
