// Fuzzing the admin HTTP API: random methods, paths (known routes with random queries, random segments,
// traversal, huge), headers and bodies. A 5xx other than /readyz's 503, or a dropped connection, is a crash;
// config lost is the greeter missing from /debug/snapshot?role=proxyless afterwards.
import { send } from './http-post';
import { count, crash, newReport, type TargetReport } from './report';
import type { Rng } from './random';

const ROUTES = [
  '/',
  '/healthz',
  '/readyz',
  '/metrics',
  '/version',
  '/debug/snapshot',
  '/debug/nodes',
  '/debug/warnings',
  '/debug/gateway-status',
  '/ui',
  '/ui/events',
];

/** encodeURIComponent refuses lone surrogates; the server never sees those anyway. */
const enc = (text: string): string => encodeURIComponent(text.replace(/[\uD800-\uDFFF]/g, '?'));

function randomPath(rng: Rng): string {
  const query = rng.bool(0.6)
    ? `?${Array.from({ length: 1 + rng.int(3) }, () => `${enc(rng.pick(['role', 'namespace', 'node', rng.string(6)]))}=${enc(rng.pick(['edge', 'sidecar', 'proxyless', rng.string(20)]))}`).join('&')}`
    : '';
  return rng.pick<() => string>([
    () => `${rng.pick(ROUTES)}${query}`,
    () => `/${enc(rng.string(30))}${query}`,
    () => `/debug/../${rng.pick(ROUTES)}`,
    () => `/${'a/'.repeat(rng.int(2000))}`,
    () => `${rng.pick(ROUTES)}/${enc(rng.string(10))}`,
  ])();
}

export async function fuzzAdmin(adminUrl: string, rng: Rng, inputs: number): Promise<TargetReport> {
  const report = newReport('admin API');
  while (report.inputs < inputs) {
    const batch = Math.min(8, inputs - report.inputs);
    await Promise.all(
      Array.from({ length: batch }, async () => {
        const path = randomPath(rng);
        const method = rng.pick(['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'OPTIONS']);
        // /ui/events streams (HEAD too) until the client leaves: only its refusals are fuzzed (POST: 405).
        const streaming = path.startsWith('/ui/events') && (method === 'GET' || method === 'HEAD');
        report.inputs++;
        const answer = await send(
          `${adminUrl}${path}`,
          streaming ? 'POST' : method,
          rng.bool(0.2) ? rng.bytes(2000) : undefined,
          {
            accept: rng.pick([
              'application/json',
              'text/html',
              '*/*',
              rng.string(10).replace(/[^\x20-\x7e]/g, ''),
            ]),
          },
        );
        count(report, answer.startsWith('error') ? 'error' : answer);
        const serverError = Number(answer) >= 500 && !(answer === '503' && path.startsWith('/readyz'));
        if (answer.startsWith('error') || serverError) crash(report, `${method} ${path}`, answer);
      }),
    );
  }
  const snapshot = await fetch(`${adminUrl}/debug/snapshot?role=proxyless`).then(
    (r) => r.text(),
    () => '',
  );
  if (!snapshot.includes('greeter.demo:50051')) report.configLost++;
  return report;
}
