// Writes the edge address into .status.loadBalancer.ingress of every Ingress kxds serves and clears it from
// Ingresses it stopped serving - only while this replica is the leader. Each pass lists the Ingresses and
// patches only those whose status differs from what it should be, so kxds' own writes (which come back as
// Ingress updates and may re-trigger translation) end in a pass that writes nothing: it cannot loop. A pass
// with failed writes is retried with jittered backoff.
import { combineLatest, type Observable, type Subscription } from 'rxjs';
import { isIP } from 'node:net';
import { silentLogger, type Logger } from '../log';
import { Backoff, type BackoffOptions } from './backoff';
import { SerialPasses } from './serial-passes';
import { KubeApiError, type KubeClient } from './kube-client';
import { collectionPath } from './watched-resources';

export interface LoadBalancerIngress {
  ip?: string;
  hostname?: string;
}

export interface IngressStatusOptions {
  client: KubeClient;
  /** The Ingresses kxds serves, as "namespace/name" (from translation). */
  served$: Observable<ReadonlySet<string>>;
  /** The edge address; see publishAddress() and watchServiceAddress(). */
  address$: Observable<readonly LoadBalancerIngress[]>;
  isLeader$: Observable<boolean>;
  /** Namespaces to look at when clearing; default all. */
  namespaces?: readonly string[];
  logger?: Logger;
  backoff?: BackoffOptions;
}

export interface IngressStatusCounters {
  passes: number;
  writes: number;
  /** Ingresses whose status already matched: no write. */
  unchanged: number;
  failures: number;
}

interface IngressLike {
  metadata: { name: string; namespace?: string };
  status?: { loadBalancer?: { ingress?: LoadBalancerIngress[] } };
}

/** --publish-address: an IP becomes {ip}, anything else {hostname}. */
export function publishAddress(address: string): LoadBalancerIngress[] {
  return isIP(address) ? [{ ip: address }] : [{ hostname: address }];
}

function normalize(list: readonly LoadBalancerIngress[] | undefined): string {
  return JSON.stringify(
    (list ?? [])
      .map((entry) => ({ ip: entry.ip ?? '', hostname: entry.hostname ?? '' }))
      .sort((a, b) => `${a.ip}|${a.hostname}`.localeCompare(`${b.ip}|${b.hostname}`)),
  );
}

export class IngressStatusWriter {
  readonly counters: IngressStatusCounters = { passes: 0, writes: 0, unchanged: 0, failures: 0 };
  private readonly log: Logger;
  private readonly backoff: Backoff;
  private subscription?: Subscription;
  private served?: ReadonlySet<string>;
  private address?: readonly LoadBalancerIngress[];
  private leader = false;
  /** Every address this writer has written, so it knows which statuses are its own to clear. */
  private readonly ownAddresses = new Set<string>();
  private retryTimer?: NodeJS.Timeout;
  private readonly passes = new SerialPasses(() => this.pass());

  constructor(private readonly options: IngressStatusOptions) {
    this.log = (options.logger ?? silentLogger).child({ component: 'ingress-status' });
    this.backoff = new Backoff(options.backoff);
  }

  start(): void {
    this.subscription = combineLatest([
      this.options.served$,
      this.options.address$,
      this.options.isLeader$,
    ]).subscribe({
      next: ([served, address, leader]) => {
        this.served = served;
        this.address = address;
        this.leader = leader;
        if (!leader) clearTimeout(this.retryTimer);
        this.requestPass();
      },
      error: (err: unknown) =>
        this.log.error({ err }, 'an input of the Ingress status writer failed; status is no longer updated'),
    });
  }

  async stop(): Promise<void> {
    this.subscription?.unsubscribe();
    clearTimeout(this.retryTimer);
    await this.passes.stop();
  }

  /** Resolves when no pass is running or queued (for tests and shutdown). */
  async idle(): Promise<void> {
    await this.passes.idle();
  }

  private requestPass(): void {
    this.passes.request();
  }

  private async pass(): Promise<void> {
    const { served, address } = this;
    if (!this.leader || !served || !address) return;
    this.counters.passes++;
    this.ownAddresses.add(normalize(address));
    let failed = 0;
    let ingresses: IngressLike[];
    try {
      ingresses = await this.listIngresses();
    } catch (err) {
      ingresses = [];
      failed++;
      this.log.warn({ err: (err as Error).message }, 'could not list Ingresses');
    }
    for (const ingress of ingresses) {
      if (!this.leader || this.passes.isStopped) return;
      const key = `${ingress.metadata.namespace ?? ''}/${ingress.metadata.name}`;
      const current = ingress.status?.loadBalancer?.ingress;
      let desired: readonly LoadBalancerIngress[];
      if (served.has(key)) desired = address;
      else if (current?.length && this.ownAddresses.has(normalize(current))) desired = [];
      else continue;
      if (normalize(current) === normalize(desired)) {
        this.counters.unchanged++;
        continue;
      }
      try {
        await this.writeStatus(ingress, desired);
        this.counters.writes++;
        this.log.info(
          { object: `Ingress ${key}`, address: desired },
          desired.length ? 'wrote the edge address' : 'cleared the edge address',
        );
      } catch (err) {
        if (err instanceof KubeApiError && err.statusCode === 404) continue; // deleted meanwhile
        failed++;
        this.counters.failures++;
        this.log.warn(
          { object: `Ingress ${key}`, err: (err as Error).message },
          'could not write Ingress status',
        );
      }
    }
    if (failed === 0) {
      this.backoff.reset();
      return;
    }
    const delayMs = this.backoff.next();
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.requestPass(), delayMs);
  }

  private async listIngresses(): Promise<IngressLike[]> {
    const resource = { apiVersion: 'networking.k8s.io/v1', plural: 'ingresses', namespaced: true };
    const scopes = this.options.namespaces?.length ? this.options.namespaces : [undefined];
    const out: IngressLike[] = [];
    for (const ns of scopes) {
      const list = await this.options.client.request<{ items?: IngressLike[] }>(
        'GET',
        collectionPath(resource, ns),
      );
      out.push(...(list.items ?? []));
    }
    return out;
  }

  private async writeStatus(ingress: IngressLike, desired: readonly LoadBalancerIngress[]): Promise<void> {
    const ns = encodeURIComponent(ingress.metadata.namespace ?? 'default');
    const name = encodeURIComponent(ingress.metadata.name);
    await this.options.client.request(
      'PATCH',
      `/apis/networking.k8s.io/v1/namespaces/${ns}/ingresses/${name}/status`,
      {
        contentType: 'application/merge-patch+json',
        // null removes the field (RFC 7386): an Ingress kxds no longer serves shows no address at all.
        body: { status: { loadBalancer: { ingress: desired.length ? desired : null } } },
      },
    );
  }
}
