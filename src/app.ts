// The composition root of `kxds serve`: wires a source, the pipeline, the snapshot cache, the xDS server
// and the admin server, and stops them in the right order. Tests start the same thing in-process.
import type { Logger } from './log';
import { Pipeline } from './pipeline';
import type { Source } from './sources/source';
import { SnapshotCache } from './xds/cache';
import { XdsServer } from './server/xds-server';
import { groupForNode } from './server/groups';
import { AdminServer } from './admin/http-server';
import type { TranslateOptions } from './translate/translate';
import type * as grpc from '@grpc/grpc-js';

export interface AppOptions {
  source: Source;
  logger: Logger;
  xdsAddress: string;
  adminAddress: string;
  debounceMs?: number;
  maxWaitMs?: number;
  translateOptions?: TranslateOptions;
  xdsCredentials?: grpc.ServerCredentials;
}

export interface App {
  pipeline: Pipeline;
  cache: SnapshotCache;
  xds: XdsServer;
  admin: AdminServer;
  xdsPort: number;
  adminPort: number;
  /** Stops accepting, ends streams, stops the source; resolves within timeoutMs. */
  stop(timeoutMs?: number): Promise<void>;
}

export async function startApp(options: AppOptions): Promise<App> {
  const { logger, source } = options;
  const cache = new SnapshotCache();
  const pipeline = new Pipeline({
    source,
    cache,
    logger,
    ...(options.debounceMs !== undefined ? { debounceMs: options.debounceMs } : {}),
    ...(options.maxWaitMs !== undefined ? { maxWaitMs: options.maxWaitMs } : {}),
    ...(options.translateOptions ? { translateOptions: options.translateOptions } : {}),
  });
  const xdsLog = logger.child({ component: 'xds' });
  const xds = new XdsServer({
    cache,
    logger: xdsLog,
    groupOf: groupForNode,
    ...(options.xdsCredentials ? { credentials: options.xdsCredentials } : {}),
    events: {
      onNack: (node, kind, nack) =>
        xdsLog.warn(
          { node: node.id, role: node.role, type: kind, version: nack.version, error: nack.message },
          'NACK: the client rejected config',
        ),
      onRequestError: (node, message) =>
        xdsLog.warn({ node: node?.id, reason: message }, 'bad DiscoveryRequest'),
    },
  });
  const admin = new AdminServer(logger.child({ component: 'admin' }), () => pipeline.readyNow);
  const xdsPort = await xds.listen(options.xdsAddress);
  const adminPort = await admin.listen(options.adminAddress);
  pipeline.ready$.subscribe((ready) => xds.setServing(ready));
  logger.info(
    { xds: options.xdsAddress, xdsPort, admin: options.adminAddress, adminPort, source: source.name },
    'kxds started',
  );

  return {
    pipeline,
    cache,
    xds,
    admin,
    xdsPort,
    adminPort,
    async stop(timeoutMs = 8000) {
      await xds.shutdown(Math.max(500, timeoutMs - 1000));
      pipeline.stop();
      await Promise.allSettled([source.stop(), admin.close()]);
    },
  };
}
