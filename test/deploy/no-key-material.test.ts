// No private key leaves kxds except on the edge's own ADS stream. A real TLS Ingress and Secret in a manifest
// directory, a real edge ADS client that receives (and needs) the key, then every debug answer searched for
// the key's bytes: CSDS (the wire bytes of FetchClientStatus), /debug/*, the status page's state, /metrics
// and `kxds dump`. Each search is shown able to find the key where it is meant to be.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { startApp } from '../../src/app';
import { silentLogger } from '../../src/log';
import { ManifestSource } from '../../src/sources/manifest-source';
import { REDACTED } from '../../src/xds/key-material';
import { AdsTestClient } from '../helpers/ads-client';
import { KXDS_BIN } from '../helpers/cli-process';
import { csdsClient } from '../helpers/csds-client';
import { TLS_SECRET_NAME, writeTlsIngressManifests } from '../helpers/tls-ingress-manifests';

const run = promisify(execFile);

test(
  'CSDS, /debug/*, the status page, /metrics and kxds dump carry no private key',
  { timeout: 60000 },
  async (t) => {
    const manifests = await writeTlsIngressManifests();
    const app = await startApp({
      source: new ManifestSource({ dir: manifests.dir, logger: silentLogger }),
      logger: silentLogger,
      xdsAddress: '127.0.0.1:0',
      adminAddress: '127.0.0.1:0',
      debounceMs: 10,
    });
    t.after(() => app.stop(2000));
    await app.pipeline.whenReady();
    const xdsAddress = `127.0.0.1:${app.xdsPort}`;
    const leaks = manifests.leaksKey;

    // The edge gets its key (that is what the searches below must not find anywhere else) and ACKs it.
    const edge = new AdsTestClient(xdsAddress, { id: 'edge-1', metadata: { 'kxds.io/role': 'edge' } });
    t.after(() => edge.close());
    edge.request('secret', [TLS_SECRET_NAME]);
    const sds = await edge.waitFor('secret');
    edge.request('secret', [TLS_SECRET_NAME], sds);
    const served = sds.resources[0] as { tls_certificate: { private_key: { inline_bytes: string } } };
    assert.ok(
      leaks(Buffer.from(served.tls_certificate.private_key.inline_bytes, 'base64')),
      'the edge receives the real key',
    );

    const csds = csdsClient(xdsAddress);
    t.after(() => csds.client.close());
    const wire = await csds.fetchBytes({});
    assert.ok(wire.includes(Buffer.from(TLS_SECRET_NAME)), 'CSDS lists the Secret');
    assert.ok(!leaks(wire) && !wire.includes('PRIVATE KEY'), 'no key bytes in the CSDS answer');
    const [config] = await csds.fetch({});
    const secret = config?.generic_xds_configs?.find((g) => g.name === TLS_SECRET_NAME)?.xds_config as {
      tls_certificate: { certificate_chain: unknown; private_key: unknown };
    };
    assert.deepEqual(secret.tls_certificate.private_key, { inline_string: REDACTED });
    assert.ok(secret.tls_certificate.certificate_chain, 'the certificate chain is kept for debugging');

    const admin = `http://127.0.0.1:${app.adminPort}`;
    for (const route of [
      '/debug/snapshot?role=edge',
      '/debug/nodes',
      '/debug/warnings',
      '/ui/state',
      '/ui',
      '/metrics',
    ]) {
      const body = await (await fetch(`${admin}${route}`)).text();
      assert.ok(!leaks(body) && !body.includes('PRIVATE KEY'), `no key bytes in ${route}`);
    }
    const snapshot = await (await fetch(`${admin}/debug/snapshot?role=edge`)).text();
    assert.ok(
      snapshot.includes(TLS_SECRET_NAME) && snapshot.includes(REDACTED),
      '/debug/snapshot shows it redacted',
    );

    const dump = (extra: string[]) =>
      run(
        process.execPath,
        [
          KXDS_BIN,
          'dump',
          '--server',
          xdsAddress,
          '--node-id',
          'dump-1',
          '--role',
          'edge',
          '--type',
          'sds',
          ...extra,
        ],
        {
          timeout: 30000,
        },
      );
    const redacted = await dump([]);
    assert.ok(redacted.stdout.includes(TLS_SECRET_NAME) && !leaks(redacted.stdout), 'kxds dump redacts');
    assert.ok(leaks((await dump(['--show-secrets'])).stdout), 'kxds dump --show-secrets shows it');
  },
);
