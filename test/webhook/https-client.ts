// A small HTTPS client for the webhook tests: real TLS on loopback, trusting a given CA.
import * as https from 'node:https';

export interface HttpResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface RequestOptions {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  ca?: string;
  agent?: https.Agent | false;
}

export function httpsRequest(url: string, options: RequestOptions = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      new URL(options.path ?? '/', url),
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        ca: options.ca,
        agent: options.agent,
        servername: 'localhost',
        timeout: 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(options.body);
  });
}

export function postJson(url: string, body: unknown, ca: string, agent?: https.Agent): Promise<HttpResult> {
  return httpsRequest(url, {
    method: 'POST',
    path: '/mutate',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ca,
    agent,
  });
}
