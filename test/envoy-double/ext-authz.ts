// Envoy's ext_authz HTTP filter with an HTTP service, as kxds uses it: disabled in the chain, switched on
// by a route's FilterConfig under the filter's own name. The check request goes to the service's cluster
// with the client's method and authority, the path prefix followed by the client's path, Content-Length 0
// and no body, the client headers allowed_headers lets through (Authorization, Host, :method and :path
// always) as the connection manager has them (X-Forwarded-For appended, X-Forwarded-Proto set,
// X-Request-ID generated), then headers_to_add with their formatters expanded. A 200 lets the request
// through with the allowed_upstream_headers of the answer set on it; 5xx, a connection failure, a timeout
// or a missing cluster answers status_on_error (403 by default); any other answer goes to the client as
// it is (status, body, every header but Host).
import { randomUUID } from 'node:crypto';
import type { HttpFilter } from '../../src/generated/envoy/extensions/filters/network/http_connection_manager/v3/HttpFilter';
import type { ExtAuthz } from '../../src/generated/envoy/extensions/filters/http/ext_authz/v3/ExtAuthz';
import type { ConnectionContext } from './downstream';
import type { DownstreamRequest } from './downstream-request';
import { startExchange, type ForwardDeps } from './forward';
import type { HeaderMap } from './header-ops';
import type { LocalReply } from './local-reply';
import { stringMatches } from './string-match';
import { anyFields, anyTypeUrl, SupportProblems } from './support-fields';
import { durationToMs } from './timeouts';
import { DOUBLE_TYPE_URLS } from './type-urls';

const EXT_AUTHZ = 'envoy.filters.http.ext_authz';

/** The HttpStatus names kxds may set as status_on_error. */
const STATUS_CODES: Readonly<Record<string, number>> = { Forbidden: 403, InternalServerError: 500 };

/** The formatters the double expands in headers_to_add (each one's value for the request). */
const FORMATTERS = [
  '%REQ(:SCHEME)%',
  '%REQ(:AUTHORITY)%',
  '%REQ(:PATH)%',
  '%REQ(:METHOD)%',
  '%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%',
];

export function isExtAuthzName(name: string): boolean {
  return name === EXT_AUTHZ || name.startsWith(`${EXT_AUTHZ}/`);
}

/** Why the chain's filter is not one the double implements, or undefined. */
export function extAuthzProblem(filter: HttpFilter, config: ExtAuthz): string | undefined {
  if (!filter.disabled) return 'implements ext_authz only disabled in the chain and enabled per route';
  const service = config.http_service;
  if (!service?.server_uri?.cluster) return 'implements ext_authz only with an HTTP service on a cluster';
  const check = new SupportProblems();
  check.fields(config, 'ext_authz', [
    'http_service',
    'allowed_headers',
    'failure_mode_allow',
    'status_on_error',
  ]);
  const at = 'ext_authz.http_service';
  check.fields(service, at, ['server_uri', 'path_prefix', 'authorization_request', 'authorization_response']);
  check.fields(service.authorization_request, `${at}.authorization_request`, ['headers_to_add']);
  check.fields(service.authorization_response, `${at}.authorization_response`, ['allowed_upstream_headers']);
  if (config.failure_mode_allow) check.add('ext_authz.failure_mode_allow', 'does not fail open');
  const code = config.status_on_error?.code;
  if (code !== undefined && STATUS_CODES[String(code)] === undefined)
    check.add('ext_authz.status_on_error', `does not know ${code}`);
  for (const h of service.authorization_request?.headers_to_add ?? []) {
    const rest = FORMATTERS.reduce((v, f) => v.split(f).join(''), String(h.value ?? '')).replace(/%%/g, '');
    if (rest.includes('%'))
      check.add(`${at}.authorization_request.headers_to_add[${h.key}]`, `does not expand ${h.value}`);
  }
  return check.problems.length > 0 ? check.problems.join('; ') : undefined;
}

export function checkExtAuthzPerRoute(any: unknown, path: string, check: SupportProblems): void {
  if (anyTypeUrl(any) !== DOUBLE_TYPE_URLS.filterConfig)
    return check.add(path, `expects ${DOUBLE_TYPE_URLS.filterConfig} (the filter switched on)`);
  check.fields(anyFields<Record<string, unknown>>(any), path, []);
}

export type AuthVerdict =
  { allowed: true; upstreamHeaders: HeaderMap } | { allowed: false; reply: LocalReply };

function expand(value: string, request: DownstreamRequest, remoteAddress: string): string {
  const values: Record<string, string> = {
    '%REQ(:SCHEME)%': request.scheme,
    '%REQ(:AUTHORITY)%': request.authority,
    '%REQ(:PATH)%': request.path,
    '%REQ(:METHOD)%': request.method,
    '%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%': remoteAddress,
  };
  return value.replace(/%%|%[A-Z_]+(\([^)]*\))?%/g, (m) => (m === '%%' ? '%' : (values[m] ?? m)));
}

/** The request's headers as the connection manager hands them to the filters at the edge. */
export function edgeRequestHeaders(context: ConnectionContext, request: DownstreamRequest): HeaderMap {
  const headers: HeaderMap = new Map(request.headers);
  if (context.hcm.use_remote_address?.value) {
    headers.set('x-forwarded-for', [
      [...(headers.get('x-forwarded-for') ?? []), context.remoteAddress].join(','),
    ]);
    headers.set('x-forwarded-proto', [context.scheme]);
  }
  if (!headers.has('x-request-id')) headers.set('x-request-id', [randomUUID()]);
  return headers;
}

async function checkOnce(
  deps: ForwardDeps,
  config: ExtAuthz,
  request: DownstreamRequest,
  headers: HeaderMap,
  remoteAddress: string,
): Promise<AuthVerdict> {
  const service = config.http_service ?? {};
  const failed: AuthVerdict = {
    allowed: false,
    reply: { status: STATUS_CODES[String(config.status_on_error?.code ?? 'Forbidden')] ?? 403 },
  };
  const cluster = deps.config.activeCluster(String(service.server_uri?.cluster ?? ''));
  if (!cluster) return failed;
  const allowed = config.allowed_headers?.patterns ?? [];
  const sent: HeaderMap = new Map();
  for (const [name, values] of headers)
    if (name === 'authorization' || allowed.some((m) => stringMatches(m, name))) sent.set(name, values);
  // No body goes to the auth service, whatever the client sent.
  sent.set('content-length', ['0']);
  for (const h of service.authorization_request?.headers_to_add ?? [])
    sent.set(String(h.key).toLowerCase(), [expand(String(h.value ?? ''), request, remoteAddress)]);
  const exchange = await startExchange(
    deps,
    cluster,
    {
      method: request.method,
      path: `${service.path_prefix ?? ''}${request.path}`,
      authority: request.authority,
      headers: sent,
    },
    false,
  );
  if (!exchange) return failed;
  exchange.body.end();
  const timeoutMs = durationToMs(service.server_uri?.timeout) ?? 200;
  const timer = setTimeout(() => exchange.abort(), timeoutMs);
  try {
    const response = await exchange.response;
    const chunks: Buffer[] = [];
    for await (const chunk of response.body) chunks.push(chunk as Buffer);
    if (response.status >= 500) return failed;
    if (response.status === 200) {
      const upstream = service.authorization_response?.allowed_upstream_headers?.patterns ?? [];
      const upstreamHeaders: HeaderMap = new Map(
        [...response.headers].filter(([name]) => upstream.some((m) => stringMatches(m, name))),
      );
      return { allowed: true, upstreamHeaders };
    }
    const clientHeaders: HeaderMap = new Map(
      [...response.headers].filter(([n]) => n !== 'host' && n !== 'content-length'),
    );
    return {
      allowed: false,
      reply: { status: response.status, headers: clientHeaders, body: Buffer.concat(chunks) },
    };
  } catch {
    return failed;
  } finally {
    clearTimeout(timer);
  }
}

/** Runs each ext_authz of the chain the route switches on, in chain order; the first refusal answers. */
export async function extAuthzVerdict(
  deps: ForwardDeps,
  context: ConnectionContext,
  request: DownstreamRequest,
  perFilter: Record<string, unknown> | undefined,
): Promise<AuthVerdict> {
  const upstreamHeaders: HeaderMap = new Map();
  for (const filter of context.hcm.http_filters ?? []) {
    const name = String(filter.name);
    if (!isExtAuthzName(name) || (filter.disabled && !perFilter?.[name])) continue;
    const headers = edgeRequestHeaders(context, request);
    const verdict = await checkOnce(
      deps,
      anyFields<ExtAuthz>(filter.typed_config),
      request,
      headers,
      context.remoteAddress,
    );
    if (!verdict.allowed) return verdict;
    for (const [k, v] of verdict.upstreamHeaders) upstreamHeaders.set(k, v);
  }
  return { allowed: true, upstreamHeaders };
}
