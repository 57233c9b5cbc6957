// RequestRedirect -> IR redirect, with the spec's port rules: an explicit port wins; else a scheme's
// well-known port (http 80, https 443); else the Gateway listener's own port (not the +10000 Envoy bind
// port). The port is always given to Envoy: left to itself it keeps the port the client connected to, which
// is not the listener's behind a Service or the bind offset (an explicit :80/:443 in Location is accepted
// by the conformance suite). statusCode defaults to 302; an absent hostname or path keeps the request's.
import type { IrPathRewrite, IrRedirect } from '../../../ir/http';
import type { RouteParentContext } from '../contract';
import type { HTTPPathModifier, HTTPRequestRedirectFilter } from './spec';

const WELL_KNOWN_PORTS = { http: 80, https: 443 } as const;

export function redirectPort(filter: HTTPRequestRedirectFilter, listener: RouteParentContext): number {
  if (filter.port !== undefined) return filter.port;
  if (filter.scheme) return WELL_KNOWN_PORTS[filter.scheme];
  return listener.port;
}

/** The IR form of an HTTPPathModifier: ReplacePrefixMatch "" is "/" (the spec's table strips the prefix). */
export function pathModifier(modifier: HTTPPathModifier | undefined): IrPathRewrite | undefined {
  if (!modifier) return undefined;
  if (modifier.type === 'ReplaceFullPath') return { kind: 'full', value: modifier.replaceFullPath ?? '/' };
  if (modifier.type === 'ReplacePrefixMatch') {
    const value = modifier.replacePrefixMatch ?? '/';
    return { kind: 'prefix', value: value === '' ? '/' : value };
  }
  return undefined;
}

export function redirect(filter: HTTPRequestRedirectFilter, listener: RouteParentContext): IrRedirect {
  const path = pathModifier(filter.path);
  return {
    ...(filter.scheme ? { scheme: filter.scheme } : {}),
    ...(filter.hostname ? { host: filter.hostname } : {}),
    port: redirectPort(filter, listener),
    ...(path ? { path } : {}),
    statusCode: filter.statusCode ?? 302,
  };
}
