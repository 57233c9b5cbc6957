// A transparent-mode sidecar end to end through the Envoy double, with connections handed over as
// iptables would (their original destination restored): a TCP service whose server speaks first is relayed
// as TCP to its endpoint; HTTPS to the kubernetes Service's ClusterIP:443 reaches the API server double
// undecrypted (the client verifies its certificate, the backend sees the client's SNI), and so does HTTPS
// to another address whose SNI names that Service; an HTTP port (named http) is routed by Host; an address
// kxds does not know is passed through to where it was going; inbound connections reach the pod's port.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tls from 'node:tls';
import { createCertificateAuthority, issueCertificate } from '../../src/certs/authority';
import { startEchoBackend, type EchoedRequest } from '../envoy-double/echo-backend';
import { startEnvoyDouble } from '../envoy-double';
import { SubjectSource } from '../helpers/subject-source';
import { startControlPlane } from '../helpers/control-plane';
import { endpointSlice, service } from '../helpers/k8s-fixtures';
import { getOver, readUntil, startGreetingEcho } from '../helpers/redirected-clients';

const API_NAME = 'kubernetes.default.svc';

test(
  'transparent sidecar: TCP relayed, TLS passed through by ClusterIP and SNI, HTTP by Host, the rest to its original destination',
  { timeout: 60_000 },
  async (t) => {
    const ca = await createCertificateAuthority('cluster CA', 1);
    const leaf = await issueCertificate(ca, {
      commonName: API_NAME,
      hosts: [API_NAME, 'kubernetes.default.svc.cluster.local'],
      usage: 'server',
      validDays: 1,
    });
    const apiServer = await startEchoBackend('apiserver', {
      host: '127.0.0.1',
      tls: { cert: leaf.certPem, key: leaf.keyPem },
    });
    const web = await startEchoBackend('web', { host: '127.0.0.1' });
    const db = await startGreetingEcho('db');
    const outside = await startGreetingEcho('outside');
    t.after(() => Promise.all([apiServer.close(), web.close(), db.close(), outside.close()]));

    const source = new SubjectSource();
    const slice = (ns: string, name: string, portName: string, port: number) =>
      endpointSlice(ns, name, `${name}-1`, [{ name: portName, port }], [{ ip: '127.0.0.1' }]);
    source.upsert(
      service('default', 'kubernetes', [{ name: 'https', port: 443 }], { clusterIP: '10.96.0.1' }),
      slice('default', 'kubernetes', 'https', apiServer.port),
      // A database port that says nothing: TCP, and its server speaks first.
      service('demo', 'db', [{ name: 'db', port: 3306 }], { clusterIP: '10.96.0.20' }),
      slice('demo', 'db', 'db', db.port),
      service('demo', 'web', [{ name: 'http', port: 8080 }], { clusterIP: '10.96.0.30' }),
      slice('demo', 'web', 'http', web.port),
    );
    source.synced();
    const cp = await startControlPlane(source);
    t.after(() => cp.stop());
    await cp.pipeline.whenReady();
    const envoy = await startEnvoyDouble({
      xdsAddress: cp.address,
      node: {
        id: 'app-1.demo',
        metadata: { 'kxds.io/role': 'sidecar', 'kxds.io/namespace': 'demo', 'kxds.io/capture': 'iptables' },
      },
    });
    t.after(() => envoy.close());
    await envoy.ready();

    // TCP: the database greets before the client says anything, then echoes.
    const toDb = await envoy.dialRedirected(15001, { address: '10.96.0.20', port: 3306 });
    t.after(() => toDb.destroy());
    assert.equal(await readUntil(toDb, (s) => s.endsWith('\n')), 'db ready\n');
    toDb.write('ping');
    assert.equal(await readUntil(toDb, (s) => s.length >= 'db:ping'.length), 'db:ping');

    // TLS to the kubernetes Service, by ClusterIP and by SNI at an address kxds does not know.
    for (const address of ['10.96.0.1', '10.200.0.9']) {
      const raw = await envoy.dialRedirected(15001, { address, port: 443 });
      const secure = tls.connect({
        socket: raw,
        servername: API_NAME,
        ca: ca.certPem,
        ALPNProtocols: ['http/1.1'],
      });
      t.after(() => secure.destroy());
      await new Promise<void>((resolve, reject) =>
        secure.once('secureConnect', resolve).once('error', reject),
      );
      assert.ok(secure.authorized, `${address}: the client verified the API server's own certificate`);
      const answer = await getOver(secure, API_NAME, '/version');
      assert.equal(answer.status, 200, answer.body);
      const echoed = JSON.parse(answer.body) as EchoedRequest;
      assert.deepEqual([echoed.backend, echoed.serverName, echoed.path], ['apiserver', API_NAME, '/version']);
    }

    // HTTP: the port is named http, so requests are routed by Host (here the ClusterIP form).
    const toWeb = await envoy.dialRedirected(15001, { address: '10.96.0.30', port: 8080 });
    t.after(() => toWeb.destroy());
    const page = await getOver(toWeb, '10.96.0.30:8080', '/page');
    assert.equal(page.status, 200, page.body);
    assert.equal((JSON.parse(page.body) as EchoedRequest).backend, 'web');

    // An address no Service has: passed through unchanged, whatever the port.
    const away = await envoy.dialRedirected(15001, { address: '127.0.0.1', port: outside.port });
    t.after(() => away.destroy());
    assert.equal(await readUntil(away, (s) => s.endsWith('\n')), 'outside ready\n');

    // Inbound: to the pod's own port on its original destination.
    const inbound = await envoy.dialRedirected(15006, { address: '127.0.0.1', port: db.port });
    t.after(() => inbound.destroy());
    assert.equal(await readUntil(inbound, (s) => s.endsWith('\n')), 'db ready\n');

    assert.deepEqual(envoy.nacks(), [], 'the double accepted every resource');
  },
);
