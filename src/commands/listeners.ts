// Every address `kxds serve` listens on, checked before anything starts: a port another program holds is
// reported as one log line naming the listener, the address and the flag that moves it, instead of a bare
// error after "kxds started". In the demo, a default port that is taken moves to a free one (and says so).
import * as net from 'node:net';
import type { Logger } from '../log';
import { splitHostPort } from '../admin/http-server';

export interface PlannedListener {
  /** What listens there, for people: "xDS", "admin HTTP", ... */
  name: string;
  /** HOST:PORT as given or defaulted. */
  address: string;
  /** The flag that sets it (and its environment variable). */
  flag: string;
  /** True when the user did not choose the address (the default applies) and a free port may replace it. */
  movable: boolean;
}

/** Why a planned address can't be used, or undefined when it is free (port 0 is always free). */
async function bindProblem(address: string): Promise<NodeJS.ErrnoException | undefined> {
  const { host, port } = splitHostPort(address);
  if (port === 0) return undefined;
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => resolve(err));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(undefined)));
  });
}

function withPort(address: string, port: number): string {
  const { host } = splitHostPort(address);
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export class ListenerUnavailable extends Error {}

/**
 * Returns the addresses to use, in the order given. A taken address that is movable becomes port 0 (a free
 * one, logged); any other problem is logged as one line and thrown as ListenerUnavailable.
 */
export async function checkListeners(
  listeners: readonly PlannedListener[],
  logger: Logger,
): Promise<string[]> {
  const out: string[] = [];
  for (const listener of listeners) {
    const problem = await bindProblem(listener.address);
    if (!problem) {
      out.push(listener.address);
      continue;
    }
    const inUse = problem.code === 'EADDRINUSE';
    const fields = { listener: listener.name, address: listener.address, flag: listener.flag };
    if (inUse && listener.movable) {
      logger.warn(
        fields,
        `${listener.name} address ${listener.address} is in use: using a free port instead`,
      );
      out.push(withPort(listener.address, 0));
      continue;
    }
    const why = inUse
      ? 'is in use by another program'
      : `cannot be used (${problem.code ?? problem.message})`;
    const message = `${listener.name} address ${listener.address} ${why}: choose another with ${listener.flag}`;
    logger.error(fields, message);
    throw new ListenerUnavailable(message);
  }
  return out;
}
