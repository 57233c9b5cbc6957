// A benchmark client process: holds many ADS streams (SotW or delta) to kxds, each on its own connection
// like a real proxy, and ACKs every response at once. It decodes only the envelope fields it needs
// (version, type, nonce) so client CPU stays small beside the server's. Driven over IPC by the scenario.
import * as grpc from '@grpc/grpc-js';
import * as protobuf from 'protobufjs';
import { lookupType } from '../../src/xds/protos';
import { TYPE_URLS } from '../../src/xds/types';
import { ADS_SERVICE } from '../../src/server/xds-server';
import type { WorkerCommand, WorkerStats } from './worker-protocol';
import { edsNamesOfCdsResponse } from './cluster-names';

interface Envelope {
  version: string;
  typeUrl: string;
  nonce: string;
}

function readEnvelope(bytes: Buffer): Envelope {
  // DiscoveryResponse and DeltaDiscoveryResponse share these numbers: 1 version, 4 type_url, 5 nonce.
  const reader = protobuf.Reader.create(bytes);
  const out: Envelope = { version: '', typeUrl: '', nonce: '' };
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const field = tag >>> 3;
    if (field === 1) out.version = reader.string();
    else if (field === 4) out.typeUrl = reader.string();
    else if (field === 5) out.nonce = reader.string();
    else reader.skipType(tag & 7);
  }
  return out;
}

function stringField(field: number, value: string): Uint8Array {
  return protobuf.Writer.create()
    .uint32((field << 3) | 2)
    .string(value)
    .finish();
}

const identity = (b: Buffer): Buffer => b;
const stats: WorkerStats = { streams: 0, ready: 0, responses: 0, bytes: 0, errors: 0, errorMessages: [] };
const clients: grpc.Client[] = [];

function openStream(cmd: Extract<WorkerCommand, { type: 'open' }>, index: number): void {
  const delta = cmd.protocol === 'delta';
  const requestType = lookupType(
    delta
      ? 'envoy.service.discovery.v3.DeltaDiscoveryRequest'
      : 'envoy.service.discovery.v3.DiscoveryRequest',
  );
  const encode = (obj: Record<string, unknown>): Buffer =>
    Buffer.from(requestType.encode(requestType.fromObject(obj)).finish());
  const node = {
    id: `${cmd.nodePrefix}-${index}`,
    user_agent_name: 'kxds-bench',
    metadata: {
      fields: Object.fromEntries(
        Object.entries({ 'kxds.io/role': cmd.role, ...cmd.metadata }).map(([k, v]) => [
          k,
          { stringValue: v },
        ]),
      ),
    },
  };
  const client = new grpc.Client(cmd.address, grpc.credentials.createInsecure(), {
    'grpc.use_local_subchannel_pool': 1,
    'grpc.max_receive_message_length': 512 * 1024 * 1024,
  });
  clients.push(client);
  const method = delta ? 'DeltaAggregatedResources' : 'StreamAggregatedResources';
  const call = client.makeBidiStreamRequest(`/${ADS_SERVICE}/${method}`, identity, identity);
  stats.streams++;
  // ACK = a base request for the type plus the fields that change per response, appended (protobuf merges).
  // The subscriptions: CDS wildcard, then EDS and RDS by name (a SotW ACK repeats the names).
  const subscriptions: [string, string[]][] = [
    [TYPE_URLS.endpoint, cmd.edsNames],
    [TYPE_URLS.route, cmd.routeNames ?? []],
  ];
  const named = subscriptions.filter(([, names]) => names.length > 0);
  const ackBase = new Map<string, Buffer>([
    [TYPE_URLS.cluster, encode({ type_url: TYPE_URLS.cluster })],
    ...named.map(([type_url, names]): [string, Buffer] => [
      type_url,
      encode(delta ? { type_url } : { type_url, resource_names: names }),
    ]),
  ]);
  const readyType = cmd.routeNames?.length ? TYPE_URLS.route : TYPE_URLS.endpoint;
  /** Per type, the version and nonce fields of the last ACK (a request changing names repeats them). */
  const tails = new Map<string, Uint8Array[]>();
  let followed = '';
  const followClusters = (cds: Buffer): void => {
    const names = edsNamesOfCdsResponse(cds);
    if (names.join('\n') === followed) return;
    followed = names.join('\n');
    const base = encode({ type_url: TYPE_URLS.endpoint, resource_names: names });
    ackBase.set(TYPE_URLS.endpoint, base);
    call.write(Buffer.concat([base, ...(tails.get(TYPE_URLS.endpoint) ?? [])]));
  };
  let ready = false;
  call.on('data', (bytes: Buffer) => {
    stats.responses++;
    stats.bytes += bytes.length;
    const env = readEnvelope(bytes);
    const base = ackBase.get(env.typeUrl);
    if (!base) return;
    const tail = delta
      ? [stringField(6, env.nonce)]
      : [stringField(1, env.version), stringField(5, env.nonce)];
    tails.set(env.typeUrl, tail);
    call.write(Buffer.concat([base, ...tail]));
    if (cmd.followClusters && !delta && env.typeUrl === TYPE_URLS.cluster) followClusters(bytes);
    if (!ready && env.typeUrl === readyType) {
      ready = true;
      stats.ready++;
    }
  });
  call.on('error', (err: Error) => {
    stats.errors++;
    // Without its time stamp, so equal errors are listed once.
    const message = err.message.replace(/\s*\(\d{4}-[^)]*\)/g, '').slice(0, 120);
    if (stats.errorMessages.length < 5 && !stats.errorMessages.includes(message))
      stats.errorMessages.push(message);
  });
  if (delta) {
    call.write(encode({ node, type_url: TYPE_URLS.cluster, resource_names_subscribe: ['*'] }));
    for (const [type_url, names] of named) call.write(encode({ type_url, resource_names_subscribe: names }));
  } else {
    call.write(encode({ node, type_url: TYPE_URLS.cluster }));
    for (const [type_url, names] of named) call.write(encode({ type_url, resource_names: names }));
  }
}

process.on('message', (cmd: WorkerCommand) => {
  if (cmd.type === 'open') {
    // Open in small batches: a burst of thousands of connects overflows the server's accept queue (seen as
    // ECONNRESET at 2000 streams), which real proxies, starting over minutes, don't do either.
    let i = 0;
    const batch = (): void => {
      for (let n = 0; n < 25 && i < cmd.count; n++, i++) openStream(cmd, cmd.firstIndex + i);
      if (i < cmd.count) setTimeout(batch, 50);
    };
    batch();
  } else if (cmd.type === 'stats') {
    process.send?.({ type: 'stats', stats: { ...stats } });
  } else if (cmd.type === 'reset') {
    stats.responses = 0;
    stats.bytes = 0;
    process.send?.({ type: 'reset-done' });
  } else if (cmd.type === 'close') {
    for (const c of clients) c.close();
    process.exit(0);
  }
});
process.on('disconnect', () => process.exit(0));
