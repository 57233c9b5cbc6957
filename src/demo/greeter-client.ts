// The example app's client (`kxds demo-greeter client`): calls the greeter in a loop and logs which pod
// answered each call and the running spread, so `kubectl logs` shows calls spread across the server's pods.
// The same loop serves all three paths: through the edge (a plain target and the Ingress host as
// authority), through an injected sidecar (127.0.0.1:15001 with the Service name as authority) and
// proxyless (an xds:/// target, with grpc-js-xds reading GRPC_XDS_BOOTSTRAP).
import * as grpcXds from '@grpc/grpc-js-xds';
import type { Logger } from '../log';
import { greeterClient, sayHello } from './greeter';

export interface GreeterClientOptions {
  target: string;
  /** The :authority the calls carry (the Ingress host, or the Service name for a sidecar). */
  authority?: string;
  intervalMs: number;
  /** Stop after this many successful calls (default: run until aborted). */
  count?: number;
  callTimeoutMs?: number;
  signal?: AbortSignal;
  logger: Logger;
}

let xdsRegistered = false;

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done);
  });
}

/** Runs the loop; resolves with the count of calls per answering pod. Failures are logged and retried. */
export async function runGreeterClient(options: GreeterClientOptions): Promise<Map<string, number>> {
  const { logger, target } = options;
  if (target.startsWith('xds:') && !xdsRegistered) {
    grpcXds.register();
    xdsRegistered = true;
  }
  const client = greeterClient(
    target,
    undefined,
    options.authority ? { 'grpc.default_authority': options.authority } : {},
  );
  const spread = new Map<string, number>();
  let ok = 0;
  let failed = 0;
  try {
    while (!options.signal?.aborted && (options.count === undefined || ok < options.count)) {
      try {
        const reply = await sayHello(client, 'kxds', options.callTimeoutMs ?? 5000);
        ok++;
        spread.set(reply.served_by, (spread.get(reply.served_by) ?? 0) + 1);
        logger.info(
          { target, served_by: reply.served_by, calls: ok, spread: Object.fromEntries(spread) },
          'greeter answered',
        );
      } catch (err) {
        failed++;
        logger.warn({ target, failed, err: err instanceof Error ? err.message : String(err) }, 'call failed');
      }
      if (options.count === undefined || ok < options.count) await sleep(options.intervalMs, options.signal);
    }
  } finally {
    client.close();
  }
  return spread;
}
