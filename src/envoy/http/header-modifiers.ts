// IR header modifiers -> Envoy's headers_to_add / headers_to_remove. "set" replaces a header (or adds it),
// "add" appends a value to what the request already has, as Gateway API's header modifier filters define.
import type { HeaderValueOption } from '../../generated/envoy/config/core/v3/HeaderValueOption';
import type { IrHeaderModifier } from '../../ir/http';

export interface EnvoyHeaderChanges {
  toAdd: HeaderValueOption[];
  toRemove: string[];
}

export function headerChanges(modifier: IrHeaderModifier | undefined): EnvoyHeaderChanges {
  const option = (name: string, value: string, append: boolean): HeaderValueOption => ({
    // IR values are literal; Envoy reads "%...%" as a formatter (and refuses a lone "%"), so "%" is "%%".
    header: { key: name, value: value.replace(/%/g, '%%') },
    append_action: append ? 'APPEND_IF_EXISTS_OR_ADD' : 'OVERWRITE_IF_EXISTS_OR_ADD',
  });
  return {
    toAdd: [
      ...(modifier?.set ?? []).map((h) => option(h.name, h.value, false)),
      ...(modifier?.add ?? []).map((h) => option(h.name, h.value, true)),
    ],
    toRemove: [...(modifier?.remove ?? [])],
  };
}

/** The request_/response_headers_to_add/remove fields of a Route or ClusterWeight, only those in use. */
export function headerFields(
  request: IrHeaderModifier | undefined,
  response: IrHeaderModifier | undefined,
): Record<string, unknown> {
  const req = headerChanges(request);
  const res = headerChanges(response);
  return {
    ...(req.toAdd.length > 0 ? { request_headers_to_add: req.toAdd } : {}),
    ...(req.toRemove.length > 0 ? { request_headers_to_remove: req.toRemove } : {}),
    ...(res.toAdd.length > 0 ? { response_headers_to_add: res.toAdd } : {}),
    ...(res.toRemove.length > 0 ? { response_headers_to_remove: res.toRemove } : {}),
  };
}
