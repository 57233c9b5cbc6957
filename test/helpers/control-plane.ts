// Starts kxds in-process on loopback for a test (the same composition root as `kxds serve`), fed by any Source.
import { startApp, type App, type AppOptions } from '../../src/app';
import { silentLogger, type Logger } from '../../src/log';
import type { Source } from '../../src/sources/source';
import type { TranslateOptions } from '../../src/translate/translate';

export interface TestControlPlane extends App {
  address: string;
  adminUrl: string;
  server: App['xds'];
  stop(): Promise<void>;
}

export async function startControlPlane(
  source: Source,
  logger: Logger = silentLogger,
  debounceMs = 20,
  translateOptions: TranslateOptions = {},
  extra: Pick<AppOptions, 'maxNodeGroups' | 'xdsLimits' | 'gatewayFrontend'> = {},
): Promise<TestControlPlane> {
  const app = await startApp({
    source,
    logger,
    xdsAddress: '127.0.0.1:0',
    adminAddress: '127.0.0.1:0',
    debounceMs,
    maxWaitMs: 200,
    translateOptions,
    ...extra,
  });
  let stopped: Promise<void> | undefined;
  return {
    ...app,
    address: `127.0.0.1:${app.xdsPort}`,
    adminUrl: `http://127.0.0.1:${app.adminPort}`,
    server: app.xds,
    stop: () => (stopped ??= app.stop(2000)),
  };
}
