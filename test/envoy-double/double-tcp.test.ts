// The Envoy double's tcp_proxy: kxds's own TCP listener (no TLS inspector, so nothing is read before the
// choice) relays bytes both ways to a TCP echo server picked by weight with the injected draw; what it does
// not model (a UDP listener with anything but the udp_proxy) is refused rather than served wrongly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTcpListener } from '../../src/envoy/tcp/listener';
import { buildUdpListener } from '../../src/envoy/udp/listener';
import type { IrTcpListener } from '../../src/ir/listeners';
import { assignment, edsCluster } from './edge-resources';
import { startEnvoyDouble } from './index';
import { startStaticXds } from './static-xds';
import { checkSupport } from './support';
import { startTcpEcho, tcpExchange as exchange } from '../helpers/l4-echo';
import { decodeMessage, encodeMessage } from '../../src/xds/encode';
import { MESSAGE_NAME, type Listener } from '../../src/xds/types';

/** The support check reads listeners as the double's session decodes them (typed_config unpacked). */
const listenerProblems = (listener: Listener): string =>
  checkSupport(
    'listener',
    decodeMessage(MESSAGE_NAME.listener, encodeMessage(MESSAGE_NAME.listener, listener)),
  ).join('\n');

const TCP_PORT = 5432;

const tcpListener = (routes: IrTcpListener['routes']): IrTcpListener => ({
  kind: 'tcp',
  name: 'edge-tcp-5432',
  address: '0.0.0.0',
  port: TCP_PORT,
  routes,
});

test(
  'tcp_proxy through the double: bytes relayed to the weighted cluster the draw picks',
  { timeout: 30_000 },
  async (t) => {
    const [a, b] = [await startTcpEcho('a'), await startTcpEcho('b')];
    t.after(() => Promise.all([a.close(), b.close()]));
    const xds = await startStaticXds(t);
    xds.publish((set) => {
      set.listener.set(
        'edge-tcp-5432',
        buildTcpListener(
          tcpListener([
            {
              name: 'db/pg',
              backends: [
                { cluster: 'a', weight: 3 },
                { cluster: 'b', weight: 1 },
              ],
            },
          ]),
        ),
      );
      for (const [name, echo] of [
        ['a', a],
        ['b', b],
      ] as const) {
        set.cluster.set(name, edsCluster(name));
        set.endpoint.set(name, assignment(name, [{ host: '127.0.0.1', port: echo.port }]));
      }
    });
    let draw = 0;
    const envoy = await startEnvoyDouble({ xdsAddress: xds.address, random: () => draw });
    t.after(() => envoy.close());
    await envoy.ready();
    const port = envoy.port(TCP_PORT);
    assert.equal(await exchange(port, 'ping'), 'a:ping');
    draw = 0.9; // floor(0.9 * 4) = 3: past a's 3, into b's 1
    assert.equal(await exchange(port, 'pong'), 'b:pong');
  },
);

test('the double takes TLS-terminating tcp_proxy chains and udp_proxy listeners, nothing else on UDP', () => {
  const terminating = buildTcpListener(
    tcpListener([
      {
        name: 'a/term',
        backends: [{ cluster: 'a', weight: 1 }],
        tls: { mode: 'terminate', secrets: ['a/cert'], minVersion: 'TLSv1_2' },
      },
    ]),
  );
  assert.equal(listenerProblems(terminating), '');
  const udp = buildUdpListener({
    kind: 'udp',
    name: 'edge-udp-53',
    address: '0.0.0.0',
    port: 53,
    backends: [{ cluster: 'dns', weight: 1 }],
  });
  assert.equal(listenerProblems(udp), '');
  const udpWithChains: Listener = { ...udp, filter_chains: terminating.filter_chains ?? [] };
  assert.match(listenerProblems(udpWithChains), /expects no filter chains on UDP/);
  const udpWithoutProxy: Listener = { ...udp, listener_filters: [] };
  assert.match(listenerProblems(udpWithoutProxy), /only with the udp_proxy filter alone/);
  const plain = buildTcpListener(tcpListener([{ name: 'db/pg', backends: [{ cluster: 'a', weight: 1 }] }]));
  assert.equal(listenerProblems(plain), '');
});
