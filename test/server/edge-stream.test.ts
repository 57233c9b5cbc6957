// The edge group over a SotW stream: an edge Envoy's LDS, RDS, CDS, EDS and SDS requests get the edge
// resources, and the SDS Secret carries the certificate and key Envoy needs (only there).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SotwStream } from '../../src/server/sotw-stream';
import type { OutgoingResponse } from '../../src/server/discovery-codec';
import { SnapshotCache } from '../../src/xds/cache';
import { EDGE_GROUP } from '../../src/xds/node-group';
import { buildSnapshot } from '../../src/xds/snapshot';
import { TYPE_URLS } from '../../src/xds/types';
import { modelFrom } from '../../src/model/store';
import { translate, GROUP_EDGE } from '../../src/translate/translate';
import { decodeAnyBytes, namesOf } from '../helpers/xds-decode';
import { parseCase } from '../golden/golden-case';

const node = { id: 'edge-1', metadata: { 'kxds.io/role': 'edge' } };

test('an edge Envoy is served listeners, routes, clusters, endpoints and the TLS secret', () => {
  const input = parseCase(readFileSync(resolve(__dirname, '../../../test/golden/tls-basic.in.yaml'), 'utf8'));
  const set = translate(modelFrom(input.objects)).groups.get(GROUP_EDGE);
  assert.ok(set);
  const cache = new SnapshotCache();
  cache.setSnapshot(buildSnapshot(GROUP_EDGE, set, undefined));
  const sent: OutgoingResponse[] = [];
  const stream = new SotwStream(
    { write: (r) => (sent.push(r), true), onDrain: () => {} },
    cache,
    () => EDGE_GROUP,
  );
  const ask = (type_url: string, names: string[] = []) => {
    stream.handleRequest({ node, type_url, resource_names: names });
    const last = sent[sent.length - 1];
    assert.ok(last, type_url);
    return last;
  };
  assert.deepEqual(namesOf(ask(TYPE_URLS.listener).resources), ['edge-http', 'edge-https']);
  assert.deepEqual(namesOf(ask(TYPE_URLS.cluster).resources), ['demo/web/80']);
  assert.deepEqual(namesOf(ask(TYPE_URLS.endpoint, ['demo/web/80']).resources), ['demo/web/80']);
  assert.deepEqual(namesOf(ask(TYPE_URLS.route, ['edge-http', 'edge-https/demo/foo-tls']).resources).sort(), [
    'edge-http',
    'edge-https/demo/foo-tls',
  ]);
  const secrets = ask(TYPE_URLS.secret, ['demo/foo-tls']).resources;
  assert.deepEqual(namesOf(secrets), ['demo/foo-tls']);
  const secret = decodeAnyBytes(secrets[0] as Uint8Array).value as {
    tls_certificate: { certificate_chain: { inline_bytes: string }; private_key: { inline_bytes: string } };
  };
  const pem = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');
  assert.match(pem(secret.tls_certificate.certificate_chain.inline_bytes), /BEGIN CERTIFICATE/);
  assert.match(pem(secret.tls_certificate.private_key.inline_bytes), /BEGIN PRIVATE KEY/);
});
