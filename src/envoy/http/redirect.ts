// IR redirects -> envoy.config.route.v3.RedirectAction. A path given as a prefix replacement uses the same
// prefix_rewrite as a forwarding route (the caller splits element-wise prefixes, see route.ts).
import type { RedirectAction } from '../../generated/envoy/config/route/v3/RedirectAction';
import type { IrRedirect } from '../../ir/http';

const RESPONSE_CODES = {
  301: 'MOVED_PERMANENTLY',
  302: 'FOUND',
  303: 'SEE_OTHER',
  307: 'TEMPORARY_REDIRECT',
  308: 'PERMANENT_REDIRECT',
} as const;

export function redirectAction(redirect: IrRedirect, prefixRewrite: string | undefined): RedirectAction {
  const out: RedirectAction = { response_code: RESPONSE_CODES[redirect.statusCode] };
  if (redirect.scheme) out.scheme_redirect = redirect.scheme;
  if (redirect.host !== undefined) out.host_redirect = redirect.host;
  if (redirect.port !== undefined) out.port_redirect = redirect.port;
  const path = redirect.path;
  if (path?.kind === 'full') out.path_redirect = path.value;
  else if (path?.kind === 'regex')
    out.regex_rewrite = { pattern: { regex: path.pattern }, substitution: path.substitution };
  else if (prefixRewrite !== undefined) out.prefix_rewrite = prefixRewrite;
  return out;
}
