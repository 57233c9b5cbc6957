// Shared setup for tests of the Kubernetes source: an API server double, a kubeconfig for it, a KubeSource
// with short delays, and a recorder of everything the source emitted.
import type { Subscription } from 'rxjs';
import type { WatchedObject } from '../../src/model/k8s';
import {
  createKubeSource,
  type KubeSource,
  type KubeSourceOptions,
  type SecretInterest,
} from '../../src/sources/kube-source';
import type { SourceEvent } from '../../src/sources/source';
import { ApiServerDouble } from '../k8s-double/api-server-double';
import { writeKubeconfig } from '../k8s-double/kubeconfig';
import type { StoredObject } from '../k8s-double/selectors';

export const FAST_BACKOFF = { initialMs: 100, maxMs: 1000, jitter: 0.2 };

/** The Secrets the source tests reference, as served Ingresses would: web-tls exists at start, new-tls later. */
export const REFERENCED_SECRETS: readonly string[] = ['default/web-tls', 'default/new-tls'];

/** A fixed interest in Secrets ("namespace/name"), standing in for src/frontends/secret-references.ts. */
export function fixedSecretInterest(keys: readonly string[] = REFERENCED_SECRETS): SecretInterest {
  const refs = keys.map((key) => {
    const [namespace = '', name = ''] = key.split('/');
    return { namespace, name };
  });
  return { kinds: [], collect: () => refs };
}

export class EventRecorder {
  readonly events: SourceEvent[] = [];
  private subscription?: Subscription;

  constructor(source: KubeSource) {
    this.subscription = source.events$.subscribe((event) => this.events.push(event));
  }

  unsubscribe(): void {
    this.subscription?.unsubscribe();
  }

  /** "upsert Service default/web@1003", "delete ...", "synced": easy to compare and to read in a failure. */
  get log(): string[] {
    return this.events.map(describeEvent);
  }

  since(index: number): string[] {
    return this.log.slice(index);
  }

  get syncedCount(): number {
    return this.events.filter((e) => e.type === 'synced').length;
  }

  /** The state the events describe: key -> resourceVersion. */
  state(): Map<string, string> {
    const state = new Map<string, string>();
    for (const event of this.events) {
      if (event.type === 'synced') continue;
      const key = keyOf(event.object);
      if (event.type === 'upsert') state.set(key, event.object.metadata.resourceVersion ?? '');
      else state.delete(key);
    }
    return state;
  }
}

export function keyOf(obj: { kind: string; metadata: { name: string; namespace?: string } }): string {
  return `${obj.kind} ${obj.metadata.namespace ? `${obj.metadata.namespace}/` : ''}${obj.metadata.name}`;
}

export function describeEvent(event: SourceEvent): string {
  if (event.type === 'synced') return 'synced';
  return `${event.type} ${keyOf(event.object)}@${event.object.metadata.resourceVersion ?? '?'}`;
}

/** The double's state of the watched kinds (Secrets: the referenced ones): key -> resourceVersion. */
export function doubleState(
  double: ApiServerDouble,
  kinds: { apiVersion: string; kind: string }[],
  secrets: readonly string[] = REFERENCED_SECRETS,
): Map<string, string> {
  const state = new Map<string, string>();
  for (const { apiVersion, kind } of kinds) {
    for (const obj of double.store.list(double.store.resourceOf({ apiVersion, kind }))) {
      if (kind === 'Secret' && !secrets.includes(`${obj.metadata.namespace ?? ''}/${obj.metadata.name}`))
        continue;
      state.set(keyOf(obj), obj.metadata.resourceVersion ?? '');
    }
  }
  return state;
}

export async function waitFor(what: string, predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function startDouble(): Promise<{ double: ApiServerDouble; kubeconfigPath: string }> {
  const double = await ApiServerDouble.start({ bookmarkIntervalMs: 200 });
  return { double, kubeconfigPath: writeKubeconfig(double.url) };
}

export async function startSource(
  kubeconfigPath: string,
  options: Partial<KubeSourceOptions> = {},
): Promise<{ source: KubeSource; recorder: EventRecorder }> {
  const source = await createKubeSource({
    kubeconfigPath,
    backoff: FAST_BACKOFF,
    resyncPeriodMs: 0,
    secretReferences: fixedSecretInterest(),
    ...options,
  });
  const recorder = new EventRecorder(source);
  return { source, recorder };
}

// ---- fixtures ----------------------------------------------------------------------------------------------

export function service(name: string, namespace = 'default', port = 80): StoredObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace, labels: { app: name } },
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.0.0.10',
      ports: [{ name: 'http', port }],
      selector: { app: name },
    },
  };
}

export function tlsSecret(name: string, namespace = 'default'): StoredObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
    type: 'kubernetes.io/tls',
    data: { 'tls.crt': 'Y2VydA==', 'tls.key': 'a2V5' },
  };
}

export function opaqueSecret(name: string, namespace = 'default'): StoredObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace },
    type: 'Opaque',
    data: { password: 'aHVudGVyMg==' },
  };
}

export function namespace(name: string): StoredObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, labels: { 'kubernetes.io/metadata.name': name } },
  };
}

export function ingress(name: string, namespace = 'default', className = 'kxds'): StoredObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace },
    spec: {
      ingressClassName: className,
      rules: [
        {
          host: `${name}.example.com`,
          http: {
            paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port: { number: 80 } } } }],
          },
        },
      ],
    },
  };
}

export function asWatched(obj: StoredObject): WatchedObject {
  return obj as unknown as WatchedObject;
}
