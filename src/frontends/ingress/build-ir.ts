// Served Ingresses -> the edge IR. Order of work: pick our Ingresses (oldest first), read their
// annotations, claim TLS hosts, add every rule's routes (the oldest Ingress keeps a contested path), fold
// canary Ingresses into the routes they shadow, then split the routes into HTTP (with HTTPS redirects)
// and per-certificate HTTPS virtual hosts.
import type { HTTPIngressPath, Ingress, IngressBackend } from '../../model/k8s';
import { objectRef } from '../../model/k8s';
import type { ModelView } from '../../model/store';
import type { IrCluster } from '../../ir/clusters';
import { report, type Statuses } from '../../translate/findings';
import { EdgeClusters } from './backends';
import { applyCanaries } from './canary';
import { compareHosts, isWildcardHost, ruleHost, tlsHostCovers } from './hosts';
import { wildcardAuthorityRegex } from '../../ir/hostnames';
import { re2Problem } from '../../xds/re2';
import { ingressKey, servedIngresses } from './ingress-class';
import { ingressSettings, type IngressRewrite, type IngressSettings } from './ingress-annotations';
import type { GroupIr } from '../../ir/group';
import type { IrClientAddress, IrListener } from '../../ir/listeners';
import type {
  IrRoute,
  IrRouteAction,
  IrRewrite,
  IrRouteMatch,
  IrRoutePolicies,
  IrTlsChain,
  IrVirtualHost,
} from '../../ir/http';
import { compareRoutes, matchKey, pathMatch, shadowedPrefixes } from './paths';
import { DEFAULT_CLUSTER_DEFAULTS, type ClusterDefaults } from '../../translate/clusters';
import { servicesFromConfigMaps } from './services-configmaps';
import { tlsHosts } from './tls-hosts';
import { isolated } from '../../translate/isolate';
import { defaultChain } from './default-certificate';
import { withHsts } from './header-settings';
import { passthroughRoutes } from './passthrough';
import { applyClientCertificates } from './client-certificate-hosts';
import { FORWARD_AUTH_TIMEOUT_MS, type ForwardAuthSettings } from './forward-auth';
import type { IrForwardAuth } from '../../ir/http-filters';

export interface EdgeIrOptions {
  ingressClass: string;
  allowExternalName: boolean;
  defaults?: ClusterDefaults;
  /** Where the edge listens: the address both listeners bind, and their ports. */
  address: string;
  httpPort: number;
  httpsPort: number;
  /** When certificates are judged (expiry warnings). */
  now: Date;
  /** NAMESPACE/NAME of the Secret served to TLS clients no chain's SNI names match. */
  defaultCertificate?: string;
  /** How both listeners learn the client's address (see IrClientAddress); absent: the peer's. */
  clientAddress?: IrClientAddress;
  /** NAMESPACE/NAME of the TCP and UDP services ConfigMaps (services-configmaps.ts). */
  tcpServicesConfigMap?: string;
  udpServicesConfigMap?: string;
}

export const HTTP_LISTENER = 'edge-http';
export const HTTPS_LISTENER = 'edge-https';

/** The edge group's IR and the Ingresses it serves. */
export interface EdgeIr {
  group: GroupIr;
  /** "ns/name" of each Ingress this controller serves, sorted. */
  servedIngresses: string[];
}

/** A route with the settings of the Ingress that owns it (redirect decisions need them later). */
export interface PlacedRoute {
  route: IrRoute;
  settings: IngressSettings;
  /** The Ingress the route comes from (a canary's own, for canary routes). */
  ingress: Ingress;
}

/** host -> match key -> route. */
export type RouteTable = Map<string, Map<string, PlacedRoute>>;

export interface RouteContext {
  clusters: EdgeClusters;
  warnings: Statuses;
  /** Each Ingress's auth service, resolved (and reported) once for all its routes. */
  forwardAuths: Map<Ingress, IrForwardAuth | 'unresolved'>;
}

export function buildEdgeIr(model: ModelView, options: EdgeIrOptions, warnings: Statuses): EdgeIr {
  const settings = new Map<Ingress, IngressSettings>();
  const clientAddress = options.clientAddress;
  const clientView = {
    model,
    inferredClientAddress: (clientAddress?.trustedHops ?? 0) > 0 || (clientAddress?.proxyProtocol ?? false),
  };
  for (const ing of servedIngresses(model, options.ingressClass)) {
    const read = isolated(warnings, ing, () => ingressSettings(ing, warnings, clientView));
    if (read) settings.set(ing, read);
  }
  const ingresses = [...settings.keys()];
  // Passthrough Ingresses work on TCP: they add no HTTP route, TLS host or canary (passthrough.ts).
  const passing = ingresses.filter((ing) => settings.get(ing)?.sslPassthrough);
  const mains = ingresses.filter((ing) => !settings.get(ing)?.canary && !settings.get(ing)?.sslPassthrough);
  const canaries = ingresses.filter((ing) => settings.get(ing)?.canary && !settings.get(ing)?.sslPassthrough);
  const tls = tlsHosts(
    model,
    mains.map((ingress) => ({
      ingress,
      minVersion: (settings.get(ingress) as IngressSettings).tlsMinimumVersion,
    })),
    warnings,
    options.now,
  );
  const ctx: RouteContext = {
    clusters: new EdgeClusters(model, warnings, options.allowExternalName, options.defaults),
    warnings,
    forwardAuths: new Map(),
  };
  const table: RouteTable = new Map();
  for (const ingress of mains)
    isolated(warnings, ingress, () =>
      addIngressRoutes(ctx, table, ingress, settings.get(ingress) as IngressSettings),
    );
  applyCanaries(
    ctx,
    table,
    canaries.map((ingress) => ({ ingress, settings: settings.get(ingress) as IngressSettings })),
  );

  const certHosts = applyClientCertificates(ctx, table, tls.chains, (host) => chainFor(tls.chains, host));
  const hosts = [...table.keys()].sort(compareHosts);
  for (const host of hosts) reportShadowed(ctx, host, sortedPlaced(table, host));
  const sortedRoutes = (host: string) => sortedPlaced(table, host);
  const httpRoutes = (host: string): IrRoute[] => {
    // A host whose certificate is broken still redirects: it fails closed over TLS, never falls back to HTTP.
    const tlsCovered = chainFor(tls.chains, host) !== undefined || tls.failedHosts.has(host);
    // A host asking for client certificates is never served in clear text, whatever ssl-redirect says.
    return sortedRoutes(host).map(({ route, settings: s }) =>
      (tlsCovered && s.sslRedirect) || s.forceSslRedirect || certHosts.has(host)
        ? redirectRoute(route)
        : route,
    );
  };
  // HSTS means something only over HTTPS (browsers ignore it in clear text): only the chains' routes get it.
  const httpsRoutes = (host: string): IrRoute[] => sortedRoutes(host).map(httpsRoute);
  const anyHost = table.has('*') ? { http: httpRoutes('*'), https: httpsRoutes('*') } : undefined;
  const httpVirtualHosts: IrVirtualHost[] = hosts.map((host) =>
    virtualHostOf(host, httpRoutes(host), anyHost?.http),
  );
  for (const host of hosts) {
    const chain = chainFor(tls.chains, host);
    if (chain) chain.virtualHosts.push(virtualHostOf(host, httpsRoutes(host), anyHost?.https));
  }
  const passthrough = passthroughRoutes(ctx, passing);
  const clusters: IrCluster[] = ctx.clusters.clusters();
  const listeners: IrListener[] = [
    {
      kind: 'http',
      name: HTTP_LISTENER,
      address: options.address,
      port: options.httpPort,
      routes: { name: HTTP_LISTENER, virtualHosts: httpVirtualHosts },
      ...(clientAddress ? { clientAddress } : {}),
    },
  ];
  const fallback = options.defaultCertificate
    ? defaultChain(model, options.defaultCertificate, tls.chains, warnings)
    : undefined;
  if (fallback) {
    tls.chains.push(fallback.chain);
    if (!tls.secrets.some((s) => s.name === fallback.secret.name)) tls.secrets.push(fallback.secret);
  }
  // A listener without filter chains would only refuse connections; leave HTTPS out until a host has TLS.
  if (tls.chains.length > 0 || passthrough.length > 0)
    listeners.push({
      kind: 'http',
      name: HTTPS_LISTENER,
      address: options.address,
      port: options.httpsPort,
      tls: tls.chains,
      ...(clientAddress ? { clientAddress } : {}),
      ...(passthrough.length > 0 ? { passthrough } : {}),
    });
  const l4 = servicesFromConfigMaps(
    model,
    {
      ...(options.tcpServicesConfigMap ? { tcp: options.tcpServicesConfigMap } : {}),
      ...(options.udpServicesConfigMap ? { udp: options.udpServicesConfigMap } : {}),
      address: options.address,
      takenTcpPorts: new Map([
        [options.httpPort, `the edge's HTTP listener`],
        [options.httpsPort, `the edge's HTTPS listener`],
      ]),
      allowExternalName: options.allowExternalName,
      defaults: options.defaults ?? DEFAULT_CLUSTER_DEFAULTS,
    },
    warnings,
  );
  return {
    group: {
      listeners: [...listeners, ...l4.listeners],
      secrets: tls.secrets,
      clusters: [...clusters, ...l4.clusters],
      endpoints: [...ctx.clusters.endpoints(clusters), ...l4.endpoints],
    },
    servedIngresses: ingresses.map(ingressKey).sort(),
  };
}

function sortedPlaced(table: RouteTable, host: string): PlacedRoute[] {
  return [...(table.get(host)?.values() ?? [])].sort((a, b) => compareRoutes(a.route, b.route));
}

function reportShadowed(ctx: RouteContext, host: string, ordered: readonly PlacedRoute[]): void {
  const routes = ordered.map((placed) => ({ match: placed.route.match, placed }));
  for (const { prefix, by } of shadowedPrefixes(routes)) {
    const path = prefix.match.path.kind === 'prefix' ? prefix.match.path.path : '';
    const regex = by.match.path.kind === 'regex' ? by.match.path.regex : '';
    report(
      ctx.warnings,
      prefix.placed.ingress,
      'RouteConflict',
      `host ${host} prefix ${path} is shadowed: the regex path ${regex} of ${by.placed.route.source} is longer, so it is tried first and catches requests under ${path}`,
    );
  }
}

/** An Ingress wildcard host covers one label (see hosts.ts); deeper names fall back to the "*" routes. */
function virtualHostOf(host: string, routes: IrRoute[], anyHost: IrRoute[] | undefined): IrVirtualHost {
  if (!isWildcardHost(host)) return { host, routes };
  return { host, singleLabelWildcard: true, routes, ...(anyHost ? { fallback: anyHost } : {}) };
}

/** The chain whose certificate covers a host: an exact name beats a wildcard, as SNI matching does. */
function chainFor(chains: readonly IrTlsChain[], host: string): IrTlsChain | undefined {
  return (
    chains.find((c) => c.hosts.includes(host)) ??
    chains.find((c) => c.hosts.some((h) => tlsHostCovers(h, host)))
  );
}

function httpsRoute({ route, settings }: PlacedRoute): IrRoute {
  if (!settings.hsts || route.action.kind !== 'forward') return route;
  const responseHeaders = withHsts(route.policies.responseHeaders, settings.hsts);
  return { ...route, policies: { ...route.policies, responseHeaders } };
}

function redirectRoute(route: IrRoute): IrRoute {
  return { ...route, action: { kind: 'redirect-https' }, policies: { websockets: false, grpcWeb: false } };
}

function addIngressRoutes(
  ctx: RouteContext,
  table: RouteTable,
  ingress: Ingress,
  settings: IngressSettings,
): void {
  for (const rule of ingress.spec.rules ?? []) {
    const host = ruleHost(rule, ingress, ctx.warnings);
    if (!host) continue;
    // A wildcard host's routes match :authority by regex; a very long suffix outgrows Envoy's RE2 limit.
    const authorityProblem = isWildcardHost(host) ? re2Problem(wildcardAuthorityRegex(host)) : undefined;
    if (authorityProblem) {
      report(
        ctx.warnings,
        ingress,
        'InvalidHost',
        `rule host "${host}" as an :authority regex ${authorityProblem}; rule ignored`,
      );
      continue;
    }
    for (const path of rule.http?.paths ?? []) {
      const label = `host ${host} path ${path.path ?? '/'} (${path.pathType})`;
      const matched = pathMatch(path, settings.regex);
      if (!matched.ok) {
        report(ctx.warnings, ingress, 'InvalidPath', `${label}: ${matched.reason}; path ignored`);
        continue;
      }
      const match: IrRouteMatch = { path: matched.match, headers: [] };
      if (contested(ctx, table, host, match, ingress, label)) continue;
      const route = routeFor(ctx, ingress, settings, match, path.backend, path, label);
      routesOf(table, host).set(matchKey(route), { route, settings, ingress });
    }
  }
  if (ingress.spec.defaultBackend) {
    const label = 'defaultBackend';
    const match: IrRouteMatch = { path: { kind: 'prefix', path: '/' }, headers: [] };
    if (contested(ctx, table, '*', match, ingress, label)) return;
    const route = routeFor(ctx, ingress, settings, match, ingress.spec.defaultBackend, undefined, label);
    routesOf(table, '*').set(matchKey(route), { route, settings, ingress });
  }
}

function routesOf(table: RouteTable, host: string): Map<string, PlacedRoute> {
  let routes = table.get(host);
  if (!routes) {
    routes = new Map();
    table.set(host, routes);
  }
  return routes;
}

/** True (with a warning) when an earlier Ingress, or an earlier path of this one, already has the match. */
function contested(
  ctx: RouteContext,
  table: RouteTable,
  host: string,
  match: IrRouteMatch,
  ingress: Ingress,
  label: string,
): boolean {
  const who = objectRef(ingress);
  const existing = table.get(host)?.get(matchKey({ match }));
  if (!existing) return false;
  const owner =
    existing.route.source === who
      ? 'an earlier path of this Ingress'
      : `${existing.route.source}, which wins (older, or first by namespace/name)`;
  report(ctx.warnings, ingress, 'RouteConflict', `${label} is already served by ${owner}; ignored here`);
  return true;
}

/** One route: forward to the backend's cluster, or answer 503 when the backend can't be resolved. */
export function routeFor(
  ctx: RouteContext,
  ingress: Ingress,
  settings: IngressSettings,
  match: IrRouteMatch,
  backend: IngressBackend,
  path: HTTPIngressPath | undefined,
  label: string,
): IrRoute {
  const source = objectRef(ingress);
  // Access control kxds can't enforce must not be served open (see annotation-check.ts).
  if (settings.failsClosed.length > 0)
    return {
      source,
      match,
      action: { kind: 'direct', status: 403 },
      policies: { websockets: false, grpcWeb: false },
    };
  const forwardAuth = settings.forwardAuth ? forwardAuthOf(ctx, ingress, settings.forwardAuth) : undefined;
  if (forwardAuth === 'unresolved')
    return {
      source,
      match,
      action: { kind: 'direct', status: 403 },
      policies: { websockets: false, grpcWeb: false },
    };
  const resolved = ctx.clusters.resolve(ingress, backend, settings.backendProtocol);
  if (!resolved.ok) {
    report(ctx.warnings, ingress, resolved.cause, `${label}: ${resolved.reason}; the route answers 503`);
    return {
      source,
      match,
      action: { kind: 'direct', status: 503 },
      policies: { websockets: false, grpcWeb: false },
    };
  }
  const cluster = resolved.cluster;
  const http2 = cluster.protocol === 'http2' || cluster.protocol === 'tls-http2';
  const hashOn = [...(cluster.hashOn ?? []), ...(settings.affinity ? [settings.affinity] : [])];
  if (settings.affinity) ctx.clusters.requireHashing(cluster.name);
  const action: IrRouteAction = {
    kind: 'forward',
    clusters: [{ cluster: cluster.name, weight: 100 }],
    http2,
    hashOn,
    autoHostRewrite: cluster.discovery?.kind === 'dns',
  };
  const policies = routePolicies(ctx, ingress, settings, match, path, http2, label);
  if (forwardAuth) policies.forwardAuth = forwardAuth;
  return { source, match, action, policies };
}

function forwardAuthOf(ctx: RouteContext, ingress: Ingress, auth: ForwardAuthSettings) {
  let known = ctx.forwardAuths.get(ingress);
  if (!known) {
    known = forwardAuthFor(ctx, ingress, auth);
    ctx.forwardAuths.set(ingress, known);
  }
  return known;
}

/** The auth service's cluster, or "unresolved" (reported): the Ingress's routes then answer 403. */
function forwardAuthFor(
  ctx: RouteContext,
  ingress: Ingress,
  auth: ForwardAuthSettings,
): IrForwardAuth | 'unresolved' {
  const { namespace, name, port } = auth.service;
  const resolved = ctx.clusters.resolve(
    ingress,
    { service: { name, port: { number: port } } },
    undefined,
    namespace,
  );
  if (!resolved.ok) {
    report(
      ctx.warnings,
      ingress,
      resolved.cause,
      `auth-url: ${resolved.reason}; the routes of this Ingress answer 403 rather than serve without authentication`,
    );
    return 'unresolved';
  }
  return {
    cluster: resolved.cluster.name,
    uri: `http://${name}.${namespace}.svc:${port}${auth.pathPrefix}`,
    pathPrefix: auth.pathPrefix,
    responseHeaders: auth.responseHeaders,
    ...(auth.requestRedirect !== undefined ? { requestRedirect: auth.requestRedirect } : {}),
    timeoutMs: FORWARD_AUTH_TIMEOUT_MS,
  };
}

function routePolicies(
  ctx: RouteContext,
  ingress: Ingress,
  settings: IngressSettings,
  match: IrRouteMatch,
  path: HTTPIngressPath | undefined,
  http2: boolean,
  label: string,
): IrRoutePolicies {
  const policies: IrRoutePolicies = { websockets: settings.websockets, grpcWeb: settings.grpcWeb };
  // Envoy's default 15 s route timeout would cut every long gRPC stream; HTTP/2 upstreams get none.
  const timeoutMs = settings.timeoutMs ?? (http2 ? 0 : undefined);
  if (timeoutMs !== undefined) policies.timeoutMs = timeoutMs;
  if (settings.idleTimeoutMs !== undefined) policies.idleTimeoutMs = settings.idleTimeoutMs;
  if (settings.retry) policies.retry = settings.retry;
  if (settings.sourceRanges) policies.sourceRanges = settings.sourceRanges;
  if (settings.basicAuth) policies.basicAuth = settings.basicAuth;
  if (settings.requestHeaders) policies.requestHeaders = settings.requestHeaders;
  if (settings.responseHeaders) policies.responseHeaders = settings.responseHeaders;
  if (settings.cors) policies.cors = settings.cors;
  if (settings.rateLimit) policies.rateLimit = settings.rateLimit;
  const rewrite = rewriteFor(settings.rewrite, match, path);
  if (rewrite.warning)
    report(ctx.warnings, ingress, 'IncompatibleSettings', `${label}: ${rewrite.warning}; no rewrite`);
  if (rewrite.value) policies.rewrite = rewrite.value;
  return policies;
}

/** The rewrite one route gets: rewrite-target follows ingress-nginx (the regex match is replaced). */
function rewriteFor(
  rewrite: IngressRewrite | undefined,
  match: IrRouteMatch,
  path: HTTPIngressPath | undefined,
): { value?: IrRewrite; warning?: string } {
  if (!rewrite) return {};
  const regexPath = match.path.kind === 'regex' && path?.path ? path.path : undefined;
  if (rewrite.kind === 'target') {
    if (regexPath !== undefined) {
      // RE2 substitutions name groups \1, ingress-nginx's targets $1.
      const substitution = rewrite.value.replace(/\$(\d)/g, '\\$1');
      // ingress-nginx replaces the whole path; Envoy only the matched part, so the pattern must cover it all.
      const core = regexPath.replace(/^\^/, '');
      const pattern = `^(?:${core})${core.endsWith('$') || core.endsWith('.*') ? '' : '.*'}`;
      // The path itself passed RE2, but the wrapped pattern is a little larger (the program-size limit).
      const problem = re2Problem(pattern);
      if (problem) return { warning: `rewrite-target pattern "${pattern}" ${problem}` };
      return { value: { kind: 'regex', pattern, substitution } };
    }
    if (/\$\d/.test(rewrite.value))
      return { warning: 'rewrite-target with capture groups needs a regex path' };
    return { value: { kind: 'prefix', value: rewrite.value } };
  }
  if (rewrite.kind === 'prefix' && regexPath !== undefined) {
    // A regex has no "matched prefix" to swap; say so instead of rewriting the whole path by surprise.
    return { warning: 'a prefix rewrite does not apply to a regex path (use kxds.io/rewrite-regex)' };
  }
  return { value: rewrite };
}
