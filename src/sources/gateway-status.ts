// Writes Gateway API status subresources (GatewayClass, Gateway, ListenerSet, HTTPRoute, GRPCRoute,
// BackendTLSPolicy...) from each build's computed statuses, only while this replica is the leader:
// - only what changed: a status whose computed form equals the one last confirmed is not even read; one that
//   differs is read fresh, merged (status-merge.ts: lastTransitionTime kept while a condition holds, other
//   controllers' route parents and policy ancestors kept) and written only if the merge differs from what
//   is stored, so kxds' own writes (which come back as updates and rebuild) end in a pass that writes nothing;
// - observedGeneration exact: a status computed for another generation than the object has now is not
//   written (the build for the new generation follows);
// - a conflict (409: someone wrote in between) is retried with a fresh read; other failures are retried with
//   backoff on the next pass;
// - a route or policy that no longer has a parent of ours loses our entries (others' stay).
// Becoming leader forgets what was confirmed, so a new leader checks everything once.
import { combineLatest, type Observable, type Subscription } from 'rxjs';
import { silentLogger, type Logger } from '../log';
import { GATEWAY_API_GROUP, GATEWAY_API_KINDS } from '../model/gateway-api';
import type { GatewayApiStatus } from '../frontends/gateway/contract';
import { mergeGatewayStatus, statusEqual } from '../frontends/gateway/status-merge';
import { Backoff, type BackoffOptions } from './backoff';
import { SerialPasses } from './serial-passes';
import { KubeApiError, type KubeClient } from './kube-client';

export interface GatewayStatusOptions {
  client: KubeClient;
  statuses$: Observable<readonly GatewayApiStatus[]>;
  isLeader$: Observable<boolean>;
  logger?: Logger;
  backoff?: BackoffOptions;
  /** The clock for lastTransitionTime (tests). */
  now?: () => Date;
  /** status.addresses of a Gateway "NS/NAME" kxds provisioned (the provisioner knows its Service). */
  addresses?: (gateway: string) => readonly { type: string; value: string }[] | undefined;
}

export interface GatewayStatusCounters {
  passes: number;
  writes: number;
  /** Read, and already as computed: no write. */
  unchanged: number;
  /** Computed for another generation than the object has now: left for the next build. */
  stale: number;
  conflicts: number;
  failures: number;
}

interface ApiObject {
  metadata: { name: string; namespace?: string; generation?: number; resourceVersion?: string };
  status?: Record<string, unknown>;
}

const MAX_CONFLICT_RETRIES = 5;
/** Kinds whose status lists entries per controller: when we compute nothing for one, ours are removed. */
const SHARED_STATUS_KINDS = new Set([
  'HTTPRoute',
  'GRPCRoute',
  'TLSRoute',
  'TCPRoute',
  'UDPRoute',
  'BackendTLSPolicy',
]);

const keyOf = (s: Pick<GatewayApiStatus, 'kind' | 'namespace' | 'name'>) =>
  `${s.kind}/${s.namespace ?? ''}/${s.name}`;

export class GatewayStatusWriter {
  readonly counters: GatewayStatusCounters = {
    passes: 0,
    writes: 0,
    unchanged: 0,
    stale: 0,
    conflicts: 0,
    failures: 0,
  };
  private readonly log: Logger;
  private readonly backoff: Backoff;
  private subscription?: Subscription;
  private statuses: readonly GatewayApiStatus[] = [];
  private leader = false;
  /** key -> the computed status (canonical JSON) last confirmed as written. */
  private readonly confirmed = new Map<string, string>();
  private retryTimer?: NodeJS.Timeout;
  private readonly passes = new SerialPasses(() => this.pass());

  constructor(private readonly options: GatewayStatusOptions) {
    this.log = (options.logger ?? silentLogger).child({ component: 'gateway-status' });
    this.backoff = new Backoff(options.backoff);
  }

  start(): void {
    this.subscription = combineLatest([this.options.statuses$, this.options.isLeader$]).subscribe({
      next: ([statuses, leader]) => {
        if (leader && !this.leader) this.confirmed.clear();
        this.statuses = statuses;
        this.leader = leader;
        if (!leader) clearTimeout(this.retryTimer);
        this.requestPass();
      },
      error: (err: unknown) =>
        this.log.error({ err }, 'Gateway status input failed; status is no longer written'),
    });
  }

  async stop(): Promise<void> {
    this.subscription?.unsubscribe();
    clearTimeout(this.retryTimer);
    await this.passes.stop();
  }

  /** Runs a pass with the current statuses (the provisioner's addresses changed). */
  refresh(): void {
    this.requestPass();
  }

  /** Resolves when no pass is running or queued. */
  async idle(): Promise<void> {
    await this.passes.idle();
  }

  private requestPass(): void {
    this.passes.request();
  }

  private async pass(): Promise<void> {
    if (!this.leader) return;
    this.counters.passes++;
    const wanted = new Map(this.statuses.map((s) => [keyOf(s), this.withAddresses(s)]));
    // Routes and policies we wrote for and compute nothing for now: our entries go.
    for (const key of this.confirmed.keys()) {
      const [kind = '', namespace = '', name = ''] = key.split('/');
      if (wanted.has(key) || !SHARED_STATUS_KINDS.has(kind)) continue;
      const list = kind === 'BackendTLSPolicy' ? 'ancestors' : 'parents';
      wanted.set(key, {
        kind: kind as GatewayApiStatus['kind'],
        namespace,
        name,
        generation: -1,
        status: { [list]: [] },
      });
    }
    let failed = 0;
    for (const [key, status] of wanted) {
      if (!this.leader || this.passes.isStopped) return;
      const computed = JSON.stringify(status.status);
      if (this.confirmed.get(key) === computed) continue;
      try {
        const done = await this.write(status);
        // A removal of our entries is finished whatever it found; a status is confirmed once stored.
        if (status.generation === -1) this.confirmed.delete(key);
        else if (done === 'written' || done === 'unchanged') this.confirmed.set(key, computed);
      } catch (err) {
        failed++;
        this.counters.failures++;
        this.log.warn(
          { object: `${status.kind} ${status.namespace ?? ''}/${status.name}`, err: (err as Error).message },
          'could not write Gateway API status',
        );
      }
    }
    if (failed === 0) return this.backoff.reset();
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.requestPass(), this.backoff.next());
  }

  private withAddresses(status: GatewayApiStatus): GatewayApiStatus {
    const addresses =
      status.kind === 'Gateway'
        ? this.options.addresses?.(`${status.namespace ?? ''}/${status.name}`)
        : undefined;
    return addresses?.length ? { ...status, status: { ...status.status, addresses } } : status;
  }

  /** Reads, merges and writes one status; retries conflicts with a fresh read. */
  private async write(status: GatewayApiStatus): Promise<'written' | 'unchanged' | 'stale' | 'gone'> {
    const path = gatewayObjectPath(status);
    for (let attempt = 0; ; attempt++) {
      let current: ApiObject;
      try {
        current = await this.options.client.request<ApiObject>('GET', path);
      } catch (err) {
        if (err instanceof KubeApiError && err.statusCode === 404) return 'gone';
        throw err;
      }
      // -1: removing our entries, whatever the generation.
      if (status.generation !== -1 && (current.metadata.generation ?? 0) !== status.generation) {
        this.counters.stale++;
        return 'stale';
      }
      const now = (this.options.now?.() ?? new Date()).toISOString().replace(/\.\d+Z$/, 'Z');
      const merged = mergeGatewayStatus(current.status, status.status, now);
      if (statusEqual(merged, current.status ?? {})) {
        this.counters.unchanged++;
        return 'unchanged';
      }
      try {
        await this.options.client.request('PUT', `${path}/status`, { body: { ...current, status: merged } });
        this.counters.writes++;
        this.log.info(
          {
            object: `${status.kind} ${status.namespace ?? ''}/${status.name}`,
            generation: current.metadata.generation,
          },
          'wrote Gateway API status',
        );
        return 'written';
      } catch (err) {
        if (err instanceof KubeApiError && err.statusCode === 404) return 'gone';
        if (!(err instanceof KubeApiError && err.statusCode === 409) || attempt >= MAX_CONFLICT_RETRIES)
          throw err;
        this.counters.conflicts++;
      }
    }
  }
}

/** The API path of one Gateway API object (test/deploy/api-calls.ts knows this helper by name). */
function gatewayObjectPath(status: Pick<GatewayApiStatus, 'kind' | 'namespace' | 'name'>): string {
  const row = GATEWAY_API_KINDS[status.kind];
  const ns =
    !row.clusterScoped && status.namespace ? `/namespaces/${encodeURIComponent(status.namespace)}` : '';
  return `/apis/${GATEWAY_API_GROUP}/${row.standard[0]}${ns}/${row.plural}/${encodeURIComponent(status.name)}`;
}
