// Runs the greeter client on gRPC C-core (Debian /usr/bin/python3 with python3-grpcio) against a kxds on
// loopback: test/helpers/ccore_greeter.py, with a bootstrap file written for the call. Bounded in time.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const SCRIPT = resolve(__dirname, '../../../test/helpers/ccore_greeter.py');

export interface CcoreChannelResult {
  served_by: Record<string, number>;
  errors: Record<string, number>;
  /** Backend or error code of the channel's last 30 calls, counted. */
  last: Record<string, number>;
}

/** CALLS calls on each of CHANNELS fresh channels to TARGET; rejects if the process fails or crashes. */
export async function runCcoreGreeter(
  xdsAddress: string,
  target: string,
  calls: number,
  channels = 1,
  nodeId = 'ccore-client',
): Promise<CcoreChannelResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'kxds-ccore-'));
  try {
    const bootstrap = join(dir, 'bootstrap.json');
    writeFileSync(
      bootstrap,
      JSON.stringify({
        xds_servers: [
          { server_uri: xdsAddress, channel_creds: [{ type: 'insecure' }], server_features: ['xds_v3'] },
        ],
        node: { id: nodeId, locality: {}, metadata: { 'kxds.io/role': 'proxyless' } },
      }),
    );
    const stdout = await new Promise<string>((ok, fail) =>
      execFile(
        '/usr/bin/python3',
        [SCRIPT, target, String(calls), String(channels)],
        { env: { ...process.env, GRPC_XDS_BOOTSTRAP: bootstrap }, timeout: 60_000 },
        (err, out, errOut) => (err ? fail(new Error(`${err.message}\n${errOut}`)) : ok(out)),
      ),
    );
    return (JSON.parse(stdout) as { channels: CcoreChannelResult[] }).channels;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
