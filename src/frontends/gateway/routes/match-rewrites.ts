// ReplacePrefixMatch (URLRewrite or RequestRedirect path) for one match. The Envoy back-end replaces an
// element-wise prefix cleanly ("/foo" -> "/xyz": "/foo/bar" -> "/xyz/bar"), but a PathPrefix "/" has no
// element to replace: "/bar" must become "/xyz/bar", so there the leading "/" is substituted instead
// (an RE2 "^/"), and a replacement of "/" by "/" is no rewrite at all.
import type { IrPathRewrite, IrRouteAction, IrRouteMatch } from '../../../ir/http';

export interface MatchRewrite {
  action: IrRouteAction;
  rewrite?: IrPathRewrite;
}

/** True when a rule's prefix replacement can apply to this match (the spec: a PathPrefix match only). */
export function prefixRewriteFits(match: IrRouteMatch): boolean {
  return match.path.kind === 'prefix';
}

function rootPrefix(value: string): IrPathRewrite | undefined {
  const trimmed = value.replace(/\/+$/, '');
  return trimmed === '' ? undefined : { kind: 'regex', pattern: '^/', substitution: `${trimmed}/` };
}

export function matchRewrites(
  match: IrRouteMatch,
  action: IrRouteAction,
  rewrite: IrPathRewrite | undefined,
): MatchRewrite {
  const atRoot = match.path.kind === 'prefix' && match.path.path === '/';
  if (action.kind === 'redirect' && atRoot && action.redirect.path?.kind === 'prefix') {
    const { path, ...rest } = action.redirect;
    const root = rootPrefix(path.value);
    return { action: { kind: 'redirect', redirect: { ...rest, ...(root ? { path: root } : {}) } } };
  }
  if (atRoot && rewrite?.kind === 'prefix') {
    const root = rootPrefix(rewrite.value);
    return { action, ...(root ? { rewrite: root } : {}) };
  }
  return { action, ...(rewrite ? { rewrite } : {}) };
}
