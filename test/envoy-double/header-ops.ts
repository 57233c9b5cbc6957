// Envoy's header mutations: request/response headers_to_add (append_action, or the deprecated `append`,
// keep_empty_value) and headers_to_remove, evaluated per level from the most specific (weighted cluster,
// route) to the least (virtual host, route configuration), so the outer level wins a conflict; reversed by
// most_specific_header_mutations_wins. Each level removes before it adds, as Envoy's HeaderParser does.
import type { HeaderValueOption } from '../../src/generated/envoy/config/core/v3/HeaderValueOption';

/** A mutable header map: lowercase names, every value kept (repeated headers stay separate). */
export type HeaderMap = Map<string, string[]>;

export interface HeaderLevel {
  add?: readonly HeaderValueOption[];
  remove?: readonly string[];
}

/** The value a HeaderValue carries: raw_value is bytes (base64 in decoded form). */
export function headerValueText(option: HeaderValueOption): string {
  const header = option.header ?? {};
  if (header.raw_value !== undefined && header.raw_value !== '')
    return Buffer.from(String(header.raw_value), 'base64').toString('latin1');
  // The support check refused every formatter but "%%", which Envoy writes as one "%".
  return (header.value ?? '').replace(/%%/g, '%');
}

function actionOf(option: HeaderValueOption): string {
  if (option.append_action !== undefined) return String(option.append_action);
  if (option.append?.value === false) return 'OVERWRITE_IF_EXISTS_OR_ADD';
  return 'APPEND_IF_EXISTS_OR_ADD';
}

export function applyHeaderOption(headers: HeaderMap, option: HeaderValueOption): void {
  const name = String(option.header?.key ?? '').toLowerCase();
  const value = headerValueText(option);
  if (value === '' && !option.keep_empty_value) return;
  const existing = headers.get(name);
  switch (actionOf(option)) {
    case 'ADD_IF_ABSENT':
      if (!existing) headers.set(name, [value]);
      return;
    case 'OVERWRITE_IF_EXISTS':
      if (existing) headers.set(name, [value]);
      return;
    case 'OVERWRITE_IF_EXISTS_OR_ADD':
      headers.set(name, [value]);
      return;
    default:
      headers.set(name, [...(existing ?? []), value]);
  }
}

/** Applies levels given most specific first (weighted cluster, route, virtual host, route configuration). */
export function applyHeaderLevels(
  headers: HeaderMap,
  levels: readonly HeaderLevel[],
  mostSpecificWins: boolean,
): void {
  const ordered = mostSpecificWins ? [...levels].reverse() : levels;
  for (const level of ordered) {
    for (const name of level.remove ?? []) headers.delete(name.toLowerCase());
    for (const option of level.add ?? []) applyHeaderOption(headers, option);
  }
}
