// kxds's own certificate authority in the cluster (`kxds serve --issue-certificates`), the way Istio and
// Linkerd run theirs: the leader creates the CA and the serving and client certificates in Secrets of kxds's
// namespace, and each app namespace's sidecar Secret, renews each with a third of its lifetime left, rotates
// the CA the same way (old and new CA both trusted meanwhile), and keeps the sidecar webhook's caBundle equal
// to the trust bundle (./certificate-reconciler.ts does one check). It checks at the start of its leadership,
// every checkIntervalMs, and when a build names a sidecar namespace it has not checked; other replicas only
// read the Secrets through their mounted files (the xDS port and the webhook reload them without a restart).
import type { Observable, Subscription } from 'rxjs';
import { issuedSecrets, sidecarSecret, type InClusterCertificateSettings } from '../certs/in-cluster-secrets';
import { silentLogger, type Logger } from '../log';
import { IssuerApi } from '../sources/issuer-api';
import type { KubeClient } from '../sources/kube-client';
import { CertificateReconciler, type CertificateIssuerCounters } from './certificate-reconciler';

export type { CertificateIssuerCounters };

export interface CertificateIssuerOptions {
  client: KubeClient;
  isLeader$: Observable<boolean>;
  settings: InClusterCertificateSettings;
  /** The MutatingWebhookConfiguration whose caBundle is kept; undefined: none. */
  webhookConfiguration?: string;
  /**
   * The sidecars' Secret (--sidecar-xds-tls-secret) in every namespace `namespaces()` names; `changes$`
   * (the pipeline's builds) prompts a check as soon as a namespace is new, not at the next interval.
   */
  sidecars?: { secretName: string; namespaces: () => readonly string[]; changes$: Observable<unknown> };
  /** How often the leader checks the certificates (default 1 hour); a failed check is retried in 10 s. */
  checkIntervalMs?: number;
  /** The clock renewal is judged by (tests move it forward). */
  now?: () => number;
  logger?: Logger;
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
  private readonly reconciler: CertificateReconciler;
  private readonly log: Logger;
  private leader = false;
  private subscriptions: Subscription[] = [];
  private timer?: NodeJS.Timeout;
  private queue: Promise<void> = Promise.resolve();
  /** Sidecar namespaces the last check covered: a build naming another one prompts a check. */
  private checkedNamespaces = new Set<string>();

  constructor(private readonly options: CertificateIssuerOptions) {
    this.log = (options.logger ?? silentLogger).child({ component: 'certificate-issuer' });
    this.reconciler = new CertificateReconciler({
      api: new IssuerApi(options.client),
      settings: options.settings,
      ...(options.webhookConfiguration ? { webhookConfiguration: options.webhookConfiguration } : {}),
      mayWrite: () => this.leader,
      counters: this.counters,
      log: this.log,
    });
  }

  start(): void {
    this.subscriptions.push(
      this.options.isLeader$.subscribe((leader) => {
        this.leader = leader;
        if (leader) this.schedule(0);
        else clearTimeout(this.timer);
      }),
    );
    const sidecars = this.options.sidecars;
    if (sidecars)
      this.subscriptions.push(
        sidecars.changes$.subscribe(() => {
          if (this.leader && sidecars.namespaces().some((ns) => !this.checkedNamespaces.has(ns)))
            void this.check();
        }),
      );
  }

  async stop(): Promise<void> {
    for (const subscription of this.subscriptions.splice(0)) subscription.unsubscribe();
    this.leader = false;
    clearTimeout(this.timer);
    await this.queue;
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      void this.check().then((ok) => {
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
   * Brings the CA, every issued Secret and the webhook's caBundle up to date; runs after any check in
   * progress, never beside it. A follower neither reads nor writes: the leader does both.
   */
  reconcile(): Promise<void> {
    const next = this.queue.then(async () => {
      if (!this.leader) return;
      const sidecars = this.options.sidecars;
      const namespaces = [...new Set(sidecars?.namespaces() ?? [])].sort();
      const wanted = [
        ...issuedSecrets(this.options.settings),
        ...namespaces.map((ns) => sidecarSecret(this.options.settings, ns, sidecars?.secretName ?? '')),
      ];
      await this.reconciler.reconcile(wanted, (this.options.now ?? Date.now)());
      this.checkedNamespaces = new Set(namespaces);
    });
    this.queue = next.catch(() => undefined);
    return next;
  }
}
