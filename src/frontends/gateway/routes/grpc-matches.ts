// GRPCRouteMatch -> IR route match. A gRPC call is POST /SERVICE/METHOD, so the method match becomes a path
// match: service and method Exact -> the exact path; service only -> the "/SERVICE/" prefix; method only or
// RegularExpression -> an RE2 over the whole path, each part grouped, "[^/]+" for the missing one. Headers as HTTPRoute's.
// The service and method lengths are kept: they order gRPC rules (see precedence.ts).
import type { IrPathMatch, IrRouteMatch } from '../../../ir/http';
import { re2Problem } from '../../../xds/re2';
import { valueMatches } from './http-matches';
import type { GRPCRouteMatch } from './spec';

export interface GrpcMatchResult {
  ok: true;
  match: IrRouteMatch;
  /** Characters of the service and method matched (the spec's precedence counts them). */
  serviceChars: number;
  methodChars: number;
}

const escapeRe2 = (s: string): string => s.replace(/[.+*?^${}()|[\]\\]/g, '\\$&');

export function grpcRouteMatch(match: GRPCRouteMatch): GrpcMatchResult | { ok: false; message: string } {
  const service = match.method?.service ?? '';
  const method = match.method?.method ?? '';
  const type = match.method?.type ?? 'Exact';
  let path: IrPathMatch;
  if (!match.method || (service === '' && method === '')) path = { kind: 'prefix', path: '/' };
  else if (type === 'Exact') {
    if (service !== '' && method !== '') path = { kind: 'exact', path: `/${service}/${method}` };
    else if (service !== '') path = { kind: 'prefix', path: `/${service}` };
    else path = { kind: 'regex', regex: `/[^/]+/${escapeRe2(method)}` };
  } else if (type === 'RegularExpression') {
    // Grouped, so an alternation in one part ("A|B") stays inside it.
    path = { kind: 'regex', regex: `/(?:${service || '[^/]+'})/(?:${method || '[^/]+'})` };
  } else return { ok: false, message: `method match type "${type}" is not supported` };
  if (path.kind === 'regex') {
    const problem = re2Problem(path.regex);
    if (problem)
      return { ok: false, message: `method match service "${service}" method "${method}": regex ${problem}` };
  }
  const headers = valueMatches('header', match.headers ?? [], (name) => name.toLowerCase());
  if (typeof headers === 'string') return { ok: false, message: headers };
  return { ok: true, match: { path, headers }, serviceChars: service.length, methodChars: method.length };
}
