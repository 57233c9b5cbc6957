// The agent's schedule and files: renewal at a share of the lifetime, retries with backoff until kxds
// answers, files replaced whole with a private key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { renewalDelayMs, WorkloadCertificateAgent } from '../../src/agent/agent';
import { sdsFileText } from '../../src/agent/certificate-files';
import { createLogger } from '../../src/log';
import { freePort } from '../helpers/cli-process';
import { parse } from 'yaml';
import { decodeMessage, encodeMessage } from '../../src/xds/encode';
import { validateMessage } from '../../src/xds/validate';

const cert = (from: number, to: number) => ({
  chainPem: '',
  keyPem: '',
  trustBundlePem: '',
  identity: 'spiffe://cluster.local/ns/a/sa/b',
  notBefore: new Date(from),
  notAfter: new Date(to),
});

test('renewal comes at the given share of the lifetime, never in the past', () => {
  assert.equal(renewalDelayMs(cert(0, 1000), 0.5, 100), 400);
  assert.equal(renewalDelayMs(cert(0, 1000), 0.5, 900), 0);
});

test('the SDS file names the certificate and key files and watches their directory', () => {
  const text = sdsFileText('/var/run/kxds/certs');
  // Envoy's protos and validation rules, and a round trip that would drop a misspelled field.
  const [resource] = (parse(text) as { resources: Record<string, unknown>[] }).resources;
  assert.ok(resource);
  const { '@type': typeUrl, ...secret } = resource;
  assert.equal(typeUrl, 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret');
  const typeName = 'envoy.extensions.transport_sockets.tls.v3.Secret';
  assert.deepEqual(validateMessage(typeName, secret), { valid: true, warnings: [] });
  assert.deepEqual(decodeMessage(typeName, Buffer.from(encodeMessage(typeName, secret))), secret);
  assert.match(text, /name: kxds-xds-client/);
  assert.match(text, /certificate_chain: \{ filename: "\/var\/run\/kxds\/certs\/tls.crt" \}/);
  assert.match(text, /watched_directory: \{ path: "\/var\/run\/kxds\/certs" \}/);
});

test('with no CA answering, the first certificate is retried with backoff and nothing is written', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kxds-agent-'));
  const tokenFile = path.join(dir, 'token');
  fs.writeFileSync(tokenFile, 'tok');
  const lines: string[] = [];
  const logger = createLogger('warn', { write: (line: string) => lines.push(line) } as never);
  const agent = new WorkloadCertificateAgent({
    server: `127.0.0.1:${await freePort()}`,
    rootPem: '',
    tokenFile,
    outputDir: path.join(dir, 'out'),
    logger,
    timeoutMs: 200,
    retry: { initialMs: 20, maxMs: 40 },
  });
  agent.run();
  const until = Date.now() + 10_000;
  while (lines.filter((l) => l.includes('not renewed; retrying')).length < 3 && Date.now() < until)
    await new Promise((r) => setTimeout(r, 20));
  agent.stop();
  assert.ok(lines.filter((l) => l.includes('not renewed; retrying')).length >= 3, lines.join('\n'));
  assert.equal(fs.existsSync(path.join(dir, 'out', 'tls.crt')), false);
  assert.equal(agent.current, undefined);
});
