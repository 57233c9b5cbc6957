// The reference of the fan-out benchmark (issue 18): a minimal ADS server (grpc-js, SotW and delta) that
// encodes each resource once and shares the bytes with every stream, run with the same clients and the same
// EndpointSlice change as kxds. A change re-encodes one ClusterLoadAssignment; every subscribed stream gets
// the same response bytes (SotW: only the changed CLA, legal for EDS; delta: only that resource) with its own
// nonce appended. No translation, validation, debounce, snapshots or observers: the floor a control plane
// serving the same bytes could reach on this machine, not a second implementation of kxds.
import * as grpc from '@grpc/grpc-js';
import { KIND_BY_TYPE_URL, TYPE_URLS } from '../../src/xds/types';
import { ADS_SERVICE } from '../../src/server/xds-server';
import type { EndpointSlice } from '../../src/model/k8s';
import { ConvergenceLog } from './convergence-log';
import { readRequest } from './reference-request';
import { benchClusterName, benchSlice } from './fixtures';
import {
  encodeResource,
  referenceCluster,
  referenceLoadAssignment,
  responsePrefix,
  type EncodedResource,
  type ReferenceKind,
} from './reference-resources';
import { ReferenceStream, type ReferenceState } from './reference-stream';

const raw = (b: Buffer): Buffer => b;

export class ReferenceServer implements ReferenceState {
  readonly log = new ConvergenceLog();
  address = '';
  readonly resources: Record<ReferenceKind, Map<string, EncodedResource>> = {
    cluster: new Map(),
    endpoint: new Map(),
  };
  readonly versions: Record<ReferenceKind, number> = { cluster: 1, endpoint: 1 };
  private readonly streams = new Set<ReferenceStream>();
  private readonly server = new grpc.Server({ 'grpc.max_receive_message_length': 64 * 1024 * 1024 });

  /** Serves one cluster and one CLA per benchmark Service (the names the clients subscribe to). */
  constructor(services: number, endpoints: number) {
    for (let i = 0; i < services; i++) {
      const name = benchClusterName(i);
      this.resources.cluster.set(name, encodeResource('cluster', name, '1', referenceCluster(name)));
      this.setLoadAssignment(name, benchSlice(i, endpoints), '1');
    }
  }

  async start(): Promise<void> {
    const method = (name: string): grpc.MethodDefinition<Buffer, Buffer> => ({
      path: `/${ADS_SERVICE}/${name}`,
      requestStream: true,
      responseStream: true,
      requestSerialize: raw,
      requestDeserialize: raw,
      responseSerialize: raw,
      responseDeserialize: raw,
    });
    this.server.addService(
      {
        StreamAggregatedResources: method('StreamAggregatedResources'),
        DeltaAggregatedResources: method('DeltaAggregatedResources'),
      },
      {
        StreamAggregatedResources: (call: grpc.ServerDuplexStream<Buffer, Buffer>) => this.open(call, false),
        DeltaAggregatedResources: (call: grpc.ServerDuplexStream<Buffer, Buffer>) => this.open(call, true),
      },
    );
    const port = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) =>
        err ? reject(err) : resolve(p),
      ),
    );
    this.address = `127.0.0.1:${port}`;
  }

  private open(call: grpc.ServerDuplexStream<Buffer, Buffer>, delta: boolean): void {
    const stream = new ReferenceStream(this, call, delta);
    this.streams.add(stream);
    call.on('data', (bytes: Buffer) => {
      const request = readRequest(bytes, delta);
      const kind = KIND_BY_TYPE_URL.get(request.typeUrl);
      if (kind === 'cluster' || kind === 'endpoint') stream.onRequest(kind, request);
    });
    const close = (): void => void this.streams.delete(stream);
    call.on('end', () => {
      close();
      call.end();
    });
    call.on('error', close);
    call.on('cancelled', close);
  }

  /** Applies an EndpointSlice change at once (no debounce) and pushes it. Returns the change's index. */
  change(slice: EndpointSlice): number {
    const index = this.log.change();
    const service = slice.metadata.labels?.['kubernetes.io/service-name'] ?? '';
    const name = `${slice.metadata.namespace ?? ''}/${service}/80`;
    const version = String(++this.versions.endpoint);
    const resource = this.setLoadAssignment(name, slice, version);
    this.log.build(version);
    const shared = {
      sotw: responsePrefix(version, TYPE_URLS.endpoint, [resource.any], 2),
      delta: responsePrefix(version, TYPE_URLS.endpoint, [resource.deltaResource], 2),
    };
    for (const stream of this.streams) stream.push('endpoint', name, version, shared);
    return index;
  }

  private setLoadAssignment(name: string, slice: EndpointSlice, version: string): EncodedResource {
    const resource = encodeResource('endpoint', name, version, referenceLoadAssignment(name, slice));
    this.resources.endpoint.set(name, resource);
    return resource;
  }

  latencies(change: number): number[] {
    return this.log.latencies(change);
  }

  changeCount(): number {
    return this.log.changeCount();
  }

  waitConverged(change: number, streams: number, timeoutMs: number): Promise<boolean> {
    return this.log.waitConverged(change, streams, timeoutMs);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, 1000);
      this.server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
