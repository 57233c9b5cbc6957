// Envoy's header_mutation HTTP filter, as kxds uses it: empty in the chain (it changes nothing), and a
// route's HeaderMutationPerRoute whose request mutations only remove headers, applied where the filter sits
// in the chain (before ext_authz), so what the filters after it add is not removed.
import type { HeaderMutationPerRoute } from '../../src/generated/envoy/extensions/filters/http/header_mutation/v3/HeaderMutationPerRoute';
import type { HeaderMap } from './header-ops';
import { anyFields, anyTypeUrl, type SupportProblems } from './support-fields';
import { DOUBLE_TYPE_URLS } from './type-urls';

export const HEADER_MUTATION_FILTER = 'envoy.filters.http.header_mutation';

export function checkHeaderMutationPerRoute(any: unknown, path: string, check: SupportProblems): void {
  if (anyTypeUrl(any) !== DOUBLE_TYPE_URLS.headerMutationPerRoute)
    return check.add(path, `expects ${DOUBLE_TYPE_URLS.headerMutationPerRoute}`);
  const config = anyFields<HeaderMutationPerRoute>(any);
  check.fields(config, path, ['mutations']);
  check.fields(config.mutations, `${path}.mutations`, ['request_mutations']);
  for (const [i, m] of (config.mutations?.request_mutations ?? []).entries())
    check.fields(m, `${path}.mutations.request_mutations[${i}]`, ['remove']);
}

/** The request's headers without the ones the route's per-route config removes. */
export function withoutRemovedHeaders(
  perFilter: Record<string, unknown> | undefined,
  headers: HeaderMap,
): HeaderMap {
  const any = perFilter?.[HEADER_MUTATION_FILTER];
  if (!any) return headers;
  const out: HeaderMap = new Map(headers);
  for (const m of anyFields<HeaderMutationPerRoute>(any).mutations?.request_mutations ?? [])
    if (m.remove) out.delete(m.remove.toLowerCase());
  return out;
}
