// /ui/events readers over real HTTP on loopback: one that never reads holds at most about one state in
// memory and is dropped once stalled; one that reads gets the newest state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { LatestOnlySubscribers } from '../../src/admin/ui/latest-only-subscribers';

const tick = () => new Promise((r) => setImmediate(r));

async function eventServer(subscribers: LatestOnlySubscribers) {
  const responses: http.ServerResponse[] = [];
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    responses.push(res);
    subscribers.add(res, 'retry: 1000\n\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { server, port, responses };
}

test('a reader that never reads holds about one state of memory, then is dropped', async (t) => {
  let now = 0;
  const subscribers = new LatestOnlySubscribers(5_000, () => now);
  const { server, port, responses } = await eventServer(subscribers);
  t.after(() => server.close());
  const socket = net.connect(port, '127.0.0.1');
  t.after(() => socket.destroy());
  socket.pause(); // never reads: the kernel buffers fill, then Node's
  socket.write('GET /ui/events HTTP/1.1\r\nhost: x\r\n\r\n');
  while (subscribers.size === 0) await tick();
  const state = `data: ${'x'.repeat(64 * 1024)}\n\n`;
  let peak = 0;
  for (let i = 0; i < 2000 && subscribers.size > 0; i++) {
    subscribers.send(state);
    await tick();
    peak = Math.max(peak, responses[0]?.writableLength ?? 0);
    now += 50;
  }
  assert.equal(subscribers.size, 0, 'dropped once stalled for 5 s');
  assert.ok(peak <= 2 * state.length, `peak buffered ${peak} bytes for ${state.length}-byte states`);
  assert.ok(responses[0]?.destroyed);
});

test('a reader that reads gets every state while it keeps up, and the newest one last', async (t) => {
  const subscribers = new LatestOnlySubscribers();
  const { server, port } = await eventServer(subscribers);
  t.after(() => server.close());
  let received = '';
  const request = http.get({ port, host: '127.0.0.1', path: '/ui/events' }, (res) =>
    res.on('data', (chunk: Buffer) => (received += chunk.toString())),
  );
  t.after(() => request.destroy());
  while (subscribers.size === 0) await tick();
  for (let i = 0; i < 50; i++) subscribers.send(`data: ${i}\n\n`);
  while (!received.includes('data: 49\n\n')) await tick();
  assert.equal(subscribers.size, 1);
});
