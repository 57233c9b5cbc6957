// Server reflection as grpcurl uses it: list the services, resolve every dependency of their files, build
// descriptors on the client side only from what the server sent, and use them to speak ADS and decode a
// Cluster response with its nested Any fields.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as grpc from '@grpc/grpc-js';
import type * as protobuf from 'protobufjs';
import { XdsServer, ADS_SERVICE } from '../../src/server/xds-server';
import { SnapshotCache } from '../../src/xds/cache';
import { groupForNode } from '../../src/server/groups';
import { silentLogger } from '../../src/log';
import { decodeMessage, TO_OBJECT_OPTIONS } from '../../src/xds/encode';
import { ReflectionTestClient } from '../helpers/reflection-client';
import { EDGE_CLUSTER, edgeSnapshot } from '../helpers/edge-fixture';

async function startServer(t: { after(fn: () => Promise<void>): void }) {
  const cache = new SnapshotCache();
  const snapshot = edgeSnapshot();
  cache.setSnapshot(snapshot);
  const server = new XdsServer({ cache, logger: silentLogger, groupOf: groupForNode });
  const port = await server.listen('127.0.0.1:0');
  server.setServing(true);
  t.after(() => server.shutdown(1000));
  return { address: `127.0.0.1:${port}`, snapshot, server };
}

/** Finds Any messages protobufjs could not unpack (their type is not in the root yet). */
function unresolvedAnyTypes(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => unresolvedAnyTypes(v, out));
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.type_url === 'string' && 'value' in o)
      out.add(o.type_url.slice(o.type_url.lastIndexOf('/') + 1));
    Object.values(o).forEach((v) => unresolvedAnyTypes(v, out));
  }
  return out;
}

/** One raw StreamAggregatedResources exchange encoded and decoded only with reflected descriptors. */
function fetchClusters(address: string, root: protobuf.Root): Promise<Buffer> {
  const req = root.lookupType('envoy.service.discovery.v3.DiscoveryRequest');
  const Client = grpc.makeGenericClientConstructor(
    {
      StreamAggregatedResources: {
        path: `/${ADS_SERVICE}/StreamAggregatedResources`,
        requestStream: true,
        responseStream: true,
        requestSerialize: (v: object) => Buffer.from(req.encode(req.fromObject(v)).finish()),
        requestDeserialize: (b: Buffer) => b,
        responseSerialize: (v: unknown) => v as Buffer,
        responseDeserialize: (b: Buffer) => b,
      },
    },
    'ads',
  );
  const client = new Client(address, grpc.credentials.createInsecure());
  const call = (
    client as unknown as { StreamAggregatedResources(): grpc.ClientDuplexStream<object, Buffer> }
  ).StreamAggregatedResources();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no CDS response within 5 s')), 5000);
    call.on('data', (bytes: Buffer) => {
      clearTimeout(timer);
      call.cancel();
      client.close();
      resolve(bytes);
    });
    call.on('error', (err: Error & { code?: number }) => {
      if (err.code !== grpc.status.CANCELLED) reject(err);
    });
    call.write({
      node: { id: 'x', metadata: { fields: { 'kxds.io/role': { string_value: 'edge' } } } },
      type_url: 'type.googleapis.com/envoy.config.cluster.v3.Cluster',
    });
  });
}

test('reflection lists services, serves every dependency, and its descriptors decode a real CDS response', async (t) => {
  const { address, snapshot } = await startServer(t);
  const client = new ReflectionTestClient(address);
  t.after(() => client.close());

  const services = await client.listServices();
  for (const name of [
    ADS_SERVICE,
    'grpc.health.v1.Health',
    'grpc.reflection.v1.ServerReflection',
    'grpc.reflection.v1alpha.ServerReflection',
  ])
    assert.ok(services.includes(name), `list_services has ${name}: ${services.join(', ')}`);

  for (const service of services) {
    const files = await client.fileContainingSymbol(service);
    assert.ok(files.length > 0, `a file for ${service}`);
  }
  await client.resolveDependencies();
  assert.deepEqual(client.missingDependencies(), []);
  // The ADS file declares its real imports, not a merged blob.
  assert.ok(client.files.has('envoy/service/discovery/v3/ads.proto'));
  assert.ok(
    client
      .dependenciesOf('envoy/service/discovery/v3/ads.proto')
      .includes('envoy/service/discovery/v3/discovery.proto'),
  );

  let root = client.buildRoot();
  const response = await fetchClusters(address, root);
  const responseType = () => root.lookupType('envoy.service.discovery.v3.DiscoveryResponse');
  let decoded = responseType().toObject(responseType().decode(response), TO_OBJECT_OPTIONS);
  // Like grpcurl: look up each Any type the response carries until everything is unpacked.
  for (let round = 0; round < 5; round++) {
    const missing = unresolvedAnyTypes(decoded);
    if (missing.size === 0) break;
    for (const typeName of missing) await client.fileContainingSymbol(typeName);
    await client.resolveDependencies();
    root = client.buildRoot();
    decoded = responseType().toObject(responseType().decode(response), TO_OBJECT_OPTIONS);
  }
  assert.deepEqual([...unresolvedAnyTypes(decoded)], [], 'every nested Any resolved through reflection');
  const resources = decoded.resources as Record<string, unknown>[];
  assert.equal(resources.length, 1);
  const served = snapshot.types.cluster.resources.get(EDGE_CLUSTER);
  assert.ok(served);
  assert.deepEqual(resources[0], {
    '@type': 'type.googleapis.com/envoy.config.cluster.v3.Cluster',
    ...decodeMessage('envoy.config.cluster.v3.Cluster', served.messageBytes),
  });
  const options = (
    resources[0] as unknown as { typed_extension_protocol_options: Record<string, { '@type': string }> }
  ).typed_extension_protocol_options['envoy.extensions.upstreams.http.v3.HttpProtocolOptions'];
  assert.equal(
    options?.['@type'],
    'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
  );
});

test('reflection answers extension questions and reports unknown names as NOT_FOUND', async (t) => {
  const { address } = await startServer(t);
  const client = new ReflectionTestClient(address);
  t.after(() => client.close());

  const numbers = await client.ask({ all_extension_numbers_of_type: 'google.protobuf.FieldOptions' });
  const list = numbers.all_extension_numbers_response as {
    base_type_name: string;
    extension_number: number[];
  };
  assert.equal(list.base_type_name, 'google.protobuf.FieldOptions');
  assert.ok(list.extension_number.includes(1071), 'validate.rules is extension 1071 of FieldOptions');

  const files = await client.ask({
    file_containing_extension: { containing_type: 'google.protobuf.FieldOptions', extension_number: 1071 },
  });
  const fds = (files.file_descriptor_response as { file_descriptor_proto: Uint8Array[] })
    .file_descriptor_proto;
  assert.ok(fds.length > 1, 'validate.proto and its dependencies');
  await client.fileContainingSymbol('validate.FieldRules');
  assert.ok(client.files.has('validate/validate.proto'));

  for (const request of [
    { file_containing_symbol: 'no.such.Thing' },
    { file_by_filename: 'no/such.proto' },
    { all_extension_numbers_of_type: 'no.such.Message' },
    { file_containing_extension: { containing_type: 'google.protobuf.FieldOptions', extension_number: 5 } },
  ]) {
    const r = await client.ask(request);
    const err = r.error_response as { error_code: number; error_message: string } | undefined;
    assert.equal(err?.error_code, grpc.status.NOT_FOUND, JSON.stringify(request));
    assert.match(err.error_message, /not found/);
  }
});
