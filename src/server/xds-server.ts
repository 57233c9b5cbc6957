// The gRPC server on the xDS port: ADS (state of the world and incremental), gRPC health and server
// reflection. It owns the streams; protocol decisions live in SotwStream/DeltaStream, snapshots in the cache.
import * as grpc from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import type { Logger } from '../log';
import { GroupLimitError, type SnapshotCache } from '../xds/cache';
import { ROOT_PROTO_FILES } from '../xds/protos';
import type { DiscoveryRequest, OutgoingResponse } from './discovery-codec';
import { decodeDiscoveryRequest, encodeDiscoveryResponse } from './discovery-codec';
import type { GroupOf, XdsNode } from './node';
import { nodeGroupKey } from '../xds/node-group';
import { clip, type AccessPolicy } from './authorize';
import { streamAccess } from './stream-access';
import { identityLabel } from './identity';
import { SotwStream, type StreamEvents } from './sotw-stream';
import type { DeltaDiscoveryRequest, OutgoingDeltaResponse } from './delta-codec';
import { decodeDeltaDiscoveryRequest, encodeDeltaDiscoveryResponse } from './delta-codec';
import { DeltaStream } from './delta-stream';
import { ReflectionService, serviceNameOf } from './reflection/reflection-service';
import { clientOfStream, type ConnectedClient, type XdsStreamLike } from './client-status';
import { StreamRegistry } from './stream-registry';
import { LogThrottle } from '../log-throttle';
import {
  DEFAULT_CONNECTION_LIMITS,
  grpcServerOptions,
  StreamAdmission,
  type ConnectionLimits,
} from './connection-limits';

export const ADS_SERVICE = 'envoy.service.discovery.v3.AggregatedDiscoveryService';
export const HEALTH_SERVICE = 'grpc.health.v1.Health';

export interface XdsServerOptions {
  cache: SnapshotCache;
  logger: Logger;
  groupOf: GroupOf;
  events?: StreamEvents;
  /** Where streams register once they named their node; shared when several servers feed one observer. */
  registry?: StreamRegistry;
  /** Extra services on the same port (CSDS, ...). */
  extraServices?: { definition: grpc.ServiceDefinition; implementation: grpc.UntypedServiceImplementation }[];
  credentials?: grpc.ServerCredentials;
  /** What one client may cost (message size, streams, connection age, new-stream rate); see connection-limits. */
  limits?: Partial<ConnectionLimits>;
  /** Server reflection (default on). Off on the proxyless port, which describes nothing but what it serves. */
  reflection?: boolean;
  /** Who may be served as which node (default STRICT_ACCESS: plaintext loopback peers only). */
  access?: AccessPolicy;
}

const adsDefinition: grpc.ServiceDefinition = {
  StreamAggregatedResources: {
    path: `/${ADS_SERVICE}/StreamAggregatedResources`,
    requestStream: true,
    responseStream: true,
    requestSerialize: () => Buffer.alloc(0),
    requestDeserialize: (bytes: Buffer): DiscoveryRequest => decodeDiscoveryRequest(bytes),
    responseSerialize: (response: OutgoingResponse): Buffer => encodeDiscoveryResponse(response),
    responseDeserialize: (bytes: Buffer) => bytes,
  },
  // Incremental xDS: same service, resources as pre-encoded envoy.service.discovery.v3.Resource messages.
  DeltaAggregatedResources: {
    path: `/${ADS_SERVICE}/DeltaAggregatedResources`,
    requestStream: true,
    responseStream: true,
    requestSerialize: () => Buffer.alloc(0),
    requestDeserialize: (bytes: Buffer): DeltaDiscoveryRequest => decodeDeltaDiscoveryRequest(bytes),
    responseSerialize: (response: OutgoingDeltaResponse): Buffer => encodeDeltaDiscoveryResponse(response),
    responseDeserialize: (bytes: Buffer) => bytes,
  },
};

export class XdsServer {
  readonly server: grpc.Server;
  readonly health = new HealthImplementation({ '': 'NOT_SERVING', [ADS_SERVICE]: 'NOT_SERVING' });
  /** Server reflection with per-file descriptors (grpcurl, buf curl); parses the protos on first use. */
  readonly reflection?: ReflectionService;
  /** The streams that named their node, by NodeInfo and group (observers look one stream up per event). */
  readonly registry: StreamRegistry;
  private readonly streams = new Set<SotwStream>();
  private readonly deltaStreams = new Set<DeltaStream>();
  private readonly calls = new Set<grpc.ServerDuplexStream<unknown, unknown>>();
  /** The call behind each open stream, so a stream can be ended from outside (regroup). */
  private readonly callOf = new Map<XdsStreamLike, grpc.ServerDuplexStream<unknown, unknown>>();
  /** Who each stream was authenticated as (see identity.ts), for operators. */
  private readonly identities = new WeakMap<object, string>();
  private readonly admission: StreamAdmission;
  /** One refusal line a second at most: a reconnect storm must not become a log storm. */
  private readonly refusalLog = new LogThrottle(1000);
  private port = 0;

  constructor(private readonly options: XdsServerOptions) {
    this.registry = options.registry ?? new StreamRegistry((group) => options.cache.getSnapshot(group));
    const limits = { ...DEFAULT_CONNECTION_LIMITS, ...options.limits };
    this.server = new grpc.Server(grpcServerOptions(limits));
    this.admission = new StreamAdmission(limits.newStreamsPerSecond, limits.newStreamsBurst);
    this.server.addService(adsDefinition, {
      StreamAggregatedResources: (call: grpc.ServerDuplexStream<DiscoveryRequest, OutgoingResponse>) => {
        if (this.admit(call)) this.onAdsStream(call);
      },
      DeltaAggregatedResources: (
        call: grpc.ServerDuplexStream<DeltaDiscoveryRequest, OutgoingDeltaResponse>,
      ) => {
        if (this.admit(call)) this.onDeltaStream(call);
      },
    });
    for (const extra of options.extraServices ?? [])
      this.server.addService(extra.definition, extra.implementation);
    this.health.addToServer(this.server);
    const services = [
      ADS_SERVICE,
      HEALTH_SERVICE,
      ...(options.extraServices ?? []).flatMap((s) => serviceNameOf(s.definition) ?? []),
    ];
    if (options.reflection ?? true) {
      this.reflection = new ReflectionService({ services: () => services, protoFiles: ROOT_PROTO_FILES });
      this.reflection.addToServer(this.server);
    }
  }

  /** Binds HOST:PORT (port 0 picks one); returns the bound port. */
  async listen(address: string): Promise<number> {
    const credentials = this.options.credentials ?? grpc.ServerCredentials.createInsecure();
    this.port = await new Promise<number>((resolve, reject) =>
      this.server.bindAsync(address, credentials, (err, port) => (err ? reject(err) : resolve(port))),
    );
    return this.port;
  }

  setServing(serving: boolean): void {
    const status = serving ? 'SERVING' : 'NOT_SERVING';
    this.health.setStatus('', status);
    this.health.setStatus(ADS_SERVICE, status);
  }

  activeStreams(): readonly SotwStream[] {
    return [...this.streams];
  }

  /** Open incremental streams; their status() has the same TypeStatus shape (see DeltaTypeStatus). */
  activeDeltaStreams(): readonly DeltaStream[] {
    return [...this.deltaStreams];
  }

  /** Every client that has sent its first request, in one protocol-neutral shape (CSDS, admin, UI). */
  connectedClients(): ConnectedClient[] {
    const snapshotOf = (group: string) => this.options.cache.getSnapshot(group);
    const withIdentity = (stream: object, client: ConnectedClient | undefined): ConnectedClient[] => {
      if (!client) return [];
      const identity = this.identities.get(stream);
      return [identity ? { ...client, identity } : client];
    };
    return [
      ...[...this.streams].flatMap((stream) => withIdentity(stream, clientOfStream(stream, snapshotOf))),
      ...[...this.deltaStreams].flatMap((stream) =>
        withIdentity(stream, clientOfStream(stream, snapshotOf, 'delta')),
      ),
    ];
  }

  /**
   * Ends, with UNAVAILABLE, every stream whose node would now be served from another group (the model
   * moved it: see caller-groups.ts). gRPC clients keep their config and reconnect at once; the new stream
   * watches the right group. Returns how many streams were ended.
   */
  regroup(): number {
    let ended = 0;
    for (const [stream, call] of this.callOf) {
      const info = stream.info;
      if (!info || nodeGroupKey(this.options.groupOf(info)) === info.groupKey) continue;
      ended++;
      this.options.logger.info(
        { node: clip(info.id), group: clip(info.groupKey) },
        'xDS stream ended: its node now belongs to another group',
      );
      call.emit('error', { code: grpc.status.UNAVAILABLE, details: 'node group changed; reconnect' });
    }
    return ended;
  }

  /** Stops accepting, ends every stream (clients reconnect to another replica), waits up to timeoutMs. */
  async shutdown(timeoutMs = 5000): Promise<void> {
    this.setServing(false);
    for (const call of this.calls) call.end();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, timeoutMs);
      timer.unref();
      this.server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** The new-stream rate limit: a stream over it ends at once with RESOURCE_EXHAUSTED, before any work. */
  private admit(call: grpc.ServerDuplexStream<unknown, unknown>): boolean {
    if (this.admission.tryTake()) return true;
    const details = this.admission.describe();
    const verdict = this.refusalLog.admit('new-stream rate');
    if (verdict.write)
      this.options.logger.warn(
        { peer: call.getPeer(), suppressed: verdict.suppressed },
        `xDS stream refused: ${details}`,
      );
    call.emit('error', { code: grpc.status.RESOURCE_EXHAUSTED, details });
    return false;
  }

  private onAdsStream(call: grpc.ServerDuplexStream<DiscoveryRequest, OutgoingResponse>): void {
    const stream = new SotwStream(
      sinkOf(call),
      this.options.cache,
      this.options.groupOf,
      this.options.events,
    );
    this.serve(call, stream, this.streams, 'sotw', 'ADS stream', 'DiscoveryRequest');
  }

  private onDeltaStream(call: grpc.ServerDuplexStream<DeltaDiscoveryRequest, OutgoingDeltaResponse>): void {
    const stream = new DeltaStream(
      sinkOf(call),
      this.options.cache,
      this.options.groupOf,
      this.options.events,
    );
    this.serve(call, stream, this.deltaStreams, 'delta', 'delta ADS stream', 'DeltaDiscoveryRequest');
  }

  /**
   * Feeds a call's requests to its protocol stream and cleans up once, however the call ends. The first
   * request names the node: unless the peer's identity may be served as that node, the call ends with
   * PERMISSION_DENIED before the stream sees anything.
   */
  private serve<Req extends { node?: XdsNode }, Res, S extends ProtocolStream<Req>>(
    call: grpc.ServerDuplexStream<Req, Res>,
    stream: S,
    open: Set<S>,
    protocol: ConnectedClient['protocol'],
    what: string,
    requestName: string,
  ): void {
    const log = this.options.logger;
    const peer = call.getPeer();
    open.add(stream);
    this.calls.add(call as grpc.ServerDuplexStream<unknown, unknown>);
    this.callOf.set(stream, call as grpc.ServerDuplexStream<unknown, unknown>);
    let opened = false;
    let access: 'unchecked' | 'allowed' | 'refused' = 'unchecked';
    const finish = (reason: string): void => {
      if (!open.delete(stream)) return;
      this.calls.delete(call as grpc.ServerDuplexStream<unknown, unknown>);
      this.callOf.delete(stream);
      stream.close();
      this.registry.closed(stream);
      log.info({ peer, node: clipped(stream.info?.id), role: stream.info?.role, reason }, `${what} closed`);
    };
    call.on('data', (request: Req) => {
      if (access === 'refused') return;
      if (access === 'unchecked') {
        const { identity, refusal } = streamAccess(call, request.node, {
          groupOf: this.options.groupOf,
          access: this.options.access,
          logger: log,
          what,
        });
        access = refusal ? 'refused' : 'allowed';
        this.identities.set(stream, identityLabel(identity));
        if (refusal) {
          finish('permission denied');
          call.emit('error', refusal);
          return;
        }
      }
      try {
        stream.handleRequest(request);
        if (!opened && stream.info) {
          opened = true;
          this.registry.opened(stream, protocol);
          log.info(
            { peer, node: clip(stream.info.id), role: stream.info.role, group: clip(stream.info.groupKey) },
            `${what} opened`,
          );
        }
      } catch (err) {
        if (err instanceof GroupLimitError) {
          // Refused, not kept: the stream would never get config. The client retries with backoff.
          log.warn(
            { peer, node: clipped(stream.info?.id), group: clip(err.group), limit: err.limit },
            'node group refused',
          );
          call.emit('error', { code: grpc.status.RESOURCE_EXHAUSTED, details: err.message });
          return;
        }
        log.error(
          { err, peer, node: clipped(stream.info?.id) },
          `error handling a ${requestName}; stream kept`,
        );
      }
    });
    call.on('end', () => {
      finish('client ended the stream');
      call.end();
    });
    call.on('cancelled', () => finish('cancelled'));
    call.on('error', (err) => finish(`error: ${err.message}`));
  }
}

/** What serve() needs of a SotW or delta stream. */
interface ProtocolStream<Req> extends XdsStreamLike {
  handleRequest(request: Req): void;
  close(): void;
}

const clipped = (text: string | undefined): string | undefined =>
  text === undefined ? undefined : clip(text);

function sinkOf<Res>(call: grpc.ServerDuplexStream<unknown, Res>) {
  return {
    write: (response: Res) => call.write(response),
    onDrain: (listener: () => void) => void call.on('drain', listener),
  };
}
