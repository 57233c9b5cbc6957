// One bounded HTTP(S) request for the fuzz targets: the status code, or "error: ..." when the connection
// failed (a server that died or reset the socket).
import * as http from 'node:http';
import * as https from 'node:https';

export function send(
  url: string,
  method: string,
  body: Buffer | undefined,
  headers: Record<string, string> = {},
  ca?: string,
): Promise<string> {
  return new Promise((resolve) => {
    const target = new URL(url);
    const lib = target.protocol === 'https:' ? https : http;
    const req = lib.request(
      target,
      {
        method,
        headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) },
        timeout: 5000,
        ...(ca ? { ca } : {}),
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(String(res.statusCode)));
        res.on('error', (err) => resolve(`error: ${err.message}`));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve(`error: ${err.message}`));
    req.end(body);
  });
}
