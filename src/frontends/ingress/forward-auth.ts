// An Ingress's forward authentication: auth-url (kxds.io/ or nginx.ingress.kubernetes.io/) names an HTTP
// service of the cluster by its DNS name (NAME.NAMESPACE, NAME.NAMESPACE.svc or
// NAME.NAMESPACE.svc.cluster.local, port 80 unless given) that is asked before every request;
// auth-response-headers lists headers of its answer copied upstream, auth-request-redirect the
// X-Auth-Request-Redirect value it gets. What Envoy's ext_authz cannot send the way ingress-nginx does
// fails the Ingress closed (403) with a condition: an https:// or external URL, nginx variables ($host),
// a query string (Envoy appends the client's path to the URL's path, so a query would land mid-path).
import type { AnnotationReader, AnnotationValue } from '../../translate/annotations';

/** The auth service as annotated; its cluster is resolved with the routes (a Service port, as backends). */
export interface ForwardAuthSettings {
  service: { namespace: string; name: string; port: number };
  /** The URL's path without a trailing "/" ("" for the root): the check request's path prefix. */
  pathPrefix: string;
  responseHeaders: string[];
  requestRedirect?: string;
}

export type ForwardAuthRead =
  | { ok: true; auth?: ForwardAuthSettings }
  /** The annotation to fail closed on, and why. */
  | { ok: false; bad: AnnotationValue; reason: string };

const SERVICE_HOST =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)(\.svc(\.cluster\.local)?)?$/;
const HEADER_NAME = /^[a-zA-Z0-9!#$%&'*+.^_`|~-]+$/;

/** How long a check may take: the request then fails closed (500), as an auth service that is down. */
export const FORWARD_AUTH_TIMEOUT_MS = 10_000;

function serviceOf(url: URL): ForwardAuthSettings['service'] | string {
  const host = SERVICE_HOST.exec(url.hostname.toLowerCase());
  if (!host?.[1] || !host[3])
    return `host "${url.hostname}" is not a Service of the cluster (NAME.NAMESPACE or NAME.NAMESPACE.svc.cluster.local); kxds does not call auth services outside the cluster`;
  return { name: host[1], namespace: host[3], port: url.port === '' ? 80 : Number(url.port) };
}

function parseUrl(value: string): URL | string {
  if (value.includes('$')) return 'nginx variables ($host, $request_uri...) are not interpreted';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.protocol !== 'http:')
    return `${url.protocol}// auth services are not implemented (only http:// Services of the cluster)`;
  if (url.username !== '' || url.password !== '') return 'credentials in the URL are not sent';
  if (url.search !== '' || url.hash !== '')
    return "a query or fragment cannot be kept: Envoy appends the client's path to the auth URL's path";
  return url;
}

function headerList(r: AnnotationReader): string[] | { bad: AnnotationValue; reason: string } {
  const found = r.raw('auth-response-headers', 'auth-response-headers');
  if (!found) return [];
  const names = found.value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  const invalid = names.find((n) => !HEADER_NAME.test(n));
  if (invalid !== undefined) return { bad: found, reason: `"${invalid}" is not a header name` };
  return [...new Set(names.map((n) => n.toLowerCase()))];
}

export function forwardAuth(r: AnnotationReader): ForwardAuthRead {
  const found = r.raw('auth-url', 'auth-url');
  if (!found) return { ok: true };
  const url = parseUrl(found.value);
  if (typeof url === 'string') return { ok: false, bad: found, reason: `"${found.value}" ${url}` };
  const service = serviceOf(url);
  if (typeof service === 'string') return { ok: false, bad: found, reason: service };
  const headers = headerList(r);
  if (!Array.isArray(headers)) return { ok: false, ...headers };
  const redirect = r.raw('auth-request-redirect', 'auth-request-redirect');
  return {
    ok: true,
    auth: {
      service,
      pathPrefix: url.pathname.replace(/\/+$/, ''),
      responseHeaders: headers,
      ...(redirect && redirect.value !== '' ? { requestRedirect: redirect.value } : {}),
    },
  };
}
