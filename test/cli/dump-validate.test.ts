// The real CLI (node bin/kxds.js) against an in-process control plane: `kxds dump` subscribes like a proxy
// of the role, ACKs, and prints what it received with nested Any unpacked and keys redacted; `--watch`
// keeps printing. (`kxds validate` is in validate.test.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { startObservedApp } from '../helpers/observed-app';
import { EDGE_CLUSTER, EDGE_SECRET, FAKE_KEY_MARKER } from '../helpers/edge-fixture';

const run = promisify(execFile);
const KXDS = path.resolve(__dirname, '../../../bin/kxds.js');

async function kxds(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [KXDS, ...args], { timeout: 30000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

interface DumpOutput {
  node: { id: string; role: string };
  responses: { type: string; version_info: string; resources: Record<string, unknown>[] }[];
}

test(
  'kxds dump prints what an edge proxy receives, ACKs it, and redacts keys',
  { timeout: 120_000 },
  async (t) => {
    const { app, xdsAddress } = await startObservedApp(t);
    const acked: string[] = [];
    app.streamEvents.add({ onAck: (node, kind) => node.id === 'dump-1' && acked.push(kind) });

    const result = await kxds(['dump', '--server', xdsAddress, '--node-id', 'dump-1', '--role', 'edge']);
    assert.equal(result.code, 0, result.stderr);
    const out = JSON.parse(result.stdout) as DumpOutput;
    assert.deepEqual(out.node, { id: 'dump-1', role: 'edge' });
    assert.deepEqual(
      out.responses.map((r) => r.type),
      ['lds', 'rds', 'cds', 'eds', 'sds'],
    );
    const byType = new Map(out.responses.map((r) => [r.type, r]));
    const listener = byType.get('lds')?.resources[0] as {
      filter_chains: { filters: { typed_config: Record<string, unknown> }[] }[];
    };
    assert.equal(
      listener.filter_chains[0]?.filters[0]?.typed_config['@type'],
      'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
      'nested Any unpacked',
    );
    assert.equal(byType.get('cds')?.resources[0]?.name, EDGE_CLUSTER);
    assert.equal(byType.get('cds')?.version_info, app.cache.getSnapshot('edge')?.types.cluster.version);
    assert.equal(
      byType.get('eds')?.resources[0]?.cluster_name,
      EDGE_CLUSTER,
      'EDS followed from the cluster',
    );
    assert.equal(byType.get('rds')?.resources[0]?.name, 'edge-https', 'RDS followed from the listener');
    const secret = byType.get('sds')?.resources[0] as {
      name: string;
      tls_certificate: { private_key: unknown };
    };
    assert.equal(secret.name, EDGE_SECRET, 'SDS followed from the TLS context');
    assert.deepEqual(
      secret.tls_certificate.private_key,
      { inline_string: '[redacted]' },
      'as CSDS redacts it',
    );
    assert.ok(!result.stdout.includes(FAKE_KEY_MARKER));
    for (const kind of ['listener', 'route', 'cluster', 'endpoint', 'secret'])
      assert.ok(acked.includes(kind), `dump ACKed ${kind}: ${acked.join(',')}`);

    const yaml = await kxds([
      'dump',
      '--server',
      xdsAddress,
      '--node-id',
      'dump-2',
      '--type',
      'sds',
      '-o',
      'yaml',
      '--show-secrets',
    ]);
    assert.equal(yaml.code, 0, yaml.stderr);
    const doc = parse(yaml.stdout) as DumpOutput;
    assert.deepEqual(
      doc.responses.map((r) => r.type),
      ['sds'],
    );
    assert.ok(yaml.stdout.includes('private_key'), 'key material only with --show-secrets');

    const nothing = await kxds(['dump', '--server', '127.0.0.1:1', '--node-id', 'x', '--timeout', '1000']);
    assert.notEqual(nothing.code, 0);
    assert.match(nothing.stderr, /127\.0\.0\.1:1/);
  },
);

test('kxds dump --watch prints each new response as the config changes', { timeout: 100_000 }, async (t) => {
  const { xdsAddress, source, slice } = await startObservedApp(t);
  const child = spawn(process.execPath, [
    KXDS,
    'dump',
    '--server',
    xdsAddress,
    '--node-id',
    'watcher',
    '--role',
    'proxyless',
    '--type',
    'eds',
    '--watch',
  ]);
  t.after(() => child.kill());
  let stdout = '';
  child.stdout.setEncoding('utf8');
  const documents = (): { resources: { endpoints?: { lb_endpoints: unknown[] }[] }[] }[] =>
    stdout
      .split(/\n(?=\{)/)
      .filter((s) => s.trim().endsWith('}'))
      .flatMap((s) => {
        try {
          return [JSON.parse(s) as { resources: { endpoints?: { lb_endpoints: unknown[] }[] }[] }];
        } catch {
          return [];
        }
      });
  // Generous: under load the child's start (Node, grpc-js, the protos) alone can take many seconds.
  const waitFor = async (n: number) => {
    const until = Date.now() + 40_000;
    while (documents().length < n && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    assert.ok(documents().length >= n, `${n} responses printed; got: ${stdout}`);
  };
  child.stdout.on('data', (chunk: string) => (stdout += chunk));
  await waitFor(1);
  const endpoints = (i: number) =>
    documents()[i]?.resources.flatMap((r) => (r.endpoints ?? []).flatMap((l) => l.lb_endpoints)).length;
  assert.equal(endpoints(0), 2);
  source.upsert(slice(['127.0.0.2']));
  await waitFor(2);
  assert.equal(endpoints(1), 1, 'the new EDS response is printed');
});
