// One ADS stream of the reference server (reference-server.ts), SotW or delta: what the client subscribed
// to per type, the nonce last sent, and for delta the version each nonce carried (a delta ACK names only
// its nonce). Responses are the server's shared bytes plus this stream's nonce.
import * as protobuf from 'protobufjs';
import type * as grpc from '@grpc/grpc-js';
import { TYPE_URLS } from '../../src/xds/types';
import type { ConvergenceLog } from './convergence-log';
import { decodeNames, type RequestFields } from './reference-request';
import { responsePrefix, type EncodedResource, type ReferenceKind } from './reference-resources';

/** What a stream needs of its server. */
export interface ReferenceState {
  readonly log: ConvergenceLog;
  readonly resources: Record<ReferenceKind, Map<string, EncodedResource>>;
  readonly versions: Record<ReferenceKind, number>;
}

interface TypeState {
  /** undefined: wildcard. */
  names: Set<string> | undefined;
  /** The raw name bytes of the last request (SotW), to tell an unchanged list without decoding it. */
  namesBytes: Buffer;
  nonce: string;
}

export class ReferenceStream {
  private id = '';
  private nonces = 0;
  private readonly types = new Map<ReferenceKind, TypeState>();
  /** Delta: nonce -> the system version it carried. */
  private readonly deltaVersions = new Map<string, string>();

  constructor(
    private readonly server: ReferenceState,
    private readonly call: grpc.ServerDuplexStream<Buffer, Buffer>,
    private readonly delta: boolean,
  ) {}

  onRequest(kind: ReferenceKind, request: RequestFields): void {
    if (!this.id) this.id = request.nodeId;
    const state = this.types.get(kind);
    if (this.delta) return this.onDelta(kind, request, state);
    if (state && request.nonce !== state.nonce) return; // stale: an answer to an older response
    if (state && request.nonce && !request.error && kind === 'endpoint')
      this.server.log.ack(this.id, request.version);
    if (state && state.namesBytes.equals(request.names)) return;
    const requested = decodeNames(request.names);
    const names = requested.length > 0 ? new Set(requested) : undefined;
    this.types.set(kind, { names, namesBytes: Buffer.from(request.names), nonce: state?.nonce ?? '' });
    this.sendAll(kind, names);
  }

  private onDelta(kind: ReferenceKind, request: RequestFields, state: TypeState | undefined): void {
    const acked = request.nonce ? this.deltaVersions.get(request.nonce) : undefined;
    if (acked !== undefined) {
      this.deltaVersions.delete(request.nonce);
      if (!request.error && kind === 'endpoint') this.server.log.ack(this.id, acked);
    }
    if (request.names.length === 0) return;
    const subscribe = decodeNames(request.names);
    const wildcard = subscribe.includes('*');
    const names = wildcard ? undefined : new Set([...(state?.names ?? []), ...subscribe]);
    this.types.set(kind, { names, namesBytes: request.names, nonce: state?.nonce ?? '' });
    this.sendAll(kind, wildcard ? undefined : new Set(subscribe));
  }

  /** The current resources of a kind (all, or the named ones that exist), encoded for this stream. */
  private sendAll(kind: ReferenceKind, names: Set<string> | undefined): void {
    const all = this.server.resources[kind];
    const picked = names ? [...names].flatMap((n) => all.get(n) ?? []) : [...all.values()];
    const version = String(this.server.versions[kind]);
    const bytes = picked.map((r) => (this.delta ? r.deltaResource : r.any));
    this.send(kind, version, responsePrefix(version, TYPE_URLS[kind], bytes, 2));
  }

  /** A changed resource: sent if this stream subscribed to it. */
  push(kind: ReferenceKind, name: string, version: string, shared: { sotw: Buffer; delta: Buffer }): void {
    const state = this.types.get(kind);
    if (!state || (state.names && !state.names.has(name))) return;
    this.send(kind, version, this.delta ? shared.delta : shared.sotw);
  }

  private send(kind: ReferenceKind, version: string, prefix: Buffer): void {
    const nonce = String(++this.nonces);
    const state = this.types.get(kind);
    if (state) state.nonce = nonce;
    if (this.delta) this.deltaVersions.set(nonce, version);
    const tail = protobuf.Writer.create().uint32(42).string(nonce).finish();
    this.call.write(Buffer.concat([prefix, tail]));
  }
}
