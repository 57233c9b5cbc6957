// The route-level settings an Ingress carries in annotations (kxds.io/* and their ingress-nginx spellings),
// read once per Ingress. Bad values are warned about by the reader and left at their defaults.
import type { Ingress } from '../../model/k8s';
import { AnnotationReader, type AnnotationValue } from '../../translate/annotations';
import { re2Problem } from '../../xds/re2';
import type { IrHashOn, UpstreamProtocol } from '../../ir/clusters';
import type { Statuses } from '../../translate/findings';
import { checkAnnotations } from '../../translate/annotation-check';
import { retryAnnotations } from '../../translate/retry-annotations';
import type { IrClientCertificates, IrRetry, IrRewrite, TlsVersion } from '../../ir/http';
import {
  corsOriginRegex,
  type IrBasicAuth,
  type IrCors,
  type IrRateLimit,
  type IrSourceRanges,
} from '../../ir/http-filters';
import type { ModelView } from '../../model/store';
import { report } from '../../translate/findings';
import { basicAuth } from './basic-auth';
import { forwardAuth, type ForwardAuthSettings } from './forward-auth';
import { clientCertificates } from './client-certificates';
import { sourceRanges } from './source-ranges';
import { headerSettings, type HeaderSettings } from './header-settings';

export interface IngressSettings extends HeaderSettings {
  regex: boolean;
  /** Upstream request timeout; undefined means the default (none for HTTP/2, Envoy's 15 s otherwise). */
  timeoutMs?: number;
  idleTimeoutMs?: number;
  retry?: IrRetry;
  rewrite?: IngressRewrite;
  cors?: IrCors;
  websockets: boolean;
  grpcWeb: boolean;
  rateLimit?: IrRateLimit;
  /** ingress-nginx `affinity: cookie` as a route hash policy. */
  affinity?: IrHashOn;
  backendProtocol?: UpstreamProtocol;
  sslRedirect: boolean;
  forceSslRedirect: boolean;
  /** ingress-nginx ssl-passthrough: the hosts' TLS goes, undecrypted, to the backend; nothing else applies. */
  sslPassthrough: boolean;
  tlsMinimumVersion: TlsVersion;
  canary?: CanarySettings;
  /** Client address allow and deny lists. */
  sourceRanges?: IrSourceRanges;
  basicAuth?: IrBasicAuth;
  /** auth-url: the auth service asked before each request (its cluster is resolved with the routes). */
  forwardAuth?: ForwardAuthSettings;
  /** auth-tls-*: the client certificates the Ingress's hosts ask for over TLS. */
  clientCertificates?: IrClientCertificates;
  /**
   * Access-control annotations kxds does not implement, or could not read: every route of the Ingress
   * answers 403.
   */
  failsClosed: AnnotationValue[];
}

/**
 * A path rewrite as annotated: an IR rewrite, or an ingress-nginx style rewrite-target, whose meaning depends
 * on the path it applies to (the whole regex match is replaced; "$2" names the regex's groups).
 */
export type IngressRewrite = IrRewrite | { kind: 'target'; value: string };

export interface CanarySettings {
  /** Share of requests sent to the canary: weight out of total (canary-weight-total, 100 by default). */
  weight?: { weight: number; total: number };
  /** The canary by header; `never`: the value "never" keeps a request off the canary (ingress-nginx). */
  header?: { name: string; value?: string; never?: boolean };
  /** ingress-nginx canary-by-cookie: NAME=always goes to the canary, NAME=never never does. */
  cookie?: string;
}

const COOKIE_NAME = /^[a-zA-Z0-9!#$%&'*+.^_`|~-]+$/;

const BACKEND_PROTOCOLS: Readonly<Record<string, UpstreamProtocol>> = {
  HTTP: 'http1',
  HTTPS: 'tls-http1',
  GRPC: 'http2',
  HTTP2: 'http2',
  H2C: 'http2',
  GRPCS: 'tls-http2',
};

const DEFAULT_CORS_METHODS = 'GET, PUT, POST, DELETE, PATCH, OPTIONS';
const DEFAULT_CORS_HEADERS =
  'DNT,Keep-Alive,User-Agent,X-Requested-With,If-Modified-Since,Cache-Control,Content-Type,Range,Authorization,' +
  'X-Grpc-Web,X-User-Agent,Grpc-Timeout';
/** Browsers hide response headers not listed here; gRPC-Web clients need the status trailers-as-headers. */
const GRPC_EXPOSE_HEADERS = ['grpc-status', 'grpc-message'];

/** What reading settings needs beside the Ingress: Secrets (basic auth), and what the listeners know. */
export interface SettingsContext {
  model: ModelView;
  /** The client address is inferred (trusted X-Forwarded-For hops or the PROXY protocol), not the peer's. */
  inferredClientAddress: boolean;
}

export function ingressSettings(
  ingress: Ingress,
  warnings: Statuses,
  edge: SettingsContext,
): IngressSettings {
  const r = new AnnotationReader(ingress, warnings);
  const { failsClosed } = checkAnnotations(ingress, 'Ingress', warnings);
  const ranges = sourceRanges(r, edge.inferredClientAddress);
  if (!ranges.ok) failsClosed.push(ranges.bad);
  const auth = basicAuth(r, ingress, edge.model);
  const forward = forwardAuth(r);
  const certs = clientCertificates(r, ingress, edge.model);
  for (const read of [auth, forward, certs]) {
    if (read.ok) continue;
    failsClosed.push(read.bad);
    report(
      warnings,
      ingress,
      'InvalidAnnotation',
      `annotation ${read.bad.annotation}: ${read.reason}; the routes of this Ingress answer 403 rather than serve without authentication`,
    );
  }
  const rewriteTarget = r.raw('rewrite-target', 'rewrite-target');
  const captureRewrite = rewriteTarget !== undefined && /\$\d/.test(rewriteTarget.value);
  const settings: IngressSettings = {
    // ingress-nginx treats every path as a regex once rewrite-target uses capture groups.
    regex: (r.bool('use-regex', 'use-regex') ?? false) || captureRewrite,
    timeoutMs: r.durationMs('request-timeout', 'proxy-read-timeout'),
    idleTimeoutMs: r.durationMs('idle-timeout'),
    websockets: r.bool('websockets') ?? false,
    grpcWeb: r.bool('grpc-web') ?? false,
    sslRedirect: r.bool('ssl-redirect', 'ssl-redirect') ?? true,
    forceSslRedirect: r.bool('force-ssl-redirect', 'force-ssl-redirect') ?? false,
    sslPassthrough: r.bool('ssl-passthrough', 'ssl-passthrough') ?? false,
    tlsMinimumVersion: tlsMinimumVersion(r),
    failsClosed,
  };
  // Retries without a condition retry what is safe to retry for any method.
  const retry = retryAnnotations(r, ['connect-failure', 'refused-stream', 'reset-before-request']);
  if (retry) settings.retry = retry;
  const rewrite = rewritePolicy(r);
  if (rewrite) settings.rewrite = rewrite;
  if (r.bool('enable-cors', 'enable-cors')) settings.cors = corsPolicy(r);
  const rps = r.int('limit-rps', { min: 1, max: 1_000_000 }, 'limit-rps');
  if (rps !== undefined) {
    // ingress-nginx allows bursts of 5x the rate by default (limit-burst-multiplier).
    const multiplier = r.int('limit-burst-multiplier', { min: 1, max: 1000 }, 'limit-burst-multiplier');
    const fromNginx = r.raw('limit-rps') === undefined;
    const burst =
      r.int('limit-burst', { min: 1, max: 1_000_000_000 }) ?? rps * (multiplier ?? (fromNginx ? 5 : 1));
    // A bucket smaller than one second's refill would silently lower the rate.
    settings.rateLimit = { requestsPerSecond: rps, burst: Math.max(burst, rps) };
  }
  const affinity = affinityPolicy(r);
  if (affinity) settings.affinity = affinity;
  const protocol = r.raw('backend-protocol', 'backend-protocol');
  if (protocol) {
    const mapped = BACKEND_PROTOCOLS[protocol.value.toUpperCase()];
    if (mapped) settings.backendProtocol = mapped;
    else r.warn(protocol, `expected one of ${Object.keys(BACKEND_PROTOCOLS).join(', ')}; ignored`);
  }
  const canary = canarySettings(r);
  if (canary) settings.canary = canary;
  if (ranges.ok && ranges.ranges) settings.sourceRanges = ranges.ranges;
  if (auth.ok && auth.auth) settings.basicAuth = auth.auth;
  if (forward.ok && forward.auth) settings.forwardAuth = forward.auth;
  if (certs.ok && certs.settings) settings.clientCertificates = certs.settings;
  return { ...settings, ...headerSettings(r) };
}

function tlsMinimumVersion(r: AnnotationReader): TlsVersion {
  const found = r.raw('tls-minimum-version');
  if (!found) return 'TLSv1_2';
  const v = found.value.toLowerCase().replace(/^tlsv?/, '');
  if (v === '1.2') return 'TLSv1_2';
  if (v === '1.3') return 'TLSv1_3';
  r.warn(found, 'expected 1.2 or 1.3; using 1.2');
  return 'TLSv1_2';
}

function rewritePolicy(r: AnnotationReader): IngressRewrite | undefined {
  const regex = r.raw('rewrite-regex');
  if (regex) {
    // "PATTERN SUBSTITUTION", e.g. "^/api/(.*) /\1".
    const parts = regex.value.split(/\s+/);
    if (parts.length !== 2 || !parts[0] || parts[1] === undefined) {
      r.warn(regex, 'expected "PATTERN SUBSTITUTION" with an RE2 pattern; no rewrite');
      return undefined;
    }
    const problem = re2Problem(parts[0]);
    if (problem) {
      r.warn(regex, `pattern "${parts[0]}" ${problem}; no rewrite`);
      return undefined;
    }
    return { kind: 'regex', pattern: parts[0], substitution: parts[1] };
  }
  const prefix = r.raw('rewrite-prefix');
  const target = prefix ?? r.raw('rewrite-target', 'rewrite-target');
  if (!target) return undefined;
  if (!target.value.startsWith('/')) {
    r.warn(target, 'a rewrite must start with "/"; no rewrite');
    return undefined;
  }
  return prefix ? { kind: 'prefix', value: target.value } : { kind: 'target', value: target.value };
}

function corsPolicy(r: AnnotationReader): IrCors {
  const originsFound = r.raw('cors-allow-origin', 'cors-allow-origin');
  const given = (r.string('cors-allow-origin', 'cors-allow-origin') ?? '*')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  // An origin refused is left out, never widened: if none is left, no origin is allowed (not "*").
  const origins = given.length > 0 ? given.filter((s) => corsOriginAccepted(r, originsFound, s)) : ['*'];
  const expose = (r.string('cors-expose-headers', 'cors-expose-headers') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const h of GRPC_EXPOSE_HEADERS) if (!expose.some((e) => e.toLowerCase() === h)) expose.push(h);
  const allowCredentials = r.bool('cors-allow-credentials', 'cors-allow-credentials') ?? false;
  const credentials = r.raw('cors-allow-credentials', 'cors-allow-credentials');
  if (allowCredentials && origins.includes('*') && credentials)
    // Envoy answers with the caller's own origin, so "*" plus credentials lets any site read as the user.
    r.incompatible(
      credentials,
      'with cors-allow-origin "*" every web site may make credentialed requests; list the allowed origins (applied as given)',
    );
  return {
    allowOrigins: origins,
    allowMethods: r.string('cors-allow-methods', 'cors-allow-methods') ?? DEFAULT_CORS_METHODS,
    allowHeaders: r.string('cors-allow-headers', 'cors-allow-headers') ?? DEFAULT_CORS_HEADERS,
    exposeHeaders: expose.join(','),
    maxAgeSeconds: r.int('cors-max-age', { min: 0, max: 315_360_000 }, 'cors-max-age') ?? 1_728_000,
    allowCredentials,
  };
}

/** A wildcard origin becomes a regex; one Envoy would refuse is left out (the others still apply). */
function corsOriginAccepted(
  r: AnnotationReader,
  found: AnnotationValue | undefined,
  origin: string,
): boolean {
  const regex = corsOriginRegex(origin);
  const problem = regex === undefined ? undefined : re2Problem(regex);
  if (problem && found) r.warn(found, `origin "${origin}" as a regex ${problem}; origin left out`);
  return problem === undefined;
}

function affinityPolicy(r: AnnotationReader): IrHashOn | undefined {
  const affinity = r.raw('affinity', 'affinity');
  if (!affinity) return undefined;
  if (affinity.value.toLowerCase() !== 'cookie') {
    r.warn(affinity, 'only "cookie" is supported; no affinity');
    return undefined;
  }
  const name = r.string('session-cookie-name', 'session-cookie-name') ?? 'INGRESSCOOKIE';
  return { kind: 'cookie', name };
}

function canarySettings(r: AnnotationReader): CanarySettings | undefined {
  if (!r.bool('canary', 'canary')) {
    // A canary setting on a main Ingress is a forgotten canary: "true", not something to apply silently.
    for (const name of [
      'canary-weight',
      'canary-weight-total',
      'canary-by-header',
      'canary-by-header-value',
      'canary-by-cookie',
    ]) {
      const stray = r.raw(name, name);
      if (stray) r.warn(stray, 'has no effect without canary: "true"; ignored');
    }
    return undefined;
  }
  const canary: CanarySettings = {};
  const total = r.int('canary-weight-total', { min: 1, max: 1_000_000 }, 'canary-weight-total') ?? 100;
  const weight = r.int('canary-weight', { min: 0, max: total }, 'canary-weight');
  if (weight !== undefined) canary.weight = { weight, total };
  const cookie = r.raw('canary-by-cookie', 'canary-by-cookie');
  if (cookie) {
    if (COOKIE_NAME.test(cookie.value)) canary.cookie = cookie.value;
    else r.warn(cookie, 'not a valid cookie name; no cookie canary');
  }
  const header = r.raw('canary-by-header', 'canary-by-header');
  if (header) {
    if (/^[a-zA-Z0-9!#$%&'*+.^_`|~-]+$/.test(header.value)) {
      const value = r.string('canary-by-header-value', 'canary-by-header-value');
      // ingress-nginx sends a request to the canary when the header says "always" (without a value given).
      const nginx = header.annotation.startsWith('nginx.');
      canary.header = {
        name: header.value.toLowerCase(),
        ...(value !== undefined ? { value } : nginx ? { value: 'always', never: true } : {}),
      };
    } else {
      r.warn(header, 'not a valid header name; no header canary');
    }
  }
  return canary;
}
