// The Envoy builders of IR "tcp" listeners: plain TCP, TLS passthrough by SNI, TLS termination; weights,
// idle timeouts, access logs, and the listener shapes Envoy would refuse.
/* eslint-disable @typescript-eslint/no-explicit-any -- decoded listeners are walked by field name */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTcpListener } from '../../src/envoy/tcp/listener';
import type { IrTcpListener, IrTcpRoute } from '../../src/ir/listeners';
import { checkEnvoyResource } from '../../src/xds/check-resource';
import { decodeMessage, encodeMessage } from '../../src/xds/encode';
import { MESSAGE_NAME } from '../../src/xds/types';

const LISTENER = MESSAGE_NAME.listener;

function listenerOf(routes: IrTcpRoute[]): IrTcpListener {
  return { kind: 'tcp', name: 'edge-tcp-5432', address: '0.0.0.0', port: 5432, routes };
}

/** The listener as Envoy decodes it, with every typed_config unpacked. */
function decoded(ir: IrTcpListener): Record<string, any> {
  const listener = buildTcpListener(ir);
  assert.deepEqual(checkEnvoyResource(LISTENER, listener), []);
  return decodeMessage(LISTENER, encodeMessage(LISTENER, listener));
}

test('a plain TCP route: one chain without a match, tcp_proxy to its cluster, 1h idle, JSON access log', () => {
  const out = decoded(listenerOf([{ name: 'db/pg', backends: [{ cluster: 'db/pg/5432', weight: 1 }] }]));
  assert.equal(out.listener_filters, undefined, 'no TLS inspector without TLS routes');
  assert.equal(out.filter_chains.length, 1);
  const chain = out.filter_chains[0];
  assert.equal(chain.name, 'db/pg');
  assert.equal(chain.filter_chain_match, undefined);
  const proxy = chain.filters[0].typed_config;
  assert.equal(proxy['@type'], 'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy');
  assert.equal(proxy.stat_prefix, 'db_pg');
  assert.equal(proxy.cluster, 'db/pg/5432');
  assert.deepEqual(proxy.idle_timeout, { seconds: '3600', nanos: 0 });
  const fields = proxy.access_log[0].typed_config.log_format.json_format.fields;
  assert.equal(fields.requested_server_name.stringValue, '%REQUESTED_SERVER_NAME%');
  assert.equal(fields.upstream_host.stringValue, '%UPSTREAM_HOST%');
});

test('weighted backends become weighted_clusters; a weight of 0 is left out; idle timeout as asked', () => {
  const route: IrTcpRoute = {
    name: 'db/pg',
    backends: [
      { cluster: 'db/a/5432', weight: 90 },
      { cluster: 'db/b/5432', weight: 10 },
      { cluster: 'db/c/5432', weight: 0 },
    ],
    idleTimeoutMs: 1500,
  };
  const proxy = decoded(listenerOf([route])).filter_chains[0].filters[0].typed_config;
  assert.equal(proxy.cluster, undefined);
  assert.deepEqual(proxy.weighted_clusters.clusters, [
    { name: 'db/a/5432', weight: 90 },
    { name: 'db/b/5432', weight: 10 },
  ]);
  assert.deepEqual(proxy.idle_timeout, { seconds: '1', nanos: 500_000_000 });
});

test('passthrough routes: TLS inspector, chains matched on tls and SNI, no transport socket', () => {
  const out = decoded(
    listenerOf([
      { name: 'a/one', sni: ['one.example.com'], backends: [{ cluster: 'a/one/443', weight: 1 }], tls: { mode: 'passthrough' } },
      { name: 'a/any', sni: ['*.example.com'], backends: [{ cluster: 'a/any/443', weight: 1 }], tls: { mode: 'passthrough' } },
    ]),
  );
  assert.deepEqual(
    out.listener_filters.map((f: { name: string }) => f.name),
    ['envoy.filters.listener.tls_inspector'],
  );
  assert.deepEqual(
    out.filter_chains.map((c: Record<string, any>) => [c.name, c.filter_chain_match, c.transport_socket]),
    [
      ['a/one', { transport_protocol: 'tls', server_names: ['one.example.com'] }, undefined],
      ['a/any', { transport_protocol: 'tls', server_names: ['*.example.com'] }, undefined],
    ],
  );
});

test('a terminating route decrypts with its SDS certificates and minimum version, offering no ALPN', () => {
  const out = decoded(
    listenerOf([
      {
        name: 'a/term',
        sni: ['term.example.com'],
        backends: [{ cluster: 'a/term/9000', weight: 1 }],
        tls: { mode: 'terminate', secrets: ['a/cert-rsa', 'a/cert-ec'], minVersion: 'TLSv1_3' },
      },
    ]),
  );
  const socket = out.filter_chains[0].transport_socket;
  assert.equal(socket.name, 'envoy.transport_sockets.tls');
  const common = socket.typed_config.common_tls_context;
  assert.equal(common.tls_params.tls_minimum_protocol_version, 'TLSv1_3');
  assert.equal(common.alpn_protocols, undefined);
  assert.deepEqual(
    common.tls_certificate_sds_secret_configs.map((s: { name: string }) => s.name),
    ['a/cert-rsa', 'a/cert-ec'],
  );
});

test('shapes Envoy would refuse are errors naming the listener and routes', () => {
  const to = [{ cluster: 'x/y/1', weight: 1 }];
  assert.throws(
    () => buildTcpListener(listenerOf([{ name: 'a/r', sni: ['a.example.com'], backends: to }])),
    /edge-tcp-5432: route a\/r matches SNI without TLS/,
  );
  assert.throws(
    () =>
      buildTcpListener(
        listenerOf([
          { name: 'a/one', sni: ['b.example.com', 'a.example.com'], backends: to, tls: { mode: 'passthrough' } },
          { name: 'a/two', sni: ['a.example.com', 'b.example.com'], backends: to, tls: { mode: 'passthrough' } },
        ]),
      ),
    /routes a\/one and a\/two match the same connections/,
  );
  assert.throws(
    () => buildTcpListener(listenerOf([{ name: 'a/r', backends: [{ cluster: 'x/y/1', weight: 0 }] }])),
    /tcp route a\/r has no backend with a weight above 0/,
  );
});
