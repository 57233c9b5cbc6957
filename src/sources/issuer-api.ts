// The API calls of kxds's in-cluster certificate issuer: read and write the kubernetes.io/tls Secrets it owns (in
// its namespace, and the sidecars' in app namespaces), and set the caBundle of its MutatingWebhookConfiguration. Every write carries the
// resourceVersion it read (a replica that lost the lead between read and write gets a Conflict, not a silent
// overwrite). It also rolls the edge Deployment after its certificate was renewed. Secret data is decoded here and never logged.
import { KubeApiError, type KubeClient } from './kube-client';

/** Marks a Secret as the issuer's: it rewrites only Secrets carrying this label. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_ISSUER = 'kxds-certificate-issuer';
/** On a Deployment's pod template: the serial of the renewed certificate it was rolled for. */
export const ROLLED_FOR_ANNOTATION = 'kxds.io/client-certificate-serial';

export interface TlsSecretData {
  certPem: string;
  keyPem: string;
  caPem: string;
  /** The CA Secret only: the next CA, trusted before it signs (next.crt, next.key). */
  next?: { certPem: string; keyPem: string };
}

export interface StoredTlsSecret {
  data: TlsSecretData;
  resourceVersion: string;
  /** False for a Secret someone else made (certgen, cert-manager, a person): the issuer leaves it alone. */
  managed: boolean;
}

interface SecretObject {
  metadata: { resourceVersion?: string; labels?: Record<string, string> };
  data?: Record<string, string>;
}

interface WebhookConfiguration {
  metadata: { resourceVersion?: string };
  webhooks?: { name: string; clientConfig?: { caBundle?: string } }[];
}

const fromBase64 = (value: string | undefined): string => Buffer.from(value ?? '', 'base64').toString('utf8');
const toBase64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

export class IssuerApi {
  constructor(private readonly client: KubeClient) {}

  /** The Secret, or undefined when there is none. */
  async getSecret(namespace: string, name: string): Promise<StoredTlsSecret | undefined> {
    let secret: SecretObject;
    try {
      secret = await this.client.request<SecretObject>(
        'GET',
        `/api/v1/namespaces/${namespace}/secrets/${name}`,
      );
    } catch (err) {
      if (err instanceof KubeApiError && err.statusCode === 404) return undefined;
      throw err;
    }
    const next = secret.data?.['next.crt'] && {
      certPem: fromBase64(secret.data['next.crt']),
      keyPem: fromBase64(secret.data['next.key']),
    };
    return {
      data: {
        certPem: fromBase64(secret.data?.['tls.crt']),
        keyPem: fromBase64(secret.data?.['tls.key']),
        caPem: fromBase64(secret.data?.['ca.crt']),
        ...(next ? { next } : {}),
      },
      resourceVersion: secret.metadata.resourceVersion ?? '',
      managed: secret.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY_ISSUER,
    };
  }

  /** Creates the Secret, or replaces the one read at resourceVersion. */
  async writeSecret(
    namespace: string,
    name: string,
    data: TlsSecretData,
    resourceVersion?: string,
  ): Promise<void> {
    const body = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        name,
        namespace,
        labels: { 'app.kubernetes.io/part-of': 'kxds', [MANAGED_BY_LABEL]: MANAGED_BY_ISSUER },
        ...(resourceVersion ? { resourceVersion } : {}),
      },
      type: 'kubernetes.io/tls',
      data: {
        'tls.crt': toBase64(data.certPem),
        'tls.key': toBase64(data.keyPem),
        'ca.crt': toBase64(data.caPem),
        ...(data.next
          ? { 'next.crt': toBase64(data.next.certPem), 'next.key': toBase64(data.next.keyPem) }
          : {}),
      },
    };
    if (resourceVersion)
      await this.client.request('PUT', `/api/v1/namespaces/${namespace}/secrets/${name}`, { body });
    else await this.client.request('POST', `/api/v1/namespaces/${namespace}/secrets`, { body });
  }

  /**
   * Rolls a Deployment the way `kubectl rollout restart` does: a new pod-template annotation (here the
   * serial of the certificate its pods are to read). Returns false when there is no such Deployment.
   */
  async rollDeployment(namespace: string, name: string, serial: string): Promise<boolean> {
    const body = { spec: { template: { metadata: { annotations: { [ROLLED_FOR_ANNOTATION]: serial } } } } };
    try {
      await this.client.request('PATCH', `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`, {
        body,
        contentType: 'application/merge-patch+json',
      });
      return true;
    } catch (err) {
      if (err instanceof KubeApiError && err.statusCode === 404) return false;
      throw err;
    }
  }

  /**
   * Sets every webhook's caBundle of the MutatingWebhookConfiguration to bundlePem. Returns how many webhooks
   * changed, or undefined when the configuration does not exist (installed without the injector).
   */
  async patchWebhookCaBundle(name: string, bundlePem: string): Promise<number | undefined> {
    const path = `/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/${name}`;
    let current: WebhookConfiguration;
    try {
      current = await this.client.request<WebhookConfiguration>('GET', path);
    } catch (err) {
      if (err instanceof KubeApiError && err.statusCode === 404) return undefined;
      throw err;
    }
    const caBundle = toBase64(bundlePem);
    // A test of the resourceVersion and of each webhook's name: the indexes are those just read.
    const ops = (current.webhooks ?? []).flatMap((webhook, i) =>
      webhook.clientConfig?.caBundle === caBundle
        ? []
        : [
            { op: 'test', path: `/webhooks/${i}/name`, value: webhook.name },
            { op: 'add', path: `/webhooks/${i}/clientConfig/caBundle`, value: caBundle },
          ],
    );
    if (ops.length === 0) return 0;
    const test = { op: 'test', path: '/metadata/resourceVersion', value: current.metadata.resourceVersion };
    await this.client.request('PATCH', path, {
      body: [test, ...ops],
      contentType: 'application/json-patch+json',
    });
    return ops.length / 2;
  }
}
