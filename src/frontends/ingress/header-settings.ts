// An Ingress's header settings: kxds.io/request-headers and kxds.io/response-headers ("Name: value" lines,
// each setting the header, replacing what the client or backend sent; a name given twice keeps every
// value), and HSTS (kxds.io/hsts, hsts-max-age, hsts-include-subdomains, hsts-preload; ingress-nginx has
// these only in its ConfigMap), a Strict-Transport-Security response header on HTTPS routes. A line that
// is not a valid header is left out with a condition, the others still apply.
import type { AnnotationReader, AnnotationValue } from '../../translate/annotations';
import type { IrHeaderModifier } from '../../ir/http';

const TOKEN = /^[a-zA-Z0-9!#$%&'*+.^_`|~-]+$/;
/** Header values carry no control characters but tab (RFC 9110 5.5). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
const FIELD_VALUE = /^[^\x00-\x08\x0a-\x1f\x7f]*$/;
/** What Envoy's connection manager owns and a route cannot set. */
const RESERVED_REQUEST = new Set(['host', 'content-length', 'transfer-encoding', 'connection']);
const RESERVED_RESPONSE = new Set(['content-length', 'transfer-encoding', 'connection']);
const YEAR_SECONDS = 31_536_000;

export interface HeaderSettings {
  requestHeaders?: IrHeaderModifier;
  responseHeaders?: IrHeaderModifier;
  /** The Strict-Transport-Security value HTTPS routes answer with. */
  hsts?: string;
}

function headerLines(
  r: AnnotationReader,
  found: AnnotationValue | undefined,
  reserved: ReadonlySet<string>,
): IrHeaderModifier | undefined {
  if (!found) return undefined;
  const modifier: Required<Pick<IrHeaderModifier, 'set' | 'add'>> = { set: [], add: [] };
  const seen = new Set<string>();
  for (const line of found.value.split('\n').map((l) => l.trim())) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim().toLowerCase() : '';
    const value = line.slice(colon + 1).trim();
    if (!TOKEN.test(name) || !FIELD_VALUE.test(value)) {
      r.warn(found, `"${line}" is not a "Name: value" header line; that line is left out`);
      continue;
    }
    if (reserved.has(name)) {
      r.warn(found, `${name} is managed by the proxy and cannot be set; that line is left out`);
      continue;
    }
    (seen.has(name) ? modifier.add : modifier.set).push({ name, value });
    seen.add(name);
  }
  if (modifier.set.length === 0) return undefined;
  return { set: modifier.set, ...(modifier.add.length > 0 ? { add: modifier.add } : {}) };
}

function hstsValue(r: AnnotationReader): string | undefined {
  if (!r.bool('hsts')) {
    for (const name of ['hsts-max-age', 'hsts-include-subdomains', 'hsts-preload']) {
      const stray = r.raw(name);
      if (stray) r.warn(stray, 'has no effect without kxds.io/hsts: "true"; ignored');
    }
    return undefined;
  }
  const maxAge = r.int('hsts-max-age', { min: 0, max: 10 * YEAR_SECONDS }) ?? YEAR_SECONDS;
  // ingress-nginx's defaults: one year, subdomains included, not preloaded.
  const subdomains = r.bool('hsts-include-subdomains') ?? true;
  const preload = r.bool('hsts-preload') ?? false;
  return `max-age=${maxAge}${subdomains ? '; includeSubDomains' : ''}${preload ? '; preload' : ''}`;
}

export function headerSettings(r: AnnotationReader): HeaderSettings {
  const out: HeaderSettings = {};
  const request = headerLines(r, r.raw('request-headers'), RESERVED_REQUEST);
  if (request) out.requestHeaders = request;
  const response = headerLines(r, r.raw('response-headers'), RESERVED_RESPONSE);
  if (response) out.responseHeaders = response;
  const hsts = hstsValue(r);
  if (hsts) out.hsts = hsts;
  return out;
}

/** The response headers of an HTTPS route: the Ingress's own, and HSTS (which replaces a backend's). */
export function withHsts(headers: IrHeaderModifier | undefined, hsts: string): IrHeaderModifier {
  const set = (headers?.set ?? []).filter((h) => h.name !== 'strict-transport-security');
  return { ...headers, set: [...set, { name: 'strict-transport-security', value: hsts }] };
}
