// Gateway API header modifier filters (RequestHeaderModifier, ResponseHeaderModifier) -> IR header changes.
// Header names are case-insensitive in HTTP; the CRD already forbids repeating a name within set or add.
import type { IrHeaderModifier } from '../../../ir/http';
import type { HTTPHeaderFilter } from './spec';

export function headerModifier(filter: HTTPHeaderFilter | undefined): IrHeaderModifier | undefined {
  if (!filter) return undefined;
  const out: IrHeaderModifier = {};
  if (filter.set?.length) out.set = filter.set.map((h) => ({ name: h.name, value: h.value }));
  if (filter.add?.length) out.add = filter.add.map((h) => ({ name: h.name, value: h.value }));
  if (filter.remove?.length) out.remove = [...filter.remove];
  return Object.keys(out).length > 0 ? out : undefined;
}
