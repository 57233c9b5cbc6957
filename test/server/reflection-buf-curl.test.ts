// grpcurl's job done by `buf curl` (Go protobuf, server reflection only, no local protos): grpcurl itself
// is not packaged for Debian or npm, buf is (npm @bufbuild/buf ships the binary). It builds Go descriptors
// from what reflection serves, which refuses anything malformed, then calls ADS as the example does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as path from 'node:path';
import { XdsServer, ADS_SERVICE } from '../../src/server/xds-server';
import { SnapshotCache } from '../../src/xds/cache';
import { groupForNode } from '../../src/server/groups';
import { silentLogger } from '../../src/log';
import { EDGE_CLUSTER, edgeSnapshot } from '../helpers/edge-fixture';

const run = promisify(execFile);
const buf = path.resolve(__dirname, '../../../node_modules/.bin/buf');

async function bufCurl(args: string[]): Promise<string> {
  try {
    const { stdout } = await run(buf, ['curl', '--protocol', 'grpc', '--http2-prior-knowledge', ...args], {
      timeout: 60000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`buf curl ${args.join(' ')} failed: ${e.stderr ?? e.message}`);
  }
}

test(
  'buf curl lists, describes and calls StreamAggregatedResources through reflection',
  { timeout: 120000 },
  async (t) => {
    const cache = new SnapshotCache();
    cache.setSnapshot(edgeSnapshot());
    const server = new XdsServer({ cache, logger: silentLogger, groupOf: groupForNode });
    const port = await server.listen('127.0.0.1:0');
    server.setServing(true);
    t.after(() => server.shutdown(1000));
    const base = `http://127.0.0.1:${port}`;

    const services = (await bufCurl(['--list-services', base])).split('\n');
    assert.ok(services.includes(ADS_SERVICE), services.join(','));
    const methods = (await bufCurl(['--list-methods', base])).split('\n');
    assert.ok(methods.includes(`${ADS_SERVICE}/StreamAggregatedResources`), methods.join(','));
    assert.ok(methods.includes(`${ADS_SERVICE}/DeltaAggregatedResources`), methods.join(','));

    const out = await bufCurl([
      '-d',
      '{"node":{"id":"x","metadata":{"kxds.io/role":"edge"}},"type_url":"type.googleapis.com/envoy.config.cluster.v3.Cluster"}',
      `${base}/${ADS_SERVICE}/StreamAggregatedResources`,
    ]);
    const response = JSON.parse(out) as {
      typeUrl: string;
      resources: {
        '@type': string;
        name: string;
        typedExtensionProtocolOptions: Record<string, { '@type': string }>;
      }[];
    };
    assert.equal(response.typeUrl, 'type.googleapis.com/envoy.config.cluster.v3.Cluster');
    assert.equal(response.resources[0]?.['@type'], 'type.googleapis.com/envoy.config.cluster.v3.Cluster');
    assert.equal(response.resources[0]?.name, EDGE_CLUSTER);
    const nested =
      response.resources[0]?.typedExtensionProtocolOptions[
        'envoy.extensions.upstreams.http.v3.HttpProtocolOptions'
      ];
    assert.equal(
      nested?.['@type'],
      'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
    );
  },
);
