// An Ingress's client address lists: kxds.io/allowlist-source-range and kxds.io/denylist-source-range, and
// ingress-nginx's allowlist-, whitelist- and denylist-source-range ("10.0.0.0/8, 2001:db8::/32, 192.0.2.7").
// A list with an entry that is not an address or a CIDR block is not applied partly (that could open what
// was meant to be closed): the whole Ingress fails closed (403) with a condition naming the entry.
import { isIPv4, isIPv6 } from 'node:net';
import type { AnnotationReader, AnnotationValue } from '../../translate/annotations';
import type { IrCidr, IrSourceRanges } from '../../ir/http-filters';

export type SourceRangeRead =
  | { ok: true; ranges?: IrSourceRanges }
  /** The annotation whose value could not be read: the caller fails the Ingress closed. */
  | { ok: false; bad: AnnotationValue };

/** One "ADDRESS[/LENGTH]" entry, or the reason it is not one. */
export function parseCidr(text: string): IrCidr | string {
  const slash = text.indexOf('/');
  const address = slash < 0 ? text : text.slice(0, slash);
  const bits = isIPv4(address) ? 32 : isIPv6(address) ? 128 : 0;
  if (bits === 0) return `"${address}" is not an IPv4 or IPv6 address`;
  if (slash < 0) return { address, prefixLength: bits };
  const length = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(length) || Number(length) > bits)
    return `"${text}" has a prefix length that is not a whole number from 0 to ${bits}`;
  return { address, prefixLength: Number(length) };
}

function readList(r: AnnotationReader, found: AnnotationValue): IrCidr[] | undefined {
  const out: IrCidr[] = [];
  const entries = found.value.split(',').map((s) => s.trim());
  if (entries.every((e) => e === '')) {
    r.warn(found, 'lists no address; the routes of this Ingress answer 403');
    return undefined;
  }
  for (const entry of entries.filter((e) => e !== '')) {
    const cidr = parseCidr(entry);
    if (typeof cidr === 'string') {
      r.warn(found, `${cidr}; the routes of this Ingress answer 403 rather than serve without the list`);
      return undefined;
    }
    out.push(cidr);
  }
  return out;
}

/**
 * The Ingress's address lists, judged by the peer address or, when the edge is told how to find the client
 * behind proxies (trusted hops, PROXY protocol), by that client address.
 */
export function sourceRanges(r: AnnotationReader, byClient: boolean): SourceRangeRead {
  const allowFound =
    r.raw('allowlist-source-range', 'allowlist-source-range') ??
    r.raw('allowlist-source-range', 'whitelist-source-range');
  const denyFound = r.raw('denylist-source-range', 'denylist-source-range');
  if (!allowFound && !denyFound) return { ok: true };
  const allow = allowFound ? readList(r, allowFound) : [];
  if (!allow && allowFound) return { ok: false, bad: allowFound };
  const deny = denyFound ? readList(r, denyFound) : [];
  if (!deny && denyFound) return { ok: false, bad: denyFound };
  return { ok: true, ranges: { allow: allow ?? [], deny: deny ?? [], by: byClient ? 'client' : 'peer' } };
}
