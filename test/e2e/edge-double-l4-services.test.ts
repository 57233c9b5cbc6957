// Ingress TCP and UDP services end to end: `kxds serve --manifests --tcp-services-configmap ...
// --udp-services-configmap ...` with ConfigMaps in ingress-nginx's format, the Envoy double as the edge:
// real TCP and UDP reach echo servers behind the named Service ports; a bad entry (here a UDP entry on a
// TCP-only port) is left out with a warning naming the ConfigMap and key, and the other entries still serve.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startEdgeDouble, startKxdsOnManifests } from '../helpers/edge-double-fixture';
import { endpointSlice, service } from '../helpers/k8s-fixtures';
import { startTcpEcho, startUdpEcho, tcpExchange, udpExchange } from '../helpers/l4-echo';
import { eventually } from '../helpers/eventually';

test(
  'TCP and UDP services from ConfigMaps are forwarded by the edge; a bad entry is reported, the rest served',
  { timeout: 60_000 },
  async (t) => {
    const [db, dns] = [await startTcpEcho('db'), await startUdpEcho('dns')];
    t.after(() => Promise.all([db.close(), dns.close()]));
    const configMap = (name: string, data: Record<string, string>) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { namespace: 'ingress', name },
      data,
    });
    const run = await startKxdsOnManifests(
      t,
      {
        'services.yaml': [
          service('apps', 'db', [{ name: 'pg', port: 5432 }]),
          endpointSlice('apps', 'db', 'db-1', [{ name: 'pg', port: db.port }], [{ ip: '127.0.0.1' }]),
          service('apps', 'dns', [{ name: 'dns', port: 53, protocol: 'UDP' }]),
          endpointSlice('apps', 'dns', 'dns-1', [{ name: 'dns', port: dns.port }], [{ ip: '127.0.0.1' }]),
          configMap('tcp-services', { '15432': 'apps/db:5432' }),
          configMap('udp-services', { '10053': 'apps/dns:dns', '10054': 'apps/db:5432' }),
        ],
      },
      {
        args: [
          '--tcp-services-configmap',
          'ingress/tcp-services',
          '--udp-services-configmap',
          'ingress/udp-services',
        ],
      },
    );
    const envoy = await startEdgeDouble(t, run);
    assert.equal(await tcpExchange(envoy.port(15432), 'select 1'), 'db:select 1');
    assert.equal(await udpExchange(envoy.udpPort(10053), 'q'), 'dns:q');
    assert.throws(() => envoy.udpPort(10054), /no UDP listener/, 'the bad entry gets no listener');
    const warning = await eventually('the bad entry reported', async () => {
      const text = await (await fetch(`http://${run.adminAddress}/debug/warnings`)).text();
      return /ConfigMap ingress\/udp-services key \\"10054\\": [^"]*entry ignored/.exec(text)?.[0];
    });
    assert.match(warning, /Service apps\/db port 5432 is TCP only, not UDP/);
  },
);
