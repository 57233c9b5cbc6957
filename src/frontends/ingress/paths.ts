// Ingress paths -> path matches, and the order routes are tried in. Prefix is element-wise, as the Ingress
// API defines it ("/foo" matches "/foo" and "/foo/bar", never "/foobar"; a trailing slash is ignored).
// ImplementationSpecific is treated as Prefix, or as an RE2 regex over the whole path when the Ingress is
// annotated kxds.io/use-regex: "true" (or ingress-nginx's use-regex / a capture-group rewrite-target).
import type { HTTPIngressPath } from '../../model/k8s';
import type { IrPathMatch, IrRoute } from '../../ir/http';
import { re2FullMatch, re2Problem } from '../../xds/re2';

export type PathResult = { ok: true; match: IrPathMatch } | { ok: false; reason: string };

export function pathMatch(path: HTTPIngressPath, regex: boolean): PathResult {
  const value = path.path ?? '/';
  if (regex && path.pathType !== 'Exact') return regexMatch(value);
  if (!value.startsWith('/')) return { ok: false, reason: `path "${value}" must start with "/"` };
  if (/[?#\s]/.test(value))
    return { ok: false, reason: `path "${value}" must not contain "?", "#" or spaces` };
  switch (path.pathType) {
    case 'Exact':
      return { ok: true, match: { kind: 'exact', path: value } };
    case 'Prefix':
    case 'ImplementationSpecific': {
      const trimmed = value.replace(/\/+$/, '');
      return { ok: true, match: { kind: 'prefix', path: trimmed === '' ? '/' : trimmed } };
    }
    default:
      return { ok: false, reason: `unknown pathType "${String(path.pathType)}"` };
  }
}

function regexMatch(value: string): PathResult {
  // ingress-nginx regex locations match from the start of the path, not the whole path.
  const whole = value.endsWith('$') || value.endsWith('.*') ? value : `${value}.*`;
  // The regex checked is the one emitted, so the program-size limit applies to what Envoy compiles.
  const problem = re2Problem(whole);
  if (problem) return { ok: false, reason: `path regex "${value}" ${problem}` };
  return { ok: true, match: { kind: 'regex', regex: whole } };
}

/** A key equal for two matches that would catch the same requests (the conflict check). */
export function matchKey(route: Pick<IrRoute, 'match'>): string {
  const p = route.match.path;
  const path = p.kind === 'regex' ? `regex:${p.regex}` : `${p.kind}:${p.path}`;
  const headers = route.match.headers
    .map((h) => `${h.name}${h.regex !== undefined ? `~${h.regex}` : `=${h.exact ?? '*'}`}`)
    .join('&');
  return `${path}|${headers}`;
}

function pathText(m: IrPathMatch): string {
  return m.kind === 'regex' ? m.regex : m.path;
}

/** The path as the user wrote it, for ordering: a regex without the ".*" kxds appended. */
function writtenLength(m: IrPathMatch): number {
  return m.kind === 'regex' ? m.regex.replace(/\.\*$/, '').length : m.path.length;
}

/**
 * Route order within a virtual host, one rule for every Ingress on the host: Exact paths first; then regex
 * and prefix paths together, longer (as written) before shorter, as ingress-nginx orders its locations, a
 * prefix before a regex of the same length; a route that also requires headers (a canary) before the same
 * path without. Envoy takes the first matching route, so this gives the Ingress API's "longest match, Exact
 * over Prefix", and a short regex can't shadow a longer prefix. A regex that still catches a prefix's requests
 * is reported (see shadowedPrefixes).
 */
export function compareRoutes(a: Pick<IrRoute, 'match'>, b: Pick<IrRoute, 'match'>): number {
  const ea = a.match.path.kind === 'exact' ? 0 : 1;
  const eb = b.match.path.kind === 'exact' ? 0 : 1;
  if (ea !== eb) return ea - eb;
  const la = writtenLength(a.match.path);
  const lb = writtenLength(b.match.path);
  if (la !== lb) return lb - la;
  const ra = a.match.path.kind === 'regex' ? 1 : 0;
  const rb = b.match.path.kind === 'regex' ? 1 : 0;
  if (ra !== rb) return ra - rb;
  const pa = pathText(a.match.path);
  const pb = pathText(b.match.path);
  if (pa !== pb) return pa < pb ? -1 : 1;
  const ha = a.match.headers.length;
  const hb = b.match.headers.length;
  if (ha !== hb) return hb - ha;
  // ingress-nginx decides a canary by header before it looks at the cookie.
  const ca = a.match.headers.some((h) => h.name === 'cookie') ? 1 : 0;
  const cb = b.match.headers.some((h) => h.name === 'cookie') ? 1 : 0;
  if (ca !== cb) return ca - cb;
  const ka2 = matchKey(a);
  const kb2 = matchKey(b);
  return ka2 < kb2 ? -1 : ka2 > kb2 ? 1 : 0;
}

/**
 * For routes in the order Envoy tries them: each prefix route whose own path (or a path under it) an earlier
 * regex route already matches, with that regex route. The prefix is then served only for what the regex lets
 * through, which its owner should hear about.
 */
export function shadowedPrefixes<R extends Pick<IrRoute, 'match'>>(
  ordered: readonly R[],
): { prefix: R; by: R }[] {
  const found: { prefix: R; by: R }[] = [];
  ordered.forEach((route, i) => {
    const p = route.match.path;
    if (p.kind !== 'prefix') return;
    const probes = p.path === '/' ? ['/'] : [p.path, `${p.path}/`];
    const by = ordered
      .slice(0, i)
      .find(
        (earlier) =>
          earlier.match.path.kind === 'regex' &&
          earlier.match.headers.length === 0 &&
          probes.some((probe) => re2FullMatch((earlier.match.path as { regex: string }).regex, probe)),
      );
    if (by) found.push({ prefix: route, by });
  });
  return found;
}
