// The whole kxds app (startApp: pipeline, xDS server with CSDS, admin with metrics, debug JSON and the
// status page) on loopback, fed by a test source with a proxyless Service, plus a hand-built edge
// snapshot carrying a TLS Secret. Only edge and proxyless nodes should connect: a new sidecar group would
// make the pipeline rebuild and replace the hand-built edge snapshot.
import * as http from 'node:http';
import { startApp, type App, type AppOptions } from '../../src/app';
import { silentLogger } from '../../src/log';
import { SubjectSource } from './subject-source';
import { endpointSlice, service } from './k8s-fixtures';
import { edgeSnapshot } from './edge-fixture';
import type { EndpointSlice } from '../../src/model/k8s';

export interface ObservedApp {
  app: App;
  source: SubjectSource;
  xdsAddress: string;
  adminUrl: string;
  slice(readyIps: string[]): EndpointSlice;
  get(path: string): Promise<{ status: number; type: string; body: string }>;
}

export async function startObservedApp(
  t: { after(fn: () => Promise<void>): void },
  xdsLimits: AppOptions['xdsLimits'] = {},
): Promise<ObservedApp> {
  const source = new SubjectSource();
  const slice = (readyIps: string[]) =>
    endpointSlice(
      'demo',
      'greeter',
      'greeter-abc',
      [{ name: 'grpc', port: 50051 }],
      ['127.0.0.2', '127.0.0.3'].map((ip) => ({ ip, ready: readyIps.includes(ip) })),
    );
  source.upsert(
    // An active health check: Envoy-only, so held back for the proxyless group (the page shows that).
    service(
      'demo',
      'greeter',
      [{ name: 'grpc', port: 50051, appProtocol: 'grpc' }],
      {},
      { 'kxds.io/health-check-path': '/healthz' },
    ),
    slice(['127.0.0.2', '127.0.0.3']),
    // An unknown load balancer annotation: a translation warning for /debug/warnings and the page.
    service('demo', 'odd', [{ name: 'http', port: 80 }], {}, { 'kxds.io/load-balancer': 'fastest' }),
  );
  source.synced();
  const app = await startApp({
    source,
    logger: silentLogger,
    xdsAddress: '127.0.0.1:0',
    adminAddress: '127.0.0.1:0',
    debounceMs: 20,
    maxWaitMs: 200,
    xdsLimits,
  });
  t.after(() => app.stop(2000));
  await app.pipeline.whenReady();
  app.cache.setSnapshot(edgeSnapshot(app.cache.getSnapshot('edge')));
  const adminUrl = `http://127.0.0.1:${app.adminPort}`;
  return {
    app,
    source,
    xdsAddress: `127.0.0.1:${app.xdsPort}`,
    adminUrl,
    slice,
    get: (path) =>
      new Promise((resolve, reject) => {
        http
          .get(adminUrl + path, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (body += chunk));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }),
            );
          })
          .on('error', reject);
      }),
  };
}
