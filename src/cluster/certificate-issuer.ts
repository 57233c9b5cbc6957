// kxds's own certificate authority in the cluster (`kxds serve --issue-certificates`), the way Istio and
// Linkerd run theirs: the leader creates the CA and the serving and client certificates in Secrets of kxds's
// namespace (src/certs/in-cluster-secrets.ts), renews each with a third of its lifetime left, rotates the CA
// the same way (old and new CA both trusted meanwhile), and keeps the sidecar webhook's caBundle equal to the
// trust bundle. It checks at start of leadership and then every checkIntervalMs; other replicas only read the
// Secrets through their mounted files (the xDS port and the webhook reload them without a restart).
import type { Observable, Subscription } from 'rxjs';
import { issueCertificate } from '../certs/authority';
import { currentAuthority, type AuthorityState } from '../certs/ca-rotation';
import { issuedSecrets, type InClusterCertificateSettings } from '../certs/in-cluster-secrets';
import { SECRET_NAMES } from '../certs/output';
import { renewalReason } from '../certs/renewal';
import { silentLogger, type Logger } from '../log';
import { IssuerApi } from '../sources/issuer-api';
import type { KubeClient } from '../sources/kube-client';

export interface CertificateIssuerOptions {
  client: KubeClient;
  isLeader$: Observable<boolean>;
  settings: InClusterCertificateSettings;
  /** The MutatingWebhookConfiguration whose caBundle is kept; undefined: none. */
  webhookConfiguration?: string;
  /** How often the leader checks the certificates (default 1 hour); a failed check is retried in 10 s. */
  checkIntervalMs?: number;
  /** The clock renewal is judged by (tests move it forward). */
  now?: () => number;
  logger?: Logger;
}

export interface CertificateIssuerCounters {
  checks: number;
  secretsWritten: number;
  caRotations: number;
  webhookPatches: number;
  errors: number;
}

const RETRY_MS = 10_000;

export class CertificateIssuer {
  readonly counters: CertificateIssuerCounters = {
    checks: 0,
    secretsWritten: 0,
    caRotations: 0,
    webhookPatches: 0,
    errors: 0,
  };
  private readonly api: IssuerApi;
  private readonly log: Logger;
  private leader = false;
  private subscription?: Subscription;
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<void>;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: CertificateIssuerOptions) {
    this.api = new IssuerApi(options.client, options.settings.namespace);
    this.log = (options.logger ?? silentLogger).child({ component: 'certificate-issuer' });
  }

  start(): void {
    this.subscription = this.options.isLeader$.subscribe((leader) => {
      this.leader = leader;
      clearTimeout(this.timer);
      if (leader) this.schedule(0);
    });
  }

  async stop(): Promise<void> {
    this.subscription?.unsubscribe();
    this.leader = false;
    clearTimeout(this.timer);
    await this.inFlight;
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.inFlight = this.check().then((ok) => {
        this.inFlight = undefined;
        if (this.leader) this.schedule(ok ? (this.options.checkIntervalMs ?? 3_600_000) : RETRY_MS);
      });
    }, delayMs);
    this.timer.unref();
  }

  /** One check; false when it failed (logged). */
  private async check(): Promise<boolean> {
    this.counters.checks++;
    try {
      await this.reconcile();
      return true;
    } catch (err) {
      this.counters.errors++;
      this.log.warn(
        { err: err instanceof Error ? err.message : String(err) },
        'certificate check failed; retrying in 10 s',
      );
      return false;
    }
  }

  /**
   * Brings the CA, every issued Secret and the webhook's caBundle up to date; runs after any check in progress,
   * never beside it. Writes only while this replica leads.
   */
  reconcile(): Promise<void> {
    const next = this.queue.then(() => this.reconcileNow());
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async reconcileNow(): Promise<void> {
    if (!this.leader) return; // a follower neither reads nor writes: the leader does both
    const now = (this.options.now ?? Date.now)();
    const authority = await this.authority(now);
    for (const wanted of issuedSecrets(this.options.settings)) {
      const stored = await this.api.getSecret(wanted.name);
      const object = this.object(wanted.name);
      if (stored && !stored.managed) {
        this.log.warn({ object }, 'not written by the kxds issuer (no managed-by label): left alone');
        continue;
      }
      const reason = !stored
        ? 'absent'
        : authority.rotated
          ? 'the CA was rotated'
          : renewalReason(stored.data, { now, issuerPem: authority.ca.certPem, names: wanted.leaf });
      if (reason) {
        const pair = await issueCertificate(authority.ca, wanted.leaf);
        await this.write(wanted.name, { ...pair, caPem: authority.bundlePem }, stored?.resourceVersion);
        this.log.info({ object, reason }, 'issued a certificate');
      } else if (stored && stored.data.caPem !== authority.bundlePem) {
        await this.write(wanted.name, { ...stored.data, caPem: authority.bundlePem }, stored.resourceVersion);
        this.log.info({ object }, 'updated the trust bundle');
      }
    }
    if (this.options.webhookConfiguration)
      await this.patchWebhook(this.options.webhookConfiguration, authority);
  }

  private async authority(now: number): Promise<AuthorityState> {
    const stored = await this.api.getSecret(SECRET_NAMES.ca);
    if (stored && !stored.managed)
      throw new Error(
        `${this.object(SECRET_NAMES.ca)} was not written by the kxds issuer: delete it, or run with --no-issue-certificates`,
      );
    const state = await currentAuthority(
      stored
        ? { certPem: stored.data.certPem, keyPem: stored.data.keyPem, bundlePem: stored.data.caPem }
        : undefined,
      now,
    );
    if (state.writeReason) {
      const { certPem, keyPem } = state.ca;
      await this.write(SECRET_NAMES.ca, { certPem, keyPem, caPem: state.bundlePem }, stored?.resourceVersion);
      if (state.rotated) this.counters.caRotations++;
      this.log.info({ object: this.object(SECRET_NAMES.ca), reason: state.writeReason }, 'wrote the CA');
    }
    return state;
  }

  private async patchWebhook(name: string, authority: AuthorityState): Promise<void> {
    const changed = await this.api.patchWebhookCaBundle(name, authority.bundlePem);
    if (changed === undefined) this.log.warn({ object: `MutatingWebhookConfiguration ${name}` }, 'not found');
    else if (changed > 0) {
      this.counters.webhookPatches++;
      this.log.info(
        { object: `MutatingWebhookConfiguration ${name}`, webhooks: changed },
        'set the caBundle',
      );
    }
  }

  private async write(
    name: string,
    data: Parameters<IssuerApi['writeSecret']>[1],
    rv?: string,
  ): Promise<void> {
    // Leadership can end during a check: the next leader does the rest.
    if (!this.leader) throw new Error('no longer the leader');
    await this.api.writeSecret(name, data, rv);
    this.counters.secretsWritten++;
  }

  private object(name: string): string {
    return `Secret ${this.options.settings.namespace}/${name}`;
  }
}
