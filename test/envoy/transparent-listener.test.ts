// The Envoy builder of IR "transparent" listeners (sidecars in iptables mode): original_dst first, the TLS
// inspector only on the ports that need it, chains by port, address and SNI, HTTP chains for clear text only,
// the passthrough as the default chain (or the only one), and the shapes Envoy would refuse.
/* eslint-disable @typescript-eslint/no-explicit-any -- decoded listeners are walked by field name */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTransparentListener } from '../../src/envoy/transparent/listener';
import { buildOriginalDstCluster } from '../../src/envoy/original-dst-cluster';
import type { IrTransparentChain, IrTransparentListener } from '../../src/ir/listeners';
import { checkEnvoyResource } from '../../src/xds/check-resource';
import { decodeMessage, encodeMessage } from '../../src/xds/encode';
import { MESSAGE_NAME } from '../../src/xds/types';

const LISTENER = MESSAGE_NAME.listener;

function listenerOf(chains: IrTransparentChain[], tlsPorts: number[] = []): IrTransparentListener {
  return { kind: 'transparent', name: 'outbound-transparent', address: '0.0.0.0', port: 15001, chains, passthroughCluster: 'passthrough', tlsPorts };
}

function decoded(ir: IrTransparentListener): Record<string, any> {
  const listener = buildTransparentListener(ir);
  assert.deepEqual(checkEnvoyResource(LISTENER, listener), []);
  return decodeMessage(LISTENER, encodeMessage(LISTENER, listener));
}

const tcp = (name: string, cluster: string) => ({ kind: 'tcp' as const, route: { name, backends: [{ cluster, weight: 1 }], accessLog: false } });
const http = { kind: 'http' as const, routes: { name: 'outbound|8080', virtualHosts: [] } };

test('chains by port and ClusterIP (v4 /32, v6 /128), HTTP for clear text, SNI for TLS; the rest passes through', () => {
  const out = decoded(
    listenerOf(
      [
        { name: 'demo/web/8080', port: 8080, addresses: ['10.0.0.1', 'fd00::1'], handler: http },
        { name: 'demo/web/8080/tls', port: 8080, addresses: ['10.0.0.1', 'fd00::1'], handler: tcp('demo/web/8080/tls', 'demo/web/8080') },
        { name: 'default/kubernetes/443/sni', port: 443, addresses: [], sni: ['kubernetes.default.svc'], handler: tcp('s', 'default/kubernetes/443') },
      ],
      [443, 8080],
    ),
  );
  assert.deepEqual(out.listener_filters.map((f: any) => f.name), ['envoy.filters.listener.original_dst', 'envoy.filters.listener.tls_inspector']);
  assert.deepEqual(out.listener_filters[1].filter_disabled, {
    not_match: { or_match: { rules: [{ destination_port_range: { start: 443, end: 444 } }, { destination_port_range: { start: 8080, end: 8081 } }] } },
  });
  assert.equal(out.continue_on_listener_filters_timeout, true);
  const [web, webTls, sni] = out.filter_chains;
  assert.deepEqual(web.filter_chain_match, {
    destination_port: { value: 8080 },
    prefix_ranges: [
      { address_prefix: '10.0.0.1', prefix_len: { value: 32 } },
      { address_prefix: 'fd00::1', prefix_len: { value: 128 } },
    ],
    transport_protocol: 'raw_buffer',
  });
  assert.equal(web.filters[0].typed_config.rds.route_config_name, 'outbound|8080');
  assert.equal(webTls.filter_chain_match.transport_protocol, undefined, 'TLS to the HTTP port: relayed');
  assert.equal(webTls.filters[0].typed_config.cluster, 'demo/web/8080');
  assert.equal(webTls.filters[0].typed_config.access_log, undefined, 'sidecars log no connection');
  assert.deepEqual([sni.filter_chain_match.server_names, sni.filter_chain_match.transport_protocol], [['kubernetes.default.svc'], 'tls']);
  assert.equal(out.default_filter_chain.filters[0].typed_config.cluster, 'passthrough');
});

test('one inspected port is its own predicate; no inspected port, no TLS inspector', () => {
  const one = decoded(listenerOf([{ name: 'a', port: 443, addresses: [], sni: ['a.b'], handler: tcp('a', 'c') }], [443]));
  assert.deepEqual(one.listener_filters[1].filter_disabled, { not_match: { destination_port_range: { start: 443, end: 444 } } });
  const none = decoded(listenerOf([{ name: 'db', port: 3306, addresses: ['10.0.0.2'], handler: tcp('db', 'db') }]));
  assert.deepEqual(none.listener_filters.map((f: any) => f.name), ['envoy.filters.listener.original_dst']);
  assert.equal(none.continue_on_listener_filters_timeout, undefined);
});

test('without chains (inbound) the passthrough is the one chain', () => {
  const out = decoded({ ...listenerOf([]), name: 'inbound', port: 15006, passthroughCluster: 'inbound-passthrough' });
  assert.equal(out.default_filter_chain, undefined);
  assert.equal(out.filter_chains.length, 1);
  assert.equal(out.filter_chains[0].filters[0].typed_config.cluster, 'inbound-passthrough');
});

test('two chains matching the same connections are refused, as Envoy would NACK the listener', () => {
  const chain = { name: 'a', port: 5432, addresses: ['10.0.0.3'], handler: tcp('a', 'a') };
  assert.throws(() => buildTransparentListener(listenerOf([chain, { ...chain, name: 'b' }])), /chains a and b match the same connections/);
});

test('the original-destination cluster: ORIGINAL_DST, CLUSTER_PROVIDED, its connect timeout', () => {
  const cluster = buildOriginalDstCluster({ name: 'passthrough', connectTimeoutMs: 2500 });
  assert.deepEqual(checkEnvoyResource(MESSAGE_NAME.cluster, cluster), []);
  assert.deepEqual(cluster, { name: 'passthrough', type: 'ORIGINAL_DST', lb_policy: 'CLUSTER_PROVIDED', connect_timeout: { seconds: 2, nanos: 500_000_000 } });
});
