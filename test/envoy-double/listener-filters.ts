// Which listener filters act on a connection: the original_dst filter (the destination the chain match
// reads), and the TLS inspector unless its filter_disabled predicate (destination port ranges combined with
// or / and / not / any, evaluated on the original destination) switches it off for this connection.
import type { Listener } from '../../src/xds/types';
import type { ListenerFilterChainMatchPredicate } from '../../src/generated/envoy/config/listener/v3/ListenerFilterChainMatchPredicate';
import { anyTypeUrl } from './support-fields';
import { DOUBLE_TYPE_URLS } from './type-urls';

export function readsOriginalDst(listener: Listener): boolean {
  return (listener.listener_filters ?? []).some(
    (f) => anyTypeUrl(f.typed_config) === DOUBLE_TYPE_URLS.originalDst,
  );
}

export function predicateMatches(
  p: ListenerFilterChainMatchPredicate | null | undefined,
  port: number,
): boolean {
  if (!p) return false;
  if (p.any_match) return true;
  if (p.destination_port_range)
    return port >= Number(p.destination_port_range.start) && port < Number(p.destination_port_range.end);
  if (p.not_match) return !predicateMatches(p.not_match, port);
  if (p.or_match) return (p.or_match.rules ?? []).some((r) => predicateMatches(r, port));
  if (p.and_match) return (p.and_match.rules ?? []).every((r) => predicateMatches(r, port));
  return false;
}

/** Whether the TLS inspector reads this connection's first bytes (destination port: the original one). */
export function inspectsTls(listener: Listener, destinationPort: number): boolean {
  return (listener.listener_filters ?? []).some(
    (f) =>
      anyTypeUrl(f.typed_config) === DOUBLE_TYPE_URLS.tlsInspector &&
      !predicateMatches(f.filter_disabled, destinationPort),
  );
}
