// Prometheus metrics on the admin address (/metrics), from prom-client on a private Registry (so several
// apps in one process, as in tests, never collide): xDS streams, responses, ACKs and NACKs, snapshot build
// and convergence times, resources per type and group, source events and informer restarts, and process
// metrics. Gauges are computed when scraped; nothing here walks the connected streams per xDS event (an
// ACK re-checks the one stream that sent it, see convergence.ts).
import * as client from 'prom-client';
import type { AdminView } from './admin-view';
import { findingsOf } from '../ir/status';
import type { ResourceKind } from '../xds/types';
import { TYPE_URLS } from '../xds/types';
import { BUILD_INFO } from '../version';
import { sendText, type RouteHandler } from './http-server';
import { ConvergenceTracker } from './convergence';

/** What a source may expose: KubeSource has stats().totals; simpler sources a counters object. */
interface SourceWithCounters {
  counters?: Record<string, unknown>;
  stats?: () => { totals?: Record<string, unknown> };
}

function sourceCounters(source: unknown): Record<string, number> {
  const s = source as SourceWithCounters;
  const raw = typeof s.stats === 'function' ? s.stats().totals : s.counters;
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(raw ?? {})) if (typeof value === 'number') out[key] = value;
  return out;
}

/** A prom-client Counter that follows a monotonic number kept elsewhere. */
function followingCounter(
  registry: client.Registry,
  name: string,
  help: string,
  read: () => number,
): client.Counter {
  let seen = 0;
  return new client.Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const value = read();
      if (value > seen) this.inc(value - seen);
      seen = Math.max(seen, value);
    },
  });
}

export interface Metrics {
  registry: client.Registry;
  /** Serves the registry; the admin address has it at /metrics, and so does --metrics-address. */
  handler: RouteHandler;
  convergence: ConvergenceTracker;
  stop(): void;
}

export function attachMetrics(app: AdminView): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'kxds_' });
  const kinds = Object.keys(TYPE_URLS) as ResourceKind[];

  // The Prometheus "info" idiom: always 1, the build in the labels, so dashboards can join on it.
  new client.Gauge({
    name: 'kxds_build_info',
    help: 'The kxds version and the Node.js version running it (value always 1)',
    labelNames: ['version', 'node_version'],
    registers: [registry],
  }).set({ version: BUILD_INFO.version, node_version: BUILD_INFO.node }, 1);

  new client.Gauge({
    name: 'kxds_xds_connected_streams',
    help: 'Connected xDS streams by node role',
    labelNames: ['role'],
    registers: [registry],
    collect() {
      for (const [role, n] of app.xds.registry.countsByRole()) this.set({ role }, n);
    },
  });
  const responses = new client.Counter({
    name: 'kxds_xds_responses_total',
    help: 'DiscoveryResponses sent, by resource type',
    labelNames: ['type'],
    registers: [registry],
  });
  const acks = new client.Counter({
    name: 'kxds_xds_acks_total',
    help: 'ACKs received, by resource type',
    labelNames: ['type'],
    registers: [registry],
  });
  const nacks = new client.Counter({
    name: 'kxds_xds_nacks_total',
    help: 'NACKs received (config rejected by a client), by resource type',
    labelNames: ['type'],
    registers: [registry],
  });
  for (const type of kinds) [responses, acks, nacks].forEach((c) => c.inc({ type }, 0));
  const buildSeconds = new client.Histogram({
    name: 'kxds_snapshot_build_seconds',
    help: 'Time to translate the model and encode the snapshots of one build',
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const convergenceSeconds = new client.Histogram({
    name: 'kxds_convergence_seconds',
    help: 'From a source event to the last ACK of the resulting config by every client of the group',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
    registers: [registry],
  });
  new client.Gauge({
    name: 'kxds_resources',
    help: 'Resources in the current snapshots, by type and node group',
    labelNames: ['type', 'group'],
    registers: [registry],
    collect() {
      this.reset();
      for (const group of app.cache.groupNames()) {
        const snapshot = app.cache.getSnapshot(group);
        if (!snapshot) continue;
        for (const type of kinds) this.set({ type, group }, snapshot.types[type].resources.size);
      }
    },
  });
  new client.Gauge({
    name: 'kxds_translation_warnings',
    help: 'Problems with user input in the current model (see /debug/warnings)',
    registers: [registry],
    collect() {
      this.set(findingsOf(app.pipeline.statuses).length);
    },
  });
  new client.Gauge({
    name: 'kxds_node_groups',
    help: 'Node groups the snapshot cache holds: standing ones and those node metadata asked for',
    registers: [registry],
    collect() {
      this.set(app.cache.size());
    },
  });
  followingCounter(
    registry,
    'kxds_node_groups_released_total',
    'Node-chosen groups dropped because their last stream left',
    () => app.cache.stats.released,
  );
  followingCounter(
    registry,
    'kxds_node_groups_refused_total',
    'Streams refused because they would add a node-chosen group past --max-node-groups',
    () => app.cache.stats.refused,
  );
  followingCounter(
    registry,
    'kxds_source_events_total',
    'Events received from the source',
    () => app.pipeline.counters.sourceEvents,
  );
  followingCounter(
    registry,
    'kxds_snapshot_builds_total',
    'Snapshot builds',
    () => app.pipeline.counters.builds,
  );
  followingCounter(
    registry,
    'kxds_snapshot_build_errors_total',
    'Builds that failed and kept the last good snapshots',
    () => app.pipeline.counters.buildErrors,
  );
  followingCounter(
    registry,
    'kxds_informer_restarts_total',
    'Kubernetes informers restarted after a failure',
    () => sourceCounters(app.source).restarts ?? sourceCounters(app.source).informerRestarts ?? 0,
  );

  const convergence = new ConvergenceTracker(app.xds.registry, (seconds) =>
    convergenceSeconds.observe(seconds),
  );
  const builds = app.pipeline.builds().subscribe((report) => {
    buildSeconds.observe(report.buildSeconds);
    if (report.changedGroups.length > 0) convergence.built(report.changedGroups, report.firstEventAt);
  });
  const removeLifecycle = app.xds.registry.subscribe({
    onStreamOpened: (info) => convergence.streamOpened(info),
    onStreamClosed: (info) => convergence.streamClosed(info),
  });
  const removeListener = app.streamEvents.add({
    onResponse: (node, kind) => {
      responses.inc({ type: kind });
      convergence.sent(node);
    },
    onAck: (node, kind) => {
      acks.inc({ type: kind });
      convergence.acked(node);
    },
    onNack: (_node, kind) => nacks.inc({ type: kind }),
  });

  const handler: RouteHandler = async (_req, res) => {
    sendText(res, 200, await registry.metrics(), registry.contentType);
  };
  app.admin.route('/metrics', handler, 'Prometheus metrics');
  return {
    registry,
    handler,
    convergence,
    stop() {
      builds.unsubscribe();
      removeLifecycle();
      removeListener();
    },
  };
}
