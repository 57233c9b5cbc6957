// Fuzzing the ADS port: streams (SotW and delta) that send random bytes or DiscoveryRequests with random
// fields, node claims and NACKs, a few at a time. A crash is a stream ended UNKNOWN (a handler threw) or a
// server that no longer answers; config lost is the greeter cluster missing for a well-formed client after.
import * as grpc from '@grpc/grpc-js';
import { encodeMessage } from '../../src/xds/encode';
import { TYPE_URLS } from '../../src/xds/types';
import { AdsTestClient } from '../helpers/ads-client';
import { count, crash, newReport, type TargetReport } from './report';
import type { Rng } from './random';

const SERVICE = '/envoy.service.discovery.v3.AggregatedDiscoveryService';
const bytesMethod = (path: string) => ({
  path,
  requestStream: true,
  responseStream: true,
  requestSerialize: (b: Buffer) => b,
  requestDeserialize: (b: Buffer) => b,
  responseSerialize: (b: Buffer) => b,
  responseDeserialize: (b: Buffer) => b,
});
const RawAds = grpc.makeGenericClientConstructor(
  {
    Sotw: bytesMethod(`${SERVICE}/StreamAggregatedResources`),
    Delta: bytesMethod(`${SERVICE}/DeltaAggregatedResources`),
  },
  'FuzzAds',
);

function randomRequest(rng: Rng, delta: boolean): Buffer {
  const typeUrl = rng.bool(0.8) ? rng.pick(Object.values(TYPE_URLS)) : rng.string(40);
  const node = {
    id: rng.string(),
    cluster: rng.string(8),
    metadata: {
      fields: {
        'kxds.io/role': { stringValue: rng.pick(['edge', 'sidecar', 'proxyless', rng.string(8)]) },
        'kxds.io/namespace': { stringValue: rng.pick(['demo', rng.string(8)]) },
        'kxds.io/gateway': { stringValue: rng.pick(['infra/web', rng.string(12)]) },
      },
    },
  };
  const names = Array.from({ length: rng.int(5) }, () =>
    rng.pick(['*', 'greeter.demo:50051', rng.string(30)]),
  );
  const value = delta
    ? {
        node,
        type_url: typeUrl,
        resource_names_subscribe: names,
        resource_names_unsubscribe: rng.bool(0.3) ? names : [],
        initial_resource_versions: Object.fromEntries(names.map((n) => [n, rng.string(8)])),
        response_nonce: rng.string(8),
        ...(rng.bool(0.2) ? { error_detail: { code: rng.int(20), message: rng.string(200) } } : {}),
      }
    : {
        ...(rng.bool(0.8) ? { node } : {}),
        version_info: rng.string(8),
        resource_names: names,
        type_url: typeUrl,
        response_nonce: rng.string(8),
        ...(rng.bool(0.2) ? { error_detail: { code: rng.int(20), message: rng.string(200) } } : {}),
      };
  try {
    // A request the encoder refuses is a bug of this generator, not an input: raw bytes have their own share.
    return encodeMessage(
      delta
        ? 'envoy.service.discovery.v3.DeltaDiscoveryRequest'
        : 'envoy.service.discovery.v3.DiscoveryRequest',
      value,
    );
  } catch (err) {
    throw new Error(`fuzz generator: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** One stream: 1-3 messages, then wait for the server briefly, then cancel. */
function oneStream(client: grpc.Client, rng: Rng, report: TargetReport): Promise<void> {
  const delta = rng.bool(0.3);
  const messages = Array.from({ length: 1 + rng.int(3) }, () =>
    rng.bool(0.25) ? rng.bytes(512) : randomRequest(rng, delta),
  );
  const input = messages.map((m) => m.toString('base64')).join(',');
  report.inputs++;
  return new Promise<void>((resolve) => {
    const call = (client as unknown as Record<string, () => grpc.ClientDuplexStream<Buffer, Buffer>>)[
      delta ? 'Delta' : 'Sotw'
    ]!();
    const timer = setTimeout(() => call.cancel(), 150);
    call.on('data', () => undefined);
    call.on('error', () => undefined);
    call.on('status', (status: grpc.StatusObject) => {
      clearTimeout(timer);
      count(report, grpc.status[status.code] ?? String(status.code));
      if (status.code === grpc.status.UNKNOWN || status.code === grpc.status.INTERNAL) {
        // grpc-js answers INTERNAL for a request it cannot decode; that is the server refusing, not failing.
        if (!/deserializ|parse/i.test(status.details))
          crash(report, input, `${grpc.status[status.code]} ${status.details}`);
      }
      resolve();
    });
    for (const m of messages) call.write(m);
  });
}

async function greeterServed(address: string): Promise<boolean> {
  const client = new AdsTestClient(address, {
    id: 'fuzz-check',
    locality: {},
    metadata: { 'kxds.io/role': 'proxyless' },
  });
  try {
    client.request('cluster', ['outbound|50051||greeter.demo.svc.cluster.local', 'greeter.demo:50051']);
    client.request('listener', ['greeter.demo:50051']);
    const until = Date.now() + 5000;
    while (Date.now() < until) {
      if (client.count('listener') > 0) return true;
      await new Promise((r) => setTimeout(r, 20));
    }
    return false;
  } finally {
    client.close();
  }
}

export async function fuzzAds(address: string, rng: Rng, inputs: number): Promise<TargetReport> {
  const report = newReport('ADS');
  const client = new RawAds(address, grpc.credentials.createInsecure());
  try {
    while (report.inputs < inputs) {
      const batch = Math.min(16, inputs - report.inputs);
      await Promise.all(Array.from({ length: batch }, () => oneStream(client, rng, report)));
    }
  } finally {
    client.close();
  }
  if (!(await greeterServed(address))) report.configLost++;
  return report;
}
