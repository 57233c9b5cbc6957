// Gateway API header modifier filters (RequestHeaderModifier, ResponseHeaderModifier) -> IR header changes.
// Header names are case-insensitive in HTTP; the CRD already forbids repeating a name within set or add.
// Host can't be changed this way: Envoy refuses a whole route configuration that modifies it (URLRewrite's
// hostname is the way), so such a filter is a problem for its rule, never sent.
import type { IrHeaderModifier } from '../../../ir/http';
import type { HTTPHeaderFilter } from './spec';

/** Why Envoy would refuse this filter, if it would. */
export function headerModifierProblem(filter: HTTPHeaderFilter | undefined): string | undefined {
  const names = [...(filter?.set ?? []), ...(filter?.add ?? [])]
    .map((h) => h.name)
    .concat(filter?.remove ?? []);
  const host = names.find((n) => n.toLowerCase() === 'host');
  return host === undefined
    ? undefined
    : `a header modifier cannot change the ${host} header (use URLRewrite hostname)`;
}

export function headerModifier(filter: HTTPHeaderFilter | undefined): IrHeaderModifier | undefined {
  if (!filter) return undefined;
  const out: IrHeaderModifier = {};
  if (filter.set?.length) out.set = filter.set.map((h) => ({ name: h.name, value: h.value }));
  if (filter.add?.length) out.add = filter.add.map((h) => ({ name: h.name, value: h.value }));
  if (filter.remove?.length) out.remove = [...filter.remove];
  return Object.keys(out).length > 0 ? out : undefined;
}
