// What one xDS client may cost the server: message size, streams per connection, connection age, the rate of
// new streams. One place turns them into grpc-js server options; the new-stream limit is a token bucket the
// server asks before it opens a stream (grpc-js has no such option).
import type { ChannelOptions } from '@grpc/grpc-js';

export interface ConnectionLimits {
  /**
   * Largest request accepted, checked on the 5-byte gRPC frame header before the body is buffered. A delta
   * reconnect of 20,000 resources (initial_resource_versions + resource_names_subscribe) measured 2.2 MiB:
   * 8 MiB leaves room for about 70,000 while 16 streams x 8 MiB bounds one connection to 128 MiB.
   */
  maxReceiveMessageBytes: number;
  /**
   * HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS. Envoy opens one ADS stream; a gRPC process shares one connection
   * among all its xDS streams (ADS per bootstrap, LRS), which 4 proved too few for in grpc-js-xds tests.
   */
  maxConcurrentStreams: number;
  /** After this the server sends GOAWAY, so proxies reconnect and spread over replicas (0: never). */
  maxConnectionAgeMs: number;
  /** How long open streams may go on after that GOAWAY before the connection is closed. */
  maxConnectionAgeGraceMs: number;
  /** New ADS streams per second across the port; past that (and the burst) RESOURCE_EXHAUSTED (0: no limit). */
  newStreamsPerSecond: number;
  /** New streams accepted at once above the rate (a replica restart reconnects many proxies together). */
  newStreamsBurst: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = {
  maxReceiveMessageBytes: 8 * 1024 * 1024,
  maxConcurrentStreams: 16,
  maxConnectionAgeMs: 30 * 60_000,
  maxConnectionAgeGraceMs: 60_000,
  newStreamsPerSecond: 50,
  newStreamsBurst: 100,
};

/**
 * grpc-js server options for the limits. The server pings every 30 s and drops a peer that does not answer
 * in 10 s (dead proxies behind a NAT). grpc-js has no server-side enforcement of a client's ping rate
 * (no GOAWAY too_many_pings); Node's HTTP/2 layer (nghttp2) ends a session that floods pings.
 */
export function grpcServerOptions(limits: ConnectionLimits): ChannelOptions {
  return {
    'grpc.max_receive_message_length': limits.maxReceiveMessageBytes,
    'grpc.max_concurrent_streams': limits.maxConcurrentStreams,
    ...(limits.maxConnectionAgeMs > 0
      ? {
          'grpc.max_connection_age_ms': limits.maxConnectionAgeMs,
          'grpc.max_connection_age_grace_ms': limits.maxConnectionAgeGraceMs,
        }
      : {}),
    'grpc.keepalive_time_ms': 30_000,
    'grpc.keepalive_timeout_ms': 10_000,
  };
}

/** A token bucket: `rate` tokens a second up to `burst`; tryTake() spends one if there is one. */
export class StreamAdmission {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  tryTake(): boolean {
    if (this.rate <= 0) return true;
    const now = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  describe(): string {
    return `more than ${this.rate} new xDS streams a second (burst ${this.burst}); retry with backoff`;
  }
}
