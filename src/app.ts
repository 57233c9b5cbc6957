// The composition root of `kxds serve`: wires a source, the pipeline, the snapshot cache, the xDS server
// and the admin server, and stops them in the right order. Tests start the same thing in-process.
import type { Logger } from './log';
import { Pipeline } from './pipeline';
import type { Source } from './sources/source';
import { SnapshotCache } from './xds/cache';
import { XdsServer } from './server/xds-server';
import { STRICT_ACCESS, type AccessPolicy } from './server/authorize';
import { CallerGroups } from './server/caller-groups';
import { AdminServer } from './admin/http-server';
import { csdsService } from './server/csds-service';
import { StreamEventsHub } from './server/stream-events-hub';
import { streamLog } from './server/stream-log';
import type { ConnectionLimits } from './server/connection-limits';
import { StreamRegistry } from './server/stream-registry';
import type { AdminView } from './admin/admin-view';
import { attachMetrics } from './admin/metrics';
import { attachDebugRoutes } from './admin/debug-routes';
import { attachGatewayStatus } from './admin/gateway-status';
import { attachStatusPage } from './admin/ui/status-page';
import type { TranslateOptions } from './translate/translate';
import type { TranslateGateways } from './frontends/gateway/contract';
import type * as grpc from '@grpc/grpc-js';
import { BUILD_INFO } from './version';

export interface AppOptions {
  source: Source;
  logger: Logger;
  xdsAddress: string;
  adminAddress: string;
  /** A port of its own for /metrics (and /healthz, /readyz), so the admin address can stay on localhost. */
  metricsAddress?: string;
  debounceMs?: number;
  maxWaitMs?: number;
  translateOptions?: TranslateOptions;
  /** The Gateway API front-end; tests replace it (default: src/frontends/gateway). */
  gatewayFrontend?: TranslateGateways;
  xdsCredentials?: grpc.ServerCredentials;
  /**
   * A second, plaintext xDS port for proxyless gRPC clients whose library cannot present a client
   * certificate (grpc-js-xds supports only insecure channel credentials). Every stream there is served as
   * proxyless, whatever its node says, so it never receives an edge's or sidecar's config or secrets; it
   * serves nothing but that ADS and gRPC health (no CSDS, no reflection).
   */
  xdsProxylessAddress?: string;
  /**
   * Who may be served as edge or sidecar and read CSDS on the main xDS port (src/server/authorize.ts).
   * Default STRICT_ACCESS: with mutual TLS nobody is an edge or operator; plaintext, only loopback peers.
   */
  xdsAccess?: AccessPolicy;
  /** Groups that exist only because node metadata asked for them, at once (see SnapshotCache). */
  maxNodeGroups?: number;
  /** Per-connection and per-stream limits of both xDS ports (defaults: DEFAULT_CONNECTION_LIMITS). */
  xdsLimits?: Partial<ConnectionLimits>;
  /** A further readiness condition: while it gives a reason, /readyz answers 503 with it. */
  notReadyReason?: () => string | undefined;
}

/** The running control plane; it is the view the admin modules read (AdminView), and more. */
export interface App extends AdminView {
  pipeline: Pipeline;
  cache: SnapshotCache;
  xds: XdsServer;
  admin: AdminServer;
  /** The source feeding the pipeline (metrics read its counters when it has some). */
  source: Source;
  /** Stream events (responses, ACKs, NACKs); observers add listeners here. */
  streamEvents: StreamEventsHub;
  xdsPort: number;
  /** The proxyless-only plaintext xDS server and its port, when xdsProxylessAddress is set. */
  proxylessXds?: XdsServer;
  proxylessXdsPort?: number;
  adminPort: number;
  /** The --metrics-address server's port, when there is one. */
  metricsPort?: number;
  /** Stops accepting, ends streams, stops the source; resolves within timeoutMs. */
  stop(timeoutMs?: number): Promise<void>;
}

export async function startApp(options: AppOptions): Promise<App> {
  const { logger, source } = options;
  const cache = new SnapshotCache(
    options.maxNodeGroups !== undefined ? { maxNodeChosenGroups: options.maxNodeGroups } : {},
  );
  const pipeline = new Pipeline({
    source,
    cache,
    logger,
    ...(options.debounceMs !== undefined ? { debounceMs: options.debounceMs } : {}),
    ...(options.maxWaitMs !== undefined ? { maxWaitMs: options.maxWaitMs } : {}),
    ...(options.translateOptions ? { translateOptions: options.translateOptions } : {}),
    ...(options.gatewayFrontend ? { gatewayFrontend: options.gatewayFrontend } : {}),
  });
  const xdsLog = logger.child({ component: 'xds' });
  const streamEvents = new StreamEventsHub();
  streamEvents.add(streamLog(xdsLog));
  // One registry for both xDS ports, so metrics and convergence see every stream.
  const registry = new StreamRegistry((group) => cache.getSnapshot(group));
  // CSDS reads the servers' streams, so it is built before them and looks them up per request.
  const access = options.xdsAccess ?? STRICT_ACCESS;
  const callerGroups = new CallerGroups();
  const csds = csdsService(
    () => [...xds.connectedClients(), ...(proxylessXds?.connectedClients() ?? [])],
    access,
    xdsLog,
  );
  const xds: XdsServer = new XdsServer({
    cache,
    logger: xdsLog,
    groupOf: callerGroups.groupOf,
    ...(options.xdsCredentials ? { credentials: options.xdsCredentials } : {}),
    extraServices: [csds],
    events: streamEvents,
    registry,
    access,
    ...(options.xdsLimits ? { limits: options.xdsLimits } : {}),
  });
  // The plaintext proxyless port is reachable by anything in the cluster and authenticates nobody: it serves
  // the proxyless ADS and health only. No CSDS (which shows every proxy's config), no reflection.
  const proxylessXds: XdsServer | undefined = options.xdsProxylessAddress
    ? new XdsServer({
        cache,
        logger: xdsLog.child({ port: 'proxyless' }),
        groupOf: callerGroups.proxylessGroupOf,
        reflection: false,
        events: streamEvents,
        registry,
        ...(options.xdsLimits ? { limits: options.xdsLimits } : {}),
      })
    : undefined;
  // Consumer mesh routes appeared in a namespace or left it: its proxyless clients change groups.
  const regrouping = pipeline.builds$.subscribe((build) => {
    if (!callerGroups.update(build.result.consumerNamespaces)) return;
    xds.regroup();
    proxylessXds?.regroup();
  });
  const notReadyReason = (): string | undefined =>
    pipeline.readyNow ? options.notReadyReason?.() : 'no complete snapshot yet';
  const admin = new AdminServer(logger.child({ component: 'admin' }), notReadyReason);
  const metricsServer = options.metricsAddress
    ? new AdminServer(logger.child({ component: 'metrics' }), notReadyReason)
    : undefined;
  const app: App = {
    pipeline,
    cache,
    xds,
    admin,
    source,
    streamEvents,
    xdsPort: 0,
    adminPort: 0,
    async stop(timeoutMs = 8000) {
      regrouping.unsubscribe();
      observers.forEach((o) => o.stop());
      await Promise.all(
        [xds, proxylessXds].map((server) => server?.shutdown(Math.max(500, timeoutMs - 1000))),
      );
      pipeline.stop();
      await Promise.allSettled([source.stop(), admin.close(), metricsServer?.close()]);
    },
  };
  // Observability on the admin address: /metrics, /debug/*, and the status page at /ui. Attached before
  // listening so that the first snapshot build is measured too.
  const metrics = attachMetrics(app);
  const gatewayStatus = attachGatewayStatus(app);
  const observers = [metrics, gatewayStatus, attachStatusPage(app)];
  attachDebugRoutes(app);
  metricsServer?.route('/metrics', metrics.handler, 'Prometheus metrics');

  app.xdsPort = await xds.listen(options.xdsAddress);
  if (proxylessXds && options.xdsProxylessAddress) {
    app.proxylessXds = proxylessXds;
    app.proxylessXdsPort = await proxylessXds.listen(options.xdsProxylessAddress);
  }
  app.adminPort = await admin.listen(options.adminAddress);
  if (metricsServer && options.metricsAddress)
    app.metricsPort = await metricsServer.listen(options.metricsAddress);
  pipeline.ready$.subscribe((ready) => {
    xds.setServing(ready);
    proxylessXds?.setServing(ready);
  });
  logger.info(
    {
      xds: options.xdsAddress,
      xdsPort: app.xdsPort,
      ...(app.proxylessXdsPort !== undefined ? { proxylessXdsPort: app.proxylessXdsPort } : {}),
      admin: options.adminAddress,
      adminPort: app.adminPort,
      ...(app.metricsPort !== undefined
        ? { metrics: options.metricsAddress, metricsPort: app.metricsPort }
        : {}),
      version: BUILD_INFO.version,
      source: source.name,
    },
    'kxds started',
  );
  return app;
}
