// Every annotation key kxds knows under kxds.io/ and nginx.ingress.kubernetes.io/, per kind of object, and
// what kxds does with it: implemented, not implemented (ignored, with a condition), refused (raw proxy
// configuration, never interpreted) or fails closed (access control kxds does not implement: the Ingress's
// routes answer 403 rather than serve open). docs/annotations.md is this list; a key not in it
// is reported with a "did you mean" (see annotation-check.ts).

export type AnnotatedKind = 'Ingress' | 'Service' | 'Namespace' | 'HTTPRoute' | 'GRPCRoute';

export type AnnotationSupport =
  { support: 'implemented' } | { support: 'unsupported' | 'refused' | 'fails-closed'; why: string };

type Entry = AnnotationSupport & { kinds: readonly AnnotatedKind[] };

const IMPLEMENTED = { support: 'implemented' } as const;
const ingress = (support: AnnotationSupport): Entry => ({ ...support, kinds: ['Ingress'] });
const unsupported = (why = ''): Entry => ingress({ support: 'unsupported', why });
const failsClosed = (why: string): Entry => ingress({ support: 'fails-closed', why });
const refused: Entry = ingress({
  support: 'refused',
  why: 'snippets are raw nginx configuration, which kxds never interprets',
});

/** Ingress keys kxds implements under both prefixes (kxds.io/NAME and nginx.ingress.kubernetes.io/NAME). */
const BOTH = [
  'use-regex',
  'ssl-redirect',
  'force-ssl-redirect',
  'rewrite-target',
  'enable-cors',
  'cors-allow-origin',
  'cors-allow-methods',
  'cors-allow-headers',
  'cors-expose-headers',
  'cors-max-age',
  'cors-allow-credentials',
  'limit-rps',
  'limit-burst-multiplier',
  'affinity',
  'session-cookie-name',
  'backend-protocol',
  'canary',
  'canary-weight',
  'canary-weight-total',
  'canary-by-header',
  'canary-by-header-value',
  'canary-by-cookie',
  'allowlist-source-range',
  'denylist-source-range',
  'auth-type',
  'auth-secret',
  'auth-secret-type',
  'auth-url',
  'auth-response-headers',
  'auth-request-redirect',
  'auth-tls-secret',
  'auth-tls-verify-client',
  'auth-tls-verify-depth',
  'auth-tls-pass-certificate-to-upstream',
  'ssl-passthrough',
];
/** Ingress keys only under kxds.io/. */
const KXDS_ONLY = [
  'request-timeout',
  'idle-timeout',
  'websockets',
  'grpc-web',
  'tls-minimum-version',
  'retry-on',
  'num-retries',
  'per-try-timeout',
  'retry-backoff',
  'rewrite-prefix',
  'rewrite-regex',
  'limit-burst',
  'request-headers',
  'response-headers',
  'hsts',
  'hsts-max-age',
  'hsts-include-subdomains',
  'hsts-preload',
];
/** Mesh route keys (kxds.io/ only, on HTTPRoutes and GRPCRoutes with Service parents): retries and faults. */
const MESH_ROUTE = [
  'retry-on',
  'num-retries',
  'per-try-timeout',
  'retry-backoff',
  'fault-delay',
  'fault-delay-percent',
  'fault-abort',
  'fault-abort-percent',
];
/** Service keys (kxds.io/ only): the Service-level policies every data plane receives. */
const SERVICE = [
  'load-balancer',
  'upstream-protocol',
  'hash-on',
  'connect-timeout',
  'max-connections',
  'max-pending-requests',
  'max-requests',
  'max-retries',
  'health-check',
  'health-check-path',
  'health-check-service',
  'health-check-interval',
  'health-check-timeout',
  'health-check-healthy-threshold',
  'health-check-unhealthy-threshold',
  'outlier-consecutive-5xx',
  'outlier-consecutive-gateway-failure',
  'outlier-interval',
  'outlier-base-ejection-time',
  'outlier-max-ejection-percent',
  'outlier-failure-percentage',
  'outlier-failure-percentage-min-hosts',
  'outlier-failure-percentage-request-volume',
];

const ACCESS = 'access control kxds does not implement yet';
/**
 * Why auth-signin stays closed: Envoy's ext_authz passes the auth service's own 401 to the client, and
 * turning it into a redirect for one route only would need a per-route response rewrite (custom_response)
 * whose Location can't URL-escape the "rd" value ingress-nginx sends.
 */
const SIGNIN =
  "Envoy's ext_authz cannot turn one route's 401 into a sign-in redirect with an escaped rd= (the auth service may answer 302 itself)";

/** ingress-nginx keys kxds does not implement, with why; access control among them fails closed. */
const NGINX_NOT_IMPLEMENTED: Readonly<Record<string, Entry>> = {
  'proxy-read-timeout': ingress(IMPLEMENTED),
  'auth-realm': unsupported("Envoy's basic_auth has no realm setting"),
  'auth-signin': failsClosed(SIGNIN),
  'auth-signin-redirect-param': failsClosed(SIGNIN),
  'auth-method': failsClosed(
    "Envoy's HTTP ext_authz sends the check request with the client's own method; no other can be chosen",
  ),
  'auth-proxy-set-headers': failsClosed(
    'it names a ConfigMap of headers for the auth service, which kxds does not read',
  ),
  'auth-cache-key': unsupported("Envoy's ext_authz keeps no cache: every request is checked"),
  'auth-cache-duration': unsupported("Envoy's ext_authz keeps no cache: every request is checked"),
  'auth-keepalive': unsupported('Envoy keeps connections to the auth service alive by itself'),
  'auth-keepalive-requests': unsupported('Envoy keeps connections to the auth service alive by itself'),
  'auth-keepalive-timeout': unsupported('Envoy keeps connections to the auth service alive by itself'),
  'auth-keepalive-share-vars': unsupported('Envoy keeps connections to the auth service alive by itself'),
  'auth-always-set-cookie': failsClosed(ACCESS),
  'auth-tls-error-page': unsupported(
    'a refused certificate fails the TLS handshake, so there is no HTTP response to redirect',
  ),
  'auth-tls-match-cn': failsClosed(ACCESS),
  'enable-global-auth': failsClosed(ACCESS),
  'whitelist-source-range': ingress(IMPLEMENTED),
  satisfy: failsClosed(ACCESS),
  'enable-modsecurity': failsClosed('a web application firewall kxds does not implement'),
  'enable-owasp-core-rules': failsClosed('a web application firewall kxds does not implement'),
  'modsecurity-transaction-id': failsClosed('a web application firewall kxds does not implement'),
  'configuration-snippet': refused,
  'server-snippet': refused,
  'stream-snippet': refused,
  'auth-snippet': refused,
  'modsecurity-snippet': refused,
  'app-root': unsupported(),
  'affinity-mode': unsupported('affinity is always "balanced"'),
  'affinity-canary-behavior': unsupported(),
  'canary-by-header-pattern': unsupported('use canary-by-header-value'),
  'client-body-buffer-size': unsupported('Envoy streams request bodies; there is no buffer to size'),
  'custom-http-errors': unsupported(),
  'custom-headers': unsupported('it names a ConfigMap; use kxds.io/response-headers'),
  'default-backend': unsupported('use the Ingress spec.defaultBackend'),
  'from-to-www-redirect': unsupported(),
  'http2-push-preload': unsupported('HTTP/2 push is obsolete'),
  'limit-connections': unsupported(),
  'limit-rpm': unsupported('use limit-rps'),
  'limit-rate': unsupported(),
  'limit-rate-after': unsupported(),
  'limit-whitelist': unsupported(),
  'limit-allowlist': unsupported(),
  'permanent-redirect': unsupported(),
  'permanent-redirect-code': unsupported(),
  'temporal-redirect': unsupported(),
  'temporal-redirect-code': unsupported(),
  'preserve-trailing-slash': unsupported(),
  'proxy-body-size': unsupported(),
  'proxy-buffering': unsupported('Envoy streams; there is no response buffering to switch'),
  'proxy-buffers-number': unsupported('Envoy streams; there is no response buffering to size'),
  'proxy-buffer-size': unsupported('Envoy streams; there is no response buffering to size'),
  'proxy-max-temp-file-size': unsupported('Envoy streams; there are no temporary files'),
  'proxy-connect-timeout': unsupported('set kxds.io/connect-timeout on the Service'),
  'proxy-send-timeout': unsupported('use kxds.io/idle-timeout'),
  'proxy-next-upstream': unsupported('use kxds.io/retry-on'),
  'proxy-next-upstream-timeout': unsupported('use kxds.io/per-try-timeout'),
  'proxy-next-upstream-tries': unsupported('use kxds.io/num-retries'),
  'proxy-request-buffering': unsupported('Envoy streams request bodies'),
  'proxy-redirect-from': unsupported(),
  'proxy-redirect-to': unsupported(),
  'proxy-cookie-domain': unsupported(),
  'proxy-cookie-path': unsupported(),
  'proxy-http-version': unsupported('the upstream protocol comes from the Service port (appProtocol)'),
  'proxy-ssl-secret': unsupported(),
  'proxy-ssl-verify': unsupported(),
  'proxy-ssl-verify-depth': unsupported(),
  'proxy-ssl-name': unsupported(),
  'proxy-ssl-server-name': unsupported(),
  'proxy-ssl-ciphers': unsupported(),
  'proxy-ssl-protocols': unsupported(),
  'enable-rewrite-log': unsupported(),
  'server-alias': unsupported('list every host as a rule'),
  'service-upstream': unsupported('kxds always balances over the endpoints'),
  'session-cookie-change-on-failure': unsupported(),
  'session-cookie-conditional-samesite-none': unsupported(),
  'session-cookie-domain': unsupported(),
  'session-cookie-expires': unsupported('the cookie is a session cookie'),
  'session-cookie-max-age': unsupported('the cookie is a session cookie'),
  'session-cookie-path': unsupported(),
  'session-cookie-samesite': unsupported(),
  'session-cookie-secure': unsupported(),
  'ssl-ciphers': unsupported(),
  'ssl-prefer-server-ciphers': unsupported(),
  'upstream-hash-by': unsupported('set kxds.io/hash-on on the Service'),
  'upstream-hash-by-subset': unsupported(),
  'upstream-hash-by-subset-size': unsupported(),
  'upstream-vhost': unsupported(),
  'x-forwarded-prefix': unsupported(),
  'load-balance': unsupported('set kxds.io/load-balancer on the Service'),
  'connection-proxy-header': unsupported(),
  'enable-access-log': unsupported('Envoy logs every request of the edge'),
  'enable-opentelemetry': unsupported(),
  'opentelemetry-trust-incoming-span': unsupported(),
  'enable-opentracing': unsupported(),
  'mirror-target': unsupported(),
  'mirror-host': unsupported(),
  'mirror-request-body': unsupported(),
  'global-rate-limit': unsupported(),
  'global-rate-limit-window': unsupported(),
  'global-rate-limit-key': unsupported(),
  'global-rate-limit-ignored-cidrs': unsupported(),
  'grpc-backend': unsupported('removed from ingress-nginx: use backend-protocol: GRPC'),
  'secure-backends': unsupported('removed from ingress-nginx: use backend-protocol: HTTPS'),
  'ssl-redirect-code': unsupported(),
};

function catalog(): Map<string, Entry> {
  const out = new Map<string, Entry>();
  for (const key of BOTH) {
    out.set(`kxds.io/${key}`, ingress(IMPLEMENTED));
    out.set(`nginx.ingress.kubernetes.io/${key}`, ingress(IMPLEMENTED));
  }
  for (const key of KXDS_ONLY) out.set(`kxds.io/${key}`, ingress(IMPLEMENTED));
  for (const key of SERVICE) out.set(`kxds.io/${key}`, { ...IMPLEMENTED, kinds: ['Service'] });
  out.set('kxds.io/egress-namespaces', { ...IMPLEMENTED, kinds: ['Namespace'] });
  for (const key of MESH_ROUTE) {
    const kinds = out.get(`kxds.io/${key}`)?.kinds ?? [];
    out.set(`kxds.io/${key}`, { ...IMPLEMENTED, kinds: [...kinds, 'HTTPRoute', 'GRPCRoute'] });
  }
  for (const [key, entry] of Object.entries(NGINX_NOT_IMPLEMENTED)) {
    out.set(`nginx.ingress.kubernetes.io/${key}`, entry);
    // kxds.io/auth-url and its kin must fail closed too, not pass as unknown keys.
    if (entry.support === 'fails-closed' && key.startsWith('auth-')) out.set(`kxds.io/${key}`, entry);
  }
  return out;
}

/** Every known key, full name -> its entry. */
export const ANNOTATION_CATALOG: ReadonlyMap<string, Entry> = catalog();

/** Keys whose owner kxds watches but whose meaning lives elsewhere (the webhook, the status writer). */
export const FOREIGN_KXDS_KEYS: ReadonlySet<string> = new Set(['kxds.io/status', 'kxds.io/inject']);
