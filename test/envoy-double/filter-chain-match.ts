// Envoy's filter chain selection, for the criteria kxds uses: destination_port, then server_names (the
// exact SNI, then "*.parent" wildcards from the closest parent up), then transport_protocol ("tls" or
// "raw_buffer"). At each stage the chains that name the connection's value win; chains that leave the
// criterion empty are the fallback. No chain left: the default_filter_chain, else the connection is closed.
import type { Listener } from '../../src/xds/types';
import type { FilterChain } from '../../src/generated/envoy/config/listener/v3/FilterChain';

export interface ConnectionFacts {
  /** The listener's declared port (what Envoy would see as the destination port). */
  destinationPort: number;
  serverName?: string;
  transportProtocol: 'tls' | 'raw_buffer';
}

/** The names to try for an SNI, most specific first: "a.b.c" -> a.b.c, *.b.c, *.c. */
function sniCandidates(name: string): string[] {
  const labels = name.split('.');
  return [name, ...labels.slice(1).map((_, i) => `*.${labels.slice(i + 1).join('.')}`)];
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
