// The xDS log lines that clients trigger (NACKs, bad requests): client-supplied text clipped, and each
// node's repeats for one type rate-limited with a count, so a client that NACKs in a loop or sends a 10 MB
// node id cannot grow the log at its own pace.
import type { Logger } from '../log';
import { LogThrottle } from '../log-throttle';
import { clip } from './authorize';
import type { StreamEvents } from './stream/stream-types';

/** Longest error_detail message logged; Envoy's NACK reasons that matter fit in far less. */
const MAX_NACK_MESSAGE = 1024;

export function streamLog(log: Logger, throttle = new LogThrottle()): StreamEvents {
  return {
    onNack: (node, kind, nack) => {
      const id = clip(node.id);
      const verdict = throttle.admit(`nack\u0000${id}\u0000${kind}`);
      if (!verdict.write) return;
      log.warn(
        {
          node: id,
          role: node.role,
          type: kind,
          version: clip(nack.version),
          error: clip(nack.message, MAX_NACK_MESSAGE),
          ...(verdict.suppressed > 0 ? { suppressed: verdict.suppressed } : {}),
        },
        verdict.suppressed > 0
          ? `NACK: the client rejected config (${verdict.suppressed} more NACKs from node ${id} for type ${kind} suppressed)`
          : 'NACK: the client rejected config',
      );
    },
    onRequestError: (node, message) => {
      const verdict = throttle.admit(`bad\u0000${clip(node?.id ?? '')}`);
      if (!verdict.write) return;
      log.warn(
        {
          node: node ? clip(node.id) : undefined,
          reason: clip(message, MAX_NACK_MESSAGE),
          ...(verdict.suppressed > 0 ? { suppressed: verdict.suppressed } : {}),
        },
        'bad DiscoveryRequest',
      );
    },
  };
}
