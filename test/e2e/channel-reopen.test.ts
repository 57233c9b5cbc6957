// A real proxyless client closes its channel to an xds:/// target and opens a new one to the same target
// while its ADS stream stays up (another channel keeps it open): the client unsubscribes the target's
// Listener and subscribes it again at an unchanged version, and the new channel must be served at once.
// Run with both proxyless clients: grpc-js-xds in-process and gRPC C-core (Debian python3-grpcio).
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { SubjectSource } from '../helpers/subject-source';
import { startControlPlane, type TestControlPlane } from '../helpers/control-plane';
import { startBackends } from '../helpers/greeters';
import { firstReply, unrefLongTimers, useControlPlane } from '../helpers/xds-client';
import { greeterClient } from '../../src/demo/greeter';
import { greeterObjects } from '../helpers/k8s-fixtures';

const KEEPER_TARGET = 'xds:///greeter.demo.svc:50051';
const TARGET = 'xds:///greeter.demo:50051';
const CCORE_SCRIPT = resolve(__dirname, '../../../test/e2e/ccore/channel_reopen.py');

async function greeterControlPlane(t: TestContext): Promise<TestControlPlane> {
  const backends = await startBackends(['127.0.0.2']);
  t.after(() => backends.stop());
  const source = new SubjectSource();
  source.upsert(...greeterObjects(backends.port, ['127.0.0.2']));
  source.synced();
  const cp = await startControlPlane(source);
  t.after(() => cp.stop());
  await cp.pipeline.whenReady();
  return cp;
}

test(
  'grpc-js: a channel closed and reopened to the same xds:/// target is served again at once',
  { timeout: 60000 },
  async (t) => {
    unrefLongTimers();
    const cp = await greeterControlPlane(t);
    useControlPlane(cp.address, 'reopen-client');

    // Channels close before the control plane stops (t.after runs first-in first-out): a grpc-js xDS client
    // that loses its server while a channel is open keeps retrying, and the test process would not exit.
    const channels: ReturnType<typeof greeterClient>[] = [];
    const open = (target: string) => {
      const channel = greeterClient(target);
      channels.push(channel);
      return channel;
    };
    try {
      // Keeps the client's one ADS stream up while the other channel comes and goes.
      await firstReply(open(KEEPER_TARGET));
      const first = open(TARGET);
      await firstReply(first);
      first.close();
      const closedAt = Date.now();
      // Let the unsubscription reach the server before the channel is opened again.
      await new Promise((r) => setTimeout(r, 500));
      await firstReply(open(TARGET), 4000);
      const streams = cp.server.activeStreams();
      assert.equal(streams.length, 1, 'one ADS stream');
      assert.ok(
        (streams[0]?.openedAt.getTime() ?? closedAt) < closedAt,
        'the stream stayed up across the reopen',
      );
    } finally {
      for (const channel of channels) channel.close();
    }
  },
);

test(
  'gRPC C-core: a channel closed and reopened to the same xds:/// target is served again at once',
  { timeout: 60000 },
  async (t) => {
    const cp = await greeterControlPlane(t);
    const bootstrap = JSON.stringify({
      xds_servers: [
        { server_uri: cp.address, channel_creds: [{ type: 'insecure' }], server_features: ['xds_v3'] },
      ],
      node: { id: 'reopen-ccore', locality: {}, metadata: { 'kxds.io/role': 'proxyless' } },
    });
    // Every ADS stream seen while the client runs: the reopen must happen on the one it opened first.
    const seen = new Set<unknown>();
    const sampler = setInterval(() => cp.server.activeStreams().forEach((s) => seen.add(s)), 20);
    t.after(() => clearInterval(sampler));
    const { stdout, stderr, code } = await new Promise<{ stdout: string; stderr: string; code: number }>(
      (done) =>
        execFile(
          '/usr/bin/python3',
          [CCORE_SCRIPT, KEEPER_TARGET, TARGET, '4'],
          { env: { ...process.env, GRPC_XDS_BOOTSTRAP_CONFIG: bootstrap }, timeout: 45000 },
          (err, out, errOut) => done({ stdout: out, stderr: errOut, code: err ? Number(err.code ?? 1) : 0 }),
        ),
    );
    assert.equal(code, 0, `the reopened channel's first call failed: ${stdout} ${stderr}`);
    const result = JSON.parse(stdout.trim()) as { ok: boolean; reopenedFirstCallS: number };
    assert.equal(result.ok, true);
    t.diagnostic(`C-core: the reopened channel's first call took ${result.reopenedFirstCallS} s`);
    assert.equal(seen.size, 1, 'one ADS stream throughout');
  },
);
