// `kxds --version` and `kxds --help` load only commander and the command registrations: every command
// loads its implementation (gRPC, protobufjs, the Kubernetes client, RxJS, x509, YAML, pino) when it runs.
// Their speed is measured by scripts/bench-startup.sh, not here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { KXDS_BIN } from '../helpers/cli-process';

const run = promisify(execFile);

const HEAVY = [
  'protobufjs',
  '@grpc/grpc-js',
  '@grpc/grpc-js-xds',
  '@kubernetes/client-node',
  'rxjs',
  '@peculiar/x509',
  'yaml',
  'pino',
];

/** The packages under node_modules that `kxds ARGS` loaded, read from require.cache as it exits. */
async function packagesLoaded(args: string[]): Promise<string[]> {
  const probe =
    "process.on('exit', () => process.stderr.write('\\nLOADED ' + JSON.stringify(Object.keys(require.cache))));" +
    `process.argv.splice(1, 0, ${JSON.stringify(KXDS_BIN)}); require(${JSON.stringify(KXDS_BIN)});`;
  const { stdout, stderr } = await run(process.execPath, ['-e', probe, '--', ...args], { timeout: 30000 });
  assert.ok(stdout.length > 0, 'it printed something');
  const files = JSON.parse(stderr.slice(stderr.lastIndexOf('LOADED ') + 7)) as string[];
  const packages = files.flatMap((f) => {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f);
    return m?.[1] ? [m[1]] : [];
  });
  return [...new Set(packages)].sort();
}

for (const args of [['--version'], ['--help'], ['serve', '--help'], ['validate', '--help']]) {
  test(`kxds ${args.join(' ')} loads none of the heavy packages`, async () => {
    const loaded = await packagesLoaded(args);
    assert.deepEqual(
      loaded.filter((p) => HEAVY.includes(p)),
      [],
      `loaded: ${loaded.join(', ')}`,
    );
    assert.ok(loaded.includes('commander'), 'the probe sees what kxds loads');
  });
}
