// `kxds bootstrap` as a command: flags and environment in, text or a file out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { buildProgram } from '../../src/cli';
import { bootstrapText, writeFileAtomically } from '../../src/commands/bootstrap-text';

test('kxds bootstrap --role sidecar renders the downward-API identity and labels file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kxds-bootstrap-'));
  const labelsFile = path.join(dir, 'labels');
  fs.writeFileSync(labelsFile, 'app="web"\nkxds.io/inject="true"\n');
  const text = bootstrapText(
    { role: 'sidecar', xdsServer: 'kxds.kxds.svc:18000', output: 'yaml', labelsFile, capture: 'iptables' },
    {
      KXDS_POD_NAME: 'web-1',
      KXDS_POD_NAMESPACE: 'shop',
      KXDS_POD_IP: '10.0.0.5',
      KXDS_SERVICE_ACCOUNT: 'default',
    },
  );
  const doc = parse(text);
  assert.equal(doc.node.id, 'web-1.shop');
  assert.deepEqual(doc.node.metadata['kxds.io/labels'], { app: 'web', 'kxds.io/inject': 'true' });
  assert.equal(doc.node.metadata['kxds.io/pod-ip'], '10.0.0.5');
  assert.equal(doc.node.metadata['kxds.io/capture'], 'iptables');
  const out = path.join(dir, 'sub', 'envoy.yaml');
  writeFileAtomically(out, text);
  assert.equal(fs.readFileSync(out, 'utf8'), text);
  assert.deepEqual(fs.readdirSync(path.dirname(out)), ['envoy.yaml'], 'no temporary file left behind');
  fs.rmSync(dir, { recursive: true });
});

test('the edge bootstrap ignores pod variables; proxyless prints gRPC JSON', () => {
  const env = { KXDS_POD_NAME: 'x', KXDS_POD_NAMESPACE: 'y' };
  const edge = parse(bootstrapText({ role: 'edge', xdsServer: 'kxds:18000', output: 'yaml' }, env));
  assert.equal(edge.node.id, 'kxds-edge');
  assert.deepEqual(edge.node.metadata, { 'kxds.io/role': 'edge' });
  const proxyless = JSON.parse(
    bootstrapText({ role: 'proxyless', xdsServer: 'kxds:18000', output: 'json' }, env),
  );
  assert.equal(proxyless.node.id, 'x.y');
  assert.deepEqual(proxyless.node.locality, {});
});

test('the bootstrap command is registered and rejects an unknown role', async () => {
  const program = buildProgram().exitOverride();
  program.configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  for (const cmd of program.commands) cmd.exitOverride().configureOutput({ writeErr: () => undefined });
  assert.ok(program.commands.some((c) => c.name() === 'bootstrap'));
  await assert.rejects(
    program.parseAsync(['bootstrap', '--role', 'gateway', '--xds-server', 'k:1'], { from: 'user' }),
    /--role/,
  );
});

test('kxds bootstrap --role edge --gateway NS/NAME announces the Gateway in node metadata', async () => {
  const text = bootstrapText(
    { role: 'edge', xdsServer: 'kxds:18000', output: 'yaml', gateway: 'infra/web' },
    {},
  );
  const doc = parse(text);
  assert.deepEqual(doc.node.metadata, { 'kxds.io/role': 'edge', 'kxds.io/gateway': 'infra/web' });
  assert.equal(doc.node.id, 'kxds-gateway.infra.web');

  const program = buildProgram().exitOverride();
  let errors = '';
  program.configureOutput({ writeErr: (s) => (errors += s), writeOut: () => undefined });
  for (const cmd of program.commands)
    cmd.exitOverride().configureOutput({ writeErr: (s) => (errors += s), writeOut: () => undefined });
  await assert.rejects(
    program.parseAsync(['bootstrap', '--role', 'edge', '--gateway', 'web', '--xds-server', 'k:1'], {
      from: 'user',
    }),
  );
  assert.match(errors, /--gateway.*"web": expected NAMESPACE\/NAME of a Gateway/);
  errors = '';
  await assert.rejects(
    program.parseAsync(['bootstrap', '--role', 'sidecar', '--gateway', 'a/b', '--xds-server', 'k:1'], {
      from: 'user',
    }),
  );
  assert.match(errors, /--gateway is for --role edge only/);
});
