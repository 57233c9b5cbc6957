// Leader election over a coordination.k8s.io/v1 Lease, the way client-go does it: the leader renews the
// lease every retry period; the others try to take it every retry period and succeed only once it has not
// been renewed for a whole lease duration, judged by their own clock since they last saw it change (so
// clock skew between replicas does not matter). Writes use the lease's resourceVersion, so two candidates
// can never both win. A leader that cannot renew within the renew deadline steps down. Stopping releases
// the lease, so another replica takes over at its next try instead of after the lease duration.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { BehaviorSubject, distinctUntilChanged, type Observable } from 'rxjs';
import { silentLogger, type Logger } from '../log';
import { KubeApiError, type KubeClient } from './kube-client';

export interface LeaderElectionOptions {
  client: KubeClient;
  /** Where the Lease lives (kxds' own namespace). */
  namespace: string;
  /** Lease name, e.g. "kxds-leader". */
  name: string;
  /** Unique per replica: pod name plus something random. */
  identity: string;
  /** Written to the Lease; how long a silent leader keeps it. Default 15. */
  leaseDurationSeconds?: number;
  /** A leader that has not renewed for this long steps down. Default 10 s; must be below the lease duration. */
  renewDeadlineMs?: number;
  /** How often the leader renews and the others try. Default 2 s. */
  retryPeriodMs?: number;
  logger?: Logger;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

interface Lease {
  apiVersion: 'coordination.k8s.io/v1';
  kind: 'Lease';
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec?: LeaseSpec;
}

export interface LeaderElectionCounters {
  acquisitions: number;
  renewals: number;
  /** Attempts that failed with an API error (not: the lease is held by someone else). */
  errors: number;
  stepDowns: number;
}

/** A replica's identity: the pod name (the hostname in a pod) plus a random suffix, unique across restarts. */
export function defaultIdentity(): string {
  return `${hostname()}_${randomUUID().slice(0, 8)}`;
}

/** Lease times are MicroTime: RFC 3339 with microseconds. */
function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export class LeaderElector {
  readonly counters: LeaderElectionCounters = { acquisitions: 0, renewals: 0, errors: 0, stepDowns: 0 };
  private readonly leader = new BehaviorSubject(false);
  /** Emits the current state at once, then every change. */
  readonly isLeader$: Observable<boolean> = this.leader.pipe(distinctUntilChanged());
  private readonly log: Logger;
  private readonly leaseDurationSeconds: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private timer?: NodeJS.Timeout;
  private running = false;
  private inFlight?: Promise<void>;
  private observedRecord = '';
  private observedAt = 0;
  private lastRenewAt = 0;
  private lastLease?: Lease;

  constructor(private readonly options: LeaderElectionOptions) {
    this.leaseDurationSeconds = options.leaseDurationSeconds ?? 15;
    this.renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.retryPeriodMs = options.retryPeriodMs ?? 2_000;
    if (this.renewDeadlineMs >= this.leaseDurationSeconds * 1000) {
      throw new Error('leader election: the renew deadline must be shorter than the lease duration');
    }
    this.log = (options.logger ?? silentLogger).child({
      component: 'leader-election',
      lease: `${options.namespace}/${options.name}`,
      identity: options.identity,
    });
  }

  get isLeader(): boolean {
    return this.leader.value;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Stops campaigning; a leader releases the lease (unless `release: false`, which acts like a crash). */
  async stop(options: { release?: boolean } = {}): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    await this.inFlight;
    if (this.leader.value && options.release !== false) await this.release();
    this.setLeader(false);
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.inFlight = this.attempt().finally(() => {
        this.inFlight = undefined;
        // Followers spread their tries so they do not all hit the API server at once.
        const jitter = this.leader.value ? 1 : 1 + 0.2 * Math.random();
        this.schedule(this.retryPeriodMs * jitter);
      });
    }, delayMs);
  }

  private async attempt(): Promise<void> {
    try {
      const won = await this.tryAcquireOrRenew();
      if (won) {
        this.lastRenewAt = Date.now();
        if (!this.leader.value) {
          this.counters.acquisitions++;
          this.log.info('became the leader');
        } else {
          this.counters.renewals++;
        }
        this.setLeader(true);
        return;
      }
    } catch (err) {
      this.counters.errors++;
      this.log.warn({ err: (err as Error).message }, 'could not read or write the lease');
    }
    if (this.leader.value && Date.now() - this.lastRenewAt > this.renewDeadlineMs)
      this.stepDown('renew deadline passed');
  }

  private async tryAcquireOrRenew(): Promise<boolean> {
    const { client, namespace, name, identity } = this.options;
    const path = `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/leases`;
    const now = Date.now();
    let lease: Lease;
    try {
      lease = await client.request<Lease>('GET', `${path}/${encodeURIComponent(name)}`);
    } catch (err) {
      if (!(err instanceof KubeApiError && err.statusCode === 404)) throw err;
      const created = await this.write('POST', path, {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name, namespace },
        spec: this.newSpec(now, undefined),
      });
      return created;
    }
    const spec = lease.spec ?? {};
    const record = `${spec.holderIdentity ?? ''}|${spec.renewTime ?? ''}`;
    if (record !== this.observedRecord) {
      this.observedRecord = record;
      this.observedAt = now;
    }
    const holder = spec.holderIdentity ?? '';
    const durationMs = (spec.leaseDurationSeconds ?? this.leaseDurationSeconds) * 1000;
    if (holder && holder !== identity && this.observedAt + durationMs > now) {
      if (this.leader.value) this.stepDown(`the lease is held by ${holder}`);
      return false;
    }
    return this.write('PUT', `${path}/${encodeURIComponent(name)}`, {
      ...lease,
      metadata: { ...lease.metadata },
      spec: this.newSpec(now, spec),
    });
  }

  /** The spec that claims or renews the lease; `previous` is the current spec, absent when creating it. */
  private newSpec(now: number, previous: LeaseSpec | undefined): LeaseSpec {
    const renewing = previous?.holderIdentity === this.options.identity;
    const transitions = previous?.leaseTransitions ?? 0;
    return {
      holderIdentity: this.options.identity,
      leaseDurationSeconds: this.leaseDurationSeconds,
      acquireTime: renewing ? (previous?.acquireTime ?? microTime(now)) : microTime(now),
      renewTime: microTime(now),
      leaseTransitions: previous === undefined || renewing ? transitions : transitions + 1,
    };
  }

  /** POST or PUT the lease; a conflict means another replica wrote first: not an error, just not won. */
  private async write(method: 'POST' | 'PUT', path: string, lease: Lease): Promise<boolean> {
    try {
      const written = await this.options.client.request<Lease>(method, path, { body: lease });
      this.lastLease = written;
      this.observedRecord = `${written.spec?.holderIdentity ?? ''}|${written.spec?.renewTime ?? ''}`;
      this.observedAt = Date.now();
      return true;
    } catch (err) {
      if (err instanceof KubeApiError && err.statusCode === 409) return false;
      throw err;
    }
  }

  private async release(): Promise<void> {
    const lease = this.lastLease;
    if (!lease) return;
    const { client, namespace, name } = this.options;
    try {
      await client.request(
        'PUT',
        `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/leases/${encodeURIComponent(name)}`,
        {
          body: {
            ...lease,
            spec: {
              ...lease.spec,
              holderIdentity: '',
              leaseDurationSeconds: 1,
              renewTime: microTime(Date.now()),
            },
          },
        },
      );
      this.log.info('released the lease');
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'could not release the lease; it expires by itself');
    }
  }

  private stepDown(reason: string): void {
    this.counters.stepDowns++;
    this.log.warn({ reason }, 'no longer the leader');
    this.setLeader(false);
  }

  private setLeader(value: boolean): void {
    if (this.leader.value !== value) this.leader.next(value);
  }
}
