// The real proxyless client: @grpc/grpc-js-xds, configured to talk to a kxds on loopback.
import * as grpcXds from '@grpc/grpc-js-xds';
import { greeterClient, sayHello, type HelloReply } from '../../src/demo/greeter';

let registered = false;

/** Points grpc-js-xds at the control plane. Call once per test process (the bootstrap is cached). */
/** `metadata`: further node metadata (e.g. kxds.io/namespace), besides kxds.io/role proxyless. */
export function useControlPlane(
  xdsAddress: string,
  nodeId = 'test-client',
  metadata: Record<string, string> = {},
): void {
  process.env.GRPC_XDS_BOOTSTRAP_CONFIG = JSON.stringify({
    xds_servers: [
      { server_uri: xdsAddress, channel_creds: [{ type: 'insecure' }], server_features: ['xds_v3'] },
    ],
    node: { id: nodeId, locality: {}, metadata: { 'kxds.io/role': 'proxyless', ...metadata } },
  });
  if (!registered) {
    grpcXds.register();
    registered = true;
  }
}

/** Calls until one succeeds (config arrives asynchronously), within a deadline. */
export async function firstReply(
  client: ReturnType<typeof greeterClient>,
  deadlineMs = 15000,
): Promise<HelloReply> {
  const until = Date.now() + deadlineMs;
  let lastError: unknown;
  while (Date.now() < until) {
    try {
      return await sayHello(client, 'first', 3000);
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`no successful call within ${deadlineMs} ms: ${String(lastError)}`);
}

/** Makes n calls and counts which backend answered each. */
export async function spread(
  client: ReturnType<typeof greeterClient>,
  n: number,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const reply = await sayHello(client, `call-${i}`);
    counts.set(reply.served_by, (counts.get(reply.served_by) ?? 0) + 1);
  }
  return counts;
}

/**
 * grpc-js-xds keeps 15-minute retention timers (load-balancer children deactivated by config changes) that
 * are not unref'd, so a test process whose client saw clusters and endpoints come and go would stay alive
 * for 15 minutes after its last test. Timers that long can never matter to a test: unref them. Call before
 * creating xDS clients; it affects only the calling test file's process.
 */
export function unrefLongTimers(minMs = 60_000): void {
  const original = globalThis.setTimeout;
  const patched = (
    handler: (...args: unknown[]) => void,
    ms?: number,
    ...args: unknown[]
  ): NodeJS.Timeout => {
    const timer = original(handler, ms, ...args);
    if ((ms ?? 0) >= minMs) timer.unref();
    return timer;
  };
  globalThis.setTimeout = Object.assign(patched, original) as typeof setTimeout;
}
