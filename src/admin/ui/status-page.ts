// The live status page at /ui: the page itself, its state as JSON (/ui/state) and server-sent events
// (/ui/events) that push the state whenever a stream event or a build happens (at most every 200 ms),
// and every 2 s regardless so that connects, disconnects and "last seen" stay current. A reader that doesn't
// read gets only the latest state and is dropped after 30 s (latest-only-subscribers.ts).
import type { AdminView } from '../admin-view';
import { sendJson, sendText } from '../http-server';
import { STATUS_PAGE_HTML } from './page';
import { statusState } from './state';
import { LatestOnlySubscribers } from './latest-only-subscribers';

const THROTTLE_MS = 200;
const REFRESH_MS = 2000;

export interface StatusPage {
  /** Open SSE connections, for tests. */
  connections(): number;
  stop(): void;
}

export function attachStatusPage(app: AdminView, clients = new LatestOnlySubscribers()): StatusPage {
  let timer: NodeJS.Timeout | undefined;

  const push = (): void => {
    timer = undefined;
    if (clients.size === 0) return;
    clients.send(`data: ${JSON.stringify(statusState(app))}\n\n`);
  };
  const schedule = (): void => {
    if (clients.size > 0 && !timer) timer = setTimeout(push, THROTTLE_MS);
  };
  const removeListener = app.streamEvents.add({ onResponse: schedule, onAck: schedule, onNack: schedule });
  const builds = app.pipeline.builds().subscribe(schedule);
  const refresh = setInterval(schedule, REFRESH_MS);
  refresh.unref();

  app.admin.route(
    '/ui',
    (_req, res) => sendText(res, 200, STATUS_PAGE_HTML, 'text/html; charset=utf-8'),
    'the status page (a browser)',
  );
  app.admin.route('/ui/state', (_req, res) => sendJson(res, 200, statusState(app)), "the status page's data");
  app.admin.route(
    '/ui/events',
    (req, res) => {
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      // HEAD asks for the headers only: there is no body, so no stream to hold open.
      if (req.method === 'HEAD') return void res.end();
      clients.add(res, `retry: 1000\ndata: ${JSON.stringify(statusState(app))}\n\n`);
    },
    'the same, pushed as server-sent events',
  );
  return {
    connections: () => clients.size,
    stop() {
      removeListener();
      builds.unsubscribe();
      clearInterval(refresh);
      if (timer) clearTimeout(timer);
      clients.closeAll();
    },
  };
}
