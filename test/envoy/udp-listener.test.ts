// The Envoy builder of IR "udp" listeners: a UDP socket with the udp_proxy listener filter routing to one
// cluster through its matcher.
/* eslint-disable @typescript-eslint/no-explicit-any -- decoded listeners are walked by field name */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildUdpListener } from '../../src/envoy/udp/listener';
import type { IrUdpListener } from '../../src/ir/listeners';
import { checkEnvoyResource } from '../../src/xds/check-resource';
import { decodeMessage, encodeMessage } from '../../src/xds/encode';
import { MESSAGE_NAME } from '../../src/xds/types';

const LISTENER = MESSAGE_NAME.listener;
const dns: IrUdpListener = {
  kind: 'udp',
  name: 'edge-udp-53',
  address: '0.0.0.0',
  port: 53,
  backends: [{ cluster: 'kube-system/dns/53', weight: 1 }],
};

test('a UDP listener: UDP socket, no filter chains, udp_proxy to its cluster via the matcher, 1m idle', () => {
  const listener = buildUdpListener(dns);
  assert.deepEqual(checkEnvoyResource(LISTENER, listener), []);
  const out: Record<string, any> = decodeMessage(LISTENER, encodeMessage(LISTENER, listener));
  assert.equal(out.address.socket_address.protocol, 'UDP');
  assert.equal(out.filter_chains, undefined);
  const [filter] = out.listener_filters;
  assert.equal(filter.name, 'envoy.filters.udp_listener.udp_proxy');
  const proxy = filter.typed_config;
  assert.equal(proxy.stat_prefix, 'edge_udp_53');
  assert.equal(proxy.cluster, undefined, 'the deprecated cluster field is not used');
  assert.deepEqual(proxy.matcher.on_no_match.action.typed_config, {
    '@type': 'type.googleapis.com/envoy.extensions.filters.udp.udp_proxy.v3.Route',
    cluster: 'kube-system/dns/53',
  });
  assert.deepEqual(proxy.idle_timeout, { seconds: '60', nanos: 0 });
  assert.equal(proxy.access_log[0].name, 'envoy.access_loggers.stdout');
});

test('an idle timeout as asked; zero or several weighted clusters are errors naming the listener', () => {
  const proxy = decodeMessage(LISTENER, encodeMessage(LISTENER, buildUdpListener({ ...dns, idleTimeoutMs: 5000 })));
  assert.deepEqual((proxy as Record<string, any>).listener_filters[0].typed_config.idle_timeout, { seconds: '5', nanos: 0 });
  assert.throws(
    () => buildUdpListener({ ...dns, backends: [...dns.backends, { cluster: 'kube-system/dns2/53', weight: 1 }] }),
    /udp listener edge-udp-53 needs exactly one backend cluster, got 2/,
  );
  assert.throws(() => buildUdpListener({ ...dns, backends: [] }), /got 0/);
});
