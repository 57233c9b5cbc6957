// Reads a request body with a size limit, so an oversized or endless upload costs at most `limit` bytes.
import type { IncomingMessage } from 'node:http';

export type BodyResult = { ok: true; body: Buffer } | { ok: false; status: number; reason: string };

export function readBody(req: IncomingMessage, limit: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      resolve({
        ok: false,
        status: 413,
        reason: `body of ${declared} bytes exceeds the ${limit}-byte limit`,
      });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyResult): void => {
      if (done) return;
      done = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        finish({ ok: false, status: 413, reason: `body exceeds the ${limit}-byte limit` });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => finish({ ok: true, body: Buffer.concat(chunks) }));
    req.on('error', (err) =>
      finish({ ok: false, status: 400, reason: `reading the body failed: ${err.message}` }),
    );
    req.on('aborted', () => finish({ ok: false, status: 400, reason: 'request aborted' }));
  });
}
