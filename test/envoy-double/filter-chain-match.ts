// Envoy's filter chain selection, for the criteria kxds uses: destination_port, then prefix_ranges (the
// destination address; the longest matching prefix wins), then server_names (the
// exact SNI, then "*.parent" wildcards from the closest parent up), then transport_protocol ("tls" or
// "raw_buffer"). At each stage the chains that name the connection's value win; chains that leave the
// criterion empty are the fallback. No chain left: the default_filter_chain, else the connection is closed.
import * as net from 'node:net';
import type { Listener } from '../../src/xds/types';
import type { FilterChain } from '../../src/generated/envoy/config/listener/v3/FilterChain';

export interface ConnectionFacts {
  /** The listener's declared port (what Envoy would see as the destination port). */
  destinationPort: number;
  /** The destination address (the original one behind original_dst; else the listener's own, 127.0.0.1). */
  destinationAddress?: string;
  serverName?: string;
  transportProtocol: 'tls' | 'raw_buffer';
}

/** The names to try for an SNI, most specific first: "a.b.c" -> a.b.c, *.b.c, *.c. */
function sniCandidates(name: string): string[] {
  const labels = name.split('.');
  return [name, ...labels.slice(1).map((_, i) => `*.${labels.slice(i + 1).join('.')}`)];
}

/** The longest prefix of the chain's prefix_ranges that holds the address; -1 when none does. */
function longestPrefix(chain: FilterChain, address: string): number {
  let best = -1;
  const family = net.isIPv6(address) ? 'ipv6' : 'ipv4';
  for (const range of chain.filter_chain_match?.prefix_ranges ?? []) {
    const prefix = String(range.address_prefix ?? '');
    if (!net.isIP(prefix) || (net.isIPv6(prefix) ? 'ipv6' : 'ipv4') !== family) continue;
    const length = Number(range.prefix_len?.value ?? (family === 'ipv6' ? 128 : 32));
    const block = new net.BlockList();
    block.addSubnet(prefix, length, family);
    if (block.check(address, family)) best = Math.max(best, length);
  }
  return best;
}

function byDestinationAddress(chains: FilterChain[], address: string | undefined): FilterChain[] {
  const unset = chains.filter((c) => (c.filter_chain_match?.prefix_ranges ?? []).length === 0);
  if (!address || !net.isIP(address)) return unset;
  const lengths = chains.map((c) => longestPrefix(c, address));
  const best = Math.max(-1, ...lengths);
  return best < 0 ? unset : chains.filter((_, i) => lengths[i] === best);
}

function narrow(
  chains: FilterChain[],
  matches: (c: FilterChain) => boolean,
  unset: (c: FilterChain) => boolean,
): FilterChain[] {
  const named = chains.filter(matches);
  return named.length > 0 ? named : chains.filter(unset);
}

export function selectFilterChain(listener: Listener, facts: ConnectionFacts): FilterChain | undefined {
  let chains = listener.filter_chains ?? [];
  chains = narrow(
    chains,
    (c) => c.filter_chain_match?.destination_port?.value === facts.destinationPort,
    (c) => c.filter_chain_match?.destination_port === undefined,
  );
  chains = byDestinationAddress(chains, facts.destinationAddress);
  const names = (c: FilterChain): string[] =>
    (c.filter_chain_match?.server_names ?? []).map((n) => n.toLowerCase());
  const withoutNames = chains.filter((c) => names(c).length === 0);
  const sni = facts.serverName ? sniCandidates(facts.serverName) : [];
  const bySni = sni
    .map((candidate) => chains.filter((c) => names(c).includes(candidate)))
    .find((found) => found.length > 0);
  chains = bySni ?? withoutNames;
  chains = narrow(
    chains,
    (c) => c.filter_chain_match?.transport_protocol === facts.transportProtocol,
    (c) => !c.filter_chain_match?.transport_protocol,
  );
  return chains[0] ?? listener.default_filter_chain ?? undefined;
}
