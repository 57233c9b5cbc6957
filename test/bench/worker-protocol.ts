// Messages between a benchmark scenario and its client worker processes.
export type Protocol = 'sotw' | 'delta';

export type WorkerCommand =
  | {
      type: 'open';
      address: string;
      protocol: Protocol;
      role: string;
      nodePrefix: string;
      firstIndex: number;
      count: number;
      /** EDS names each stream subscribes to (CDS is always a wildcard; none: no EDS subscription). */
      edsNames: string[];
      /** RDS names each stream subscribes to; when given, a stream is ready at its first RDS response. */
      routeNames?: string[];
      /** SotW: subscribe to the EDS of every cluster CDS sends, as Envoy does (replaces edsNames). */
      followClusters?: boolean;
      /** Extra node metadata (e.g. kxds.io/gateway). */
      metadata?: Record<string, string>;
    }
  | { type: 'stats' }
  | { type: 'reset' }
  | { type: 'close' };

export interface WorkerStats {
  streams: number;
  /** Streams that received their first EDS response (RDS when they subscribe to routes). */
  ready: number;
  responses: number;
  /** Protobuf bytes of every response received. */
  bytes: number;
  errors: number;
  /** The first few distinct stream error messages, for the report. */
  errorMessages: string[];
}

export type WorkerReply = { type: 'stats'; stats: WorkerStats } | { type: 'reset-done' };
