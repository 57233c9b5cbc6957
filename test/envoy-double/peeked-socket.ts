// A connection's first bytes, read before deciding what to do with it (the TLS inspector's SNI, the HTTP/2
// preface), handed on with those bytes put back: a Duplex that replays them, then relays the socket. The
// http2 session reads its socket's handle directly, so socket.unshift() alone would lose them there.
import type * as net from 'node:net';
import { Duplex } from 'node:stream';

/**
 * Reads until `enough(bytes)` says so (or the peer ends or 64 KiB arrive); resolves with what was read,
 * after `already` (bytes an earlier peek read past what it needed).
 */
export function peek(
  socket: net.Socket,
  enough: (bytes: Buffer) => boolean,
  already: Buffer = Buffer.alloc(0),
): Promise<Buffer> {
  return new Promise((resolve) => {
    let bytes = already;
    if (bytes.length > 0 && enough(bytes)) return resolve(bytes);
    const finish = (): void => {
      socket.off('data', onData);
      socket.off('end', finish);
      socket.pause();
      resolve(bytes);
    };
    const onData = (chunk: Buffer): void => {
      bytes = Buffer.concat([bytes, chunk]);
      if (enough(bytes) || bytes.length >= 65536) finish();
    };
    socket.on('data', onData);
    socket.once('end', finish);
    // An earlier peek left the socket paused.
    socket.resume();
  });
}

/** The socket as a Duplex that first yields `first`; the remote address stays visible to HTTP servers. */
export function replaying(socket: net.Socket, first: Buffer): Duplex {
  const duplex = new Duplex({
    read: () => void socket.resume(),
    write: (chunk: Buffer, _encoding, callback) => void socket.write(chunk, callback),
    final: (callback) => {
      socket.end();
      callback();
    },
    destroy: (err, callback) => {
      socket.destroy(err ?? undefined);
      callback(err);
    },
  });
  if (first.length > 0) duplex.push(first);
  socket.on('data', (chunk: Buffer) => {
    if (!duplex.push(chunk)) socket.pause();
  });
  socket.on('end', () => duplex.push(null));
  socket.on('error', (err) => duplex.destroy(err));
  socket.on('close', () => duplex.destroy());
  Object.assign(duplex, {
    remoteAddress: socket.remoteAddress,
    remotePort: socket.remotePort,
    localPort: socket.localPort,
  });
  return duplex;
}
