// The webhook server under bad input: every malformed request gets a 4xx with a reason, and the server
// keeps answering. Real HTTPS on loopback.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as https from 'node:https';
import * as net from 'node:net';
import * as tls from 'node:tls';
import { startWebhookServer, type WebhookServer } from '../../src/webhook/server';
import { injectionSettings } from '../../src/webhook/settings';
import { httpsRequest, postJson, type RequestOptions } from './https-client';

const settings = injectionSettings({
  envoyImage: 'envoy',
  kxdsImage: 'kxds',
  xdsServer: 'kxds:18000',
  ownNamespace: 'kxds',
});
let server: WebhookServer;
let ca: string;

const VALID = {
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request: {
    uid: 'valid-1',
    kind: { group: '', version: 'v1', kind: 'Pod' },
    namespace: 'shop',
    operation: 'CREATE',
    object: {
      metadata: { name: 'p', labels: { 'kxds.io/inject': 'true' } },
      spec: { containers: [{ name: 'app' }] },
    },
  },
};

before(async () => {
  server = await startWebhookServer({ address: '127.0.0.1:0', settings, maxBodyBytes: 64 * 1024 });
  ca = server.caPem as string;
});
after(() => server.close());

function send(options: RequestOptions) {
  return httpsRequest(server.url, { ca, ...options });
}

async function assertStillServing(): Promise<void> {
  const res = await postJson(server.url, VALID, ca);
  assert.equal(res.status, 200);
  const response = JSON.parse(res.body).response;
  assert.equal(response.uid, 'valid-1');
  assert.equal(response.patchType, 'JSONPatch');
}

test('GET /healthz answers ok; the generated certificate is trusted through the returned CA', async () => {
  const res = await send({ path: '/healthz' });
  assert.equal(res.status, 200);
  assert.equal(res.body.trim(), 'ok');
  assert.match(ca, /^-----BEGIN CERTIFICATE-----/);
  await assert.rejects(
    httpsRequest(server.url, { path: '/healthz' }),
    /self-signed|unable to verify|certificate/i,
  );
});

test('/inject is an alias of /mutate', async () => {
  const res = await send({
    method: 'POST',
    path: '/inject',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(VALID),
  });
  assert.equal(res.status, 200);
  assert.equal(JSON.parse(res.body).response.uid, 'valid-1');
});

test('bad requests get the right 4xx and a reason', async () => {
  const json = { 'content-type': 'application/json' };
  const cases: [RequestOptions, number, RegExp][] = [
    [{ method: 'GET', path: '/mutate' }, 405, /use POST/],
    [{ method: 'POST', path: '/nope', headers: json, body: '{}' }, 404, /no such path/],
    [
      { method: 'POST', path: '/mutate', headers: { 'content-type': 'text/plain' }, body: '{}' },
      415,
      /application\/json/,
    ],
    [{ method: 'POST', path: '/mutate', body: '{}' }, 415, /application\/json/],
    [{ method: 'POST', path: '/mutate', headers: json, body: '{"apiVersion":' }, 400, /malformed JSON/],
    [
      { method: 'POST', path: '/mutate', headers: json, body: '{"apiVersion":"v1","kind":"Pod"}' },
      400,
      /apiVersion.*kind.*request/,
    ],
    [
      {
        method: 'POST',
        path: '/mutate',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: 'null',
      },
      400,
      /JSON object/,
    ],
    [{ method: 'POST', path: '/mutate', headers: json, body: Buffer.alloc(65 * 1024, 0x20) }, 413, /limit/],
  ];
  for (const [options, status, reason] of cases) {
    const res = await send(options);
    assert.equal(res.status, status, `${options.method} ${options.path}: ${res.body}`);
    assert.match(res.body, reason);
  }
  await assertStillServing();
});

test('an oversized chunked body (no Content-Length) is cut off at the limit with 413', async () => {
  const status = await new Promise<number>((resolve, reject) => {
    const req = https.request(
      new URL('/mutate', server.url),
      { method: 'POST', ca, servername: 'localhost', headers: { 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    const chunk = Buffer.alloc(16 * 1024, 0x20);
    let sent = 0;
    const pump = (): void => {
      // 5 chunks of 16 KiB: past the 64 KiB limit, yet small enough that the unread rest fits in socket
      // buffers, so the client reads the 413 instead of a reset.
      while (sent < 5 && req.write(chunk)) sent++;
      if (sent < 5) req.once('drain', () => (sent++, pump()));
      else req.end();
    };
    pump();
  });
  assert.equal(status, 413);
  await assertStillServing();
});

test('garbage that is not HTTP at all, over TLS, does not hurt the server', async () => {
  await new Promise<void>((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port: server.port, ca, servername: 'localhost' }, () => {
      socket.end('\x00\x01 this is not HTTP\r\n\r\n');
    });
    socket.on('data', () => undefined);
    socket.on('close', () => resolve());
    socket.on('error', reject);
  });
  await assertStillServing();
});

test('the server survives 1,000 malformed requests and still answers a valid one', async () => {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 8, ca, servername: 'localhost' });
  const json = { 'content-type': 'application/json' };
  const review = (request: unknown) =>
    JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', request });
  const variants: ((i: number) => RequestOptions)[] = [
    (i) => ({ method: 'POST', path: '/mutate', headers: json, body: `{"broken": ${i}` }),
    (i) => ({ method: 'POST', path: '/mutate', headers: json, body: Buffer.from([0xff, 0xfe, i % 256]) }),
    () => ({ method: 'POST', path: '/mutate', headers: json, body: '[]' }),
    () => ({ method: 'POST', path: '/mutate', headers: json, body: '"AdmissionReview"' }),
    (i) => ({ method: 'POST', path: '/mutate', headers: json, body: review({ uid: i }) }),
    () => ({ method: 'POST', path: '/mutate', headers: json, body: review({ uid: 'x', object: 'pod' }) }),
    () => ({ method: 'POST', path: '/mutate', headers: json, body: review(null) }),
    () => ({ method: 'POST', path: '/mutate', headers: { 'content-type': 'application/xml' }, body: '<a/>' }),
    () => ({ method: 'PUT', path: '/mutate', headers: json, body: '{}' }),
    (i) => ({ method: 'POST', path: `/mutate/${i}`, headers: json, body: '{}' }),
    () => ({ method: 'POST', path: '/mutate', headers: json, body: '{"a":'.repeat(50) }),
    () => ({ method: 'POST', path: '/mutate', headers: json, body: Buffer.alloc(70 * 1024, 0x5b) }),
  ];
  const statuses = new Map<number, number>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < 1000) {
      const i = next++;
      const options = (variants[i % variants.length] as (i: number) => RequestOptions)(i);
      const res = await send({ ...options, agent });
      assert.ok(res.status >= 400 && res.status < 500, `request ${i}: ${res.status} ${res.body}`);
      assert.ok(res.body.trim().length > 0, 'a reason is given');
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  agent.destroy();
  assert.equal(
    [...statuses.values()].reduce((a, b) => a + b, 0),
    1000,
  );
  assert.deepEqual([...statuses.keys()].sort(), [400, 404, 405, 413, 415]);
  await assertStillServing();
});

test('a pod whose spec.containers is not a list gets a 400 naming the pod and the field', async () => {
  const bad = structuredClone(VALID) as { request: { uid: string; object: unknown } };
  bad.request.uid = 'bad-spec';
  bad.request.object = {
    metadata: { name: 'weird', labels: { 'kxds.io/inject': 'true' } },
    spec: { containers: 'app' },
  };
  const res = await postJson(server.url, bad, ca);
  assert.equal(res.status, 400);
  assert.match(res.body, /Pod shop\/weird is not a well-formed Pod: spec.containers must be a list/);
});

test('odd Pods of every shape get a 400 with the field, never a 500', async () => {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 4, ca, servername: 'localhost' });
  const odd: [string, unknown][] = [];
  const values: unknown[] = [null, 'x', 7, true, {}, [null], [7], ['x'], [{}], [{ name: 3 }]];
  const fields = ['containers', 'initContainers', 'volumes'];
  for (const field of fields)
    for (const v of values)
      odd.push([`spec.${field}`, { spec: { containers: [{ name: 'app' }], [field]: v } }]);
  for (const field of ['env', 'ports', 'volumeMounts', 'command', 'args', 'image'])
    for (const v of values.slice(0, 4))
      odd.push([`spec.containers[0].${field}`, { spec: { containers: [{ name: 'app', [field]: v }] } }]);
  for (const v of ['x', 7, [1]]) {
    odd.push(['metadata', { metadata: v, spec: { containers: [{ name: 'app' }] } }]);
    odd.push(['metadata.labels', { metadata: { labels: v }, spec: { containers: [{ name: 'app' }] } }]);
    odd.push([
      'metadata.annotations',
      { metadata: { annotations: { a: v } }, spec: { containers: [{ name: 'app' }] } },
    ]);
    odd.push(['spec', { spec: v }]);
  }
  for (const [field, object] of odd) {
    const review = structuredClone(VALID) as { request: { object: unknown } };
    review.request.object = object;
    const res = await postJson(server.url, review, ca, agent);
    // A valid value among the variants (e.g. an empty volumes entry list) may pass; none may crash.
    assert.notEqual(res.status, 500, `${field}: ${res.body}`);
    if (res.status === 400)
      assert.match(res.body, new RegExp(`is not a well-formed Pod: .*${field.replace(/[.[\]]/g, '\\$&')}`));
  }
  const refused = await Promise.all(
    odd.slice(0, 3).map(async ([, object]) => {
      const review = structuredClone(VALID) as { request: { object: unknown } };
      review.request.object = object;
      return (await postJson(server.url, review, ca, agent)).status;
    }),
  );
  assert.deepEqual(refused, [400, 400, 400]);
  agent.destroy();
  await assertStillServing();
});

test(
  'slow clients and sockets that never say ClientHello are cut at the documented 10 s',
  { timeout: 30000 },
  async () => {
    const started = Date.now();
    const closedAfter = (socket: net.Socket): Promise<number> =>
      new Promise((resolve) => socket.on('close', () => resolve(Date.now() - started)));
    const { port } = new URL(server.url);
    // A TCP connection that sends nothing at all.
    const silent = net.connect(Number(port), '127.0.0.1');
    silent.on('error', () => undefined);
    // A TLS client that sends its headers one byte per second.
    const slow = tls.connect({ port: Number(port), host: '127.0.0.1', ca, servername: 'localhost' });
    slow.on('error', () => undefined);
    const request = 'POST /mutate HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\n';
    let i = 0;
    const drip = setInterval(() => {
      if (!slow.destroyed && i < request.length) slow.write(request[i++] as string);
    }, 1000);
    const [silentMs, slowMs] = await Promise.all([closedAfter(silent), closedAfter(slow)]);
    clearInterval(drip);
    for (const ms of [silentMs, slowMs])
      assert.ok(ms >= 9000 && ms < 13000, `closed after ${silentMs} ms (silent), ${slowMs} ms (slow)`);
    await assertStillServing();
  },
);

test('a certificate without its key is a start-up error', async () => {
  await assert.rejects(
    startWebhookServer({ address: '127.0.0.1:0', settings, certFile: '/nonexistent.crt' }),
    /--webhook-cert and --webhook-key go together/,
  );
  await assert.rejects(startWebhookServer({ address: 'nope', settings }), /--webhook-address "nope"/);
});

test('on /mutate/namespace-enabled the API server vouches for the namespace label; on /mutate it must be known', async () => {
  const unlabelled = structuredClone(VALID) as {
    request: { uid: string; object: { metadata: { labels?: unknown } } };
  };
  unlabelled.request.uid = 'ns-enabled';
  delete unlabelled.request.object.metadata.labels;
  const post = (path: string) =>
    send({
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(unlabelled),
    });
  const vouched = JSON.parse((await post('/mutate/namespace-enabled')).body).response;
  assert.equal(vouched.uid, 'ns-enabled');
  assert.equal(vouched.patchType, 'JSONPatch');
  const plain = JSON.parse((await post('/mutate')).body).response;
  assert.equal(plain.allowed, true);
  assert.equal(plain.patch, undefined, 'this server knows no namespace labels');
});
