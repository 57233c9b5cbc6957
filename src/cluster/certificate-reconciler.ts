// One check of kxds's in-cluster certificates (run by ./certificate-issuer.ts on the leader): the CA, each
// Secret kxds owns (src/certs/in-cluster-secrets.ts) issued again when it is missing or due
// (src/certs/renewal.ts), or given the current trust bundle, the edge Deployment rolled after its certificate
// was renewed, and the webhook's caBundle set to that bundle.
// A Secret someone else made is left alone; a foreign CA Secret stops the check.
import { X509Certificate } from 'node:crypto';
import { issueCertificate } from '../certs/authority';
import { currentAuthority, type AuthorityState } from '../certs/ca-rotation';
import type { InClusterCertificateSettings, IssuedSecret } from '../certs/in-cluster-secrets';
import { SECRET_NAMES } from '../certs/output';
import { renewalReason } from '../certs/renewal';
import type { Logger } from '../log';
import type { IssuerApi, TlsSecretData } from '../sources/issuer-api';

export interface CertificateIssuerCounters {
  checks: number;
  secretsWritten: number;
  caRotations: number;
  webhookPatches: number;
  errors: number;
}

export interface ReconcilerOptions {
  api: IssuerApi;
  settings: InClusterCertificateSettings;
  webhookConfiguration?: string;
  /** False once this replica no longer leads: a write then fails the check, the next leader redoes it. */
  mayWrite: () => boolean;
  counters: CertificateIssuerCounters;
  log: Logger;
}

export class CertificateReconciler {
  constructor(private readonly options: ReconcilerOptions) {}

  /** Brings the CA, the wanted Secrets and the webhook's caBundle up to date, judged at time `now`. */
  async reconcile(wanted: readonly IssuedSecret[], now: number): Promise<void> {
    const authority = await this.authority(now);
    for (const secret of wanted) await this.keep(secret, authority, now);
    if (this.options.webhookConfiguration)
      await this.patchWebhook(this.options.webhookConfiguration, authority);
  }

  private async authority(now: number): Promise<AuthorityState> {
    const { namespace } = this.options.settings;
    const stored = await this.options.api.getSecret(namespace, SECRET_NAMES.ca);
    const object = `Secret ${namespace}/${SECRET_NAMES.ca}`;
    if (stored && !stored.managed)
      throw new Error(
        `${object} was not written by the kxds issuer: delete it, or run with --no-issue-certificates`,
      );
    const { certPem, keyPem, caPem, next } = stored?.data ?? {};
    const state = await currentAuthority(
      stored && certPem && keyPem
        ? { certPem, keyPem, bundlePem: caPem ?? '', ...(next ? { next } : {}) }
        : undefined,
      now,
    );
    if (state.writeReason) {
      const data = {
        certPem: state.ca.certPem,
        keyPem: state.ca.keyPem,
        caPem: state.bundlePem,
        ...(state.next ? { next: state.next } : {}),
      };
      await this.write({ namespace, name: SECRET_NAMES.ca }, data, stored?.resourceVersion);
      if (state.rotated) this.options.counters.caRotations++;
      this.options.log.info({ object, reason: state.writeReason }, 'wrote the CA');
    }
    return state;
  }

  /** Issues the Secret again when it must be, or brings its trust bundle up to date. */
  private async keep(wanted: IssuedSecret, authority: AuthorityState, now: number): Promise<void> {
    const stored = await this.options.api.getSecret(wanted.namespace, wanted.name);
    const object = `Secret ${wanted.namespace}/${wanted.name}`;
    if (stored && !stored.managed) {
      this.options.log.warn({ object }, 'not written by the kxds issuer (no managed-by label): left alone');
      return;
    }
    const reason = !stored
      ? 'absent'
      : authority.rotated
        ? 'the CA was rotated'
        : renewalReason(stored.data, { now, issuerPem: authority.ca.certPem, names: wanted.leaf });
    if (reason) {
      const pair = await issueCertificate(authority.ca, wanted.leaf);
      await this.write(wanted, { ...pair, caPem: authority.bundlePem }, stored?.resourceVersion);
      this.options.log.info({ object, reason }, 'issued a certificate');
      // A first issue needs no roll: the pods wait for the Secret before they start.
      if (stored && wanted.rollOnRenewal)
        await this.roll(wanted.namespace, wanted.rollOnRenewal, pair.certPem);
    } else if (stored && stored.data.caPem !== authority.bundlePem) {
      await this.write(wanted, { ...stored.data, caPem: authority.bundlePem }, stored.resourceVersion);
      this.options.log.info({ object }, 'updated the trust bundle');
    }
  }

  private async roll(namespace: string, deployment: string, certPem: string): Promise<void> {
    const object = `Deployment ${namespace}/${deployment}`;
    if (!this.options.mayWrite()) throw new Error('no longer the leader');
    const serial = new X509Certificate(certPem).serialNumber;
    if (await this.options.api.rollDeployment(namespace, deployment, serial))
      this.options.log.info(
        { object, serial },
        'rolled for its renewed certificate (Envoy reads it at start)',
      );
    else this.options.log.warn({ object }, 'not found: its pods keep the old certificate until they restart');
  }

  private async patchWebhook(name: string, authority: AuthorityState): Promise<void> {
    const object = `MutatingWebhookConfiguration ${name}`;
    const changed = await this.options.api.patchWebhookCaBundle(name, authority.bundlePem);
    if (changed === undefined) this.options.log.warn({ object }, 'not found');
    else if (changed > 0) {
      this.options.counters.webhookPatches++;
      this.options.log.info({ object, webhooks: changed }, 'set the caBundle');
    }
  }

  private async write(
    secret: { namespace: string; name: string },
    data: TlsSecretData,
    resourceVersion?: string,
  ): Promise<void> {
    if (!this.options.mayWrite()) throw new Error('no longer the leader');
    await this.options.api.writeSecret(secret.namespace, secret.name, data, resourceVersion);
    this.options.counters.secretsWritten++;
  }
}
