// The Envoy test double: a process-local proxy that takes its whole configuration from kxds over ADS as an
// edge Envoy (or, with sidecar node metadata, a sidecar) does (SotW, ACK/NACK, LDS+CDS wildcard then
// RDS/EDS/SDS); connections iptables would redirect to a sidecar are made with dialRedirected, checks every resource with the
// repo's Envoy validator before applying it, and serves real loopback listeners with Envoy's routing
// semantics, for tests of the edge where no `envoy` binary can run. See docs/testing.md "Test doubles" for exactly
// what it implements; it refuses (NACKs, and ready() rejects) config it does not implement rather than
// ignoring it, so a passing test never rests on a silently skipped field.
//
// Deliberately not done (a real Envoy does): HTTP filters other than the router (CORS, rate limits,
// gRPC-Web are accepted only as no-ops), retries, hash policies and other balancers (round robin only),
// locality weights and priorities, health checks, outlier detection, circuit breakers, websockets and other
// upgrades, header formatters (%...%), access logs, partial acceptance of a half-bad LDS/CDS response, and
// listener draining (a removed listener's connections are closed at once).
import * as grpc from '@grpc/grpc-js';
import { buildBootstrap } from '../../src/bootstrap';
import { structToJson, type StructMessage } from '../../src/xds/struct';
import { AdsTestClient } from '../helpers/ads-client';
import { ConfigStore } from './config-store';
import { RoundRobin } from './endpoints';
import { proxyHandler } from './http-proxy';
import { ListenerManager } from './listener-manager';
import { proxyTcp } from './tcp-proxy';
import { UpstreamPool } from './upstream-pool';
import { XdsSession, type Nack } from './xds-session';
import { OriginalDestinations, type Destination } from './original-dst';
import type * as net from 'node:net';

export type { Nack } from './xds-session';

export interface EnvoyDoubleOptions {
  /** HOST:PORT of kxds's xDS port. */
  xdsAddress: string;
  /** Overrides of the edge bootstrap's node (id kxds-edge, metadata kxds.io/role: edge); metadata is merged. */
  node?: { id?: string; cluster?: string; metadata?: Record<string, unknown> };
  credentials?: grpc.ChannelCredentials;
  /** Declared listener port -> the loopback port to bind (default: a free one). */
  portMap?: Readonly<Record<number, number>>;
  /** The draw behind weighted clusters and runtime fractions, in [0, 1) (default Math.random). */
  random?: () => number;
}

export interface EnvoyDouble {
  /** Resolves once every listener is bound and every referenced resource is accepted; rejects on a NACK. */
  ready(timeoutMs?: number): Promise<void>;
  /** The loopback port serving the listener Envoy would bind on `listenerPort`. */
  port(listenerPort: number): number;
  /** The loopback port serving the UDP listener Envoy would bind on `listenerPort`. */
  udpPort(listenerPort: number): number;
  /**
   * A connection to the listener declared on `listenerPort` as iptables would hand it over: its original
   * destination is `destination` (what the original_dst listener filter restores).
   */
  dialRedirected(listenerPort: number, destination: Destination): Promise<net.Socket>;
  lastNack(): Nack | undefined;
  /** Every NACK sent so far, oldest first. */
  nacks(): readonly Nack[];
  close(): Promise<void>;
}

export async function startEnvoyDouble(options: EnvoyDoubleOptions): Promise<EnvoyDouble> {
  const config = new ConfigStore();
  const pool = new UpstreamPool();
  const roundRobin = new RoundRobin();
  const random = options.random ?? Math.random;
  const originals = new OriginalDestinations();
  const listeners = new ListenerManager(
    config,
    proxyHandler({ config, pool, roundRobin, random }),
    (downstream, proxy, original) => proxyTcp(downstream, proxy, { config, roundRobin, random }, original),
    originals,
    options.portMap,
    { config, roundRobin },
  );
  // The node exactly as `kxds bootstrap --role edge` writes it, plus what Envoy adds itself (user agent).
  const bootstrapNode = buildBootstrap({
    role: 'edge',
    xdsServer: options.xdsAddress,
    nodeId: options.node?.id,
  }).node;
  const node = {
    id: bootstrapNode?.id,
    cluster: options.node?.cluster ?? bootstrapNode?.cluster,
    user_agent_name: 'envoy',
    metadata: {
      ...structToJson((bootstrapNode?.metadata ?? undefined) as StructMessage | undefined),
      ...options.node?.metadata,
    },
  };
  const client = new AdsTestClient(options.xdsAddress, node, options.credentials);
  const changed: (() => void)[] = [];
  const notify = (): void => changed.splice(0).forEach((f) => f());
  const session = new XdsSession(client, config, () => void listeners.reconcile().then(notify, notify));
  session.start();

  const problem = (): string | undefined => {
    const nack = session.standingNacks()[0];
    if (nack)
      return `envoy-double refused ${nack.kind} version ${nack.versionInfo || '(first)'}: ${nack.message}`;
    if (client.error) return `ADS stream failed: ${client.error.message}`;
    const bindError = listeners.bindError();
    return bindError ? `envoy-double could not bind ${bindError}` : undefined;
  };
  const waiting = (): string | undefined => {
    if (!session.started) return 'LDS and CDS not both accepted yet';
    const missing = config.missing();
    if (missing.length > 0) return `still waiting for ${missing.join(', ')}`;
    return listeners.allBound() ? undefined : 'listeners not bound yet';
  };

  return {
    async ready(timeoutMs = 15_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const refused = problem();
        if (refused) throw new Error(refused);
        const wait = waiting();
        if (!wait) return;
        const left = until - Date.now();
        if (left <= 0) throw new Error(`envoy-double not ready within ${timeoutMs} ms: ${wait}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(left, 200));
          changed.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    port(listenerPort) {
      const port = listeners.port(listenerPort);
      if (port === undefined) throw new Error(`envoy-double has no listener on port ${listenerPort}`);
      return port;
    },
    udpPort(listenerPort) {
      const port = listeners.port(listenerPort, true);
      if (port === undefined) throw new Error(`envoy-double has no UDP listener on port ${listenerPort}`);
      return port;
    },
    dialRedirected(listenerPort, destination) {
      const port = listeners.port(listenerPort);
      if (port === undefined) throw new Error(`envoy-double has no listener on port ${listenerPort}`);
      return originals.dial(port, destination);
    },
    lastNack: () => session.nacks.at(-1),
    nacks: () => session.nacks,
    async close() {
      client.close();
      await listeners.close();
      pool.close();
    },
  };
}
