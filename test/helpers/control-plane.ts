// Starts kxds's pipeline and xDS server in-process on loopback for a test, fed by any Source.
import { Pipeline } from '../../src/pipeline';
import { XdsServer } from '../../src/server/xds-server';
import { SnapshotCache } from '../../src/xds/cache';
import { silentLogger, type Logger } from '../../src/log';
import type { Source } from '../../src/sources/source';
import { groupForNode } from '../../src/server/groups';

export interface TestControlPlane {
  port: number;
  address: string;
  pipeline: Pipeline;
  server: XdsServer;
  cache: SnapshotCache;
  stop(): Promise<void>;
}

export async function startControlPlane(
  source: Source,
  logger: Logger = silentLogger,
  debounceMs = 20,
): Promise<TestControlPlane> {
  const cache = new SnapshotCache();
  const pipeline = new Pipeline({ source, cache, logger, debounceMs, maxWaitMs: 200 });
  const server = new XdsServer({ cache, logger, groupOf: groupForNode });
  const port = await server.listen('127.0.0.1:0');
  return {
    port,
    address: `127.0.0.1:${port}`,
    pipeline,
    server,
    cache,
    async stop() {
      await server.shutdown(1000);
      pipeline.stop();
      await source.stop();
    },
  };
}
