// The Gateway provisioner (cluster mode, leader only): for every Gateway of a GatewayClass whose
// controllerName is kxds's, the objects of cluster/gateway-infra.ts exist and match (created, or patched
// when they differ); objects it labelled for a Gateway that is no longer ours or no longer exists are deleted
// (the Gateway's ownerReference makes Kubernetes delete them with the Gateway too; this covers a Gateway that
// moved to another class, and clusters whose garbage collector is slow). Each pass also reads each Service's
// address, for the Gateway's status.addresses. Passes run after builds and on leadership, one at a time.
import { combineLatest, type Observable, type Subscription } from 'rxjs';
import { silentLogger, type Logger } from '../log';
import type { ModelView } from '../model/store';
import { GATEWAY_CONTROLLER_NAME } from '../frontends/gateway/contract';
import {
  GATEWAY_NAME_LABEL,
  GATEWAY_NAMESPACE_LABEL,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  gatewayInfra,
  infraName,
  infraSettings,
  type InfraObject,
} from '../cluster/gateway-infra';
import { SerialPasses } from './serial-passes';
import { KubeApiError, type KubeClient } from './kube-client';

export interface GatewayAddress {
  type: 'IPAddress' | 'Hostname';
  value: string;
}

export interface GatewayProvisionerOptions {
  client: KubeClient;
  model: ModelView;
  /** Fires after every build (the model changed). */
  builds$: Observable<unknown>;
  isLeader$: Observable<boolean>;
  /** The Envoy bootstrap for a Gateway "NS/NAME" (kxds bootstrap --role edge --gateway NS/NAME). */
  bootstrap: (gateway: string) => string;
  image: string;
  /** --gateway-xds-tls-secret: the client certificate Secret each Gateway's namespace holds. */
  xdsTlsSecret?: string;
  privilegedPortOffset: number;
  /** Called when the addresses of provisioned Services changed (the status writer then writes them). */
  onAddresses?: () => void;
  logger?: Logger;
}

export interface GatewayProvisionerCounters {
  passes: number;
  created: number;
  patched: number;
  deleted: number;
  failures: number;
}

/** The collection path of one kind of provisioned object (test/deploy/api-calls.ts knows this helper by name). */
export function infraCollectionPath(kind: InfraObject['kind'], namespace?: string): string {
  const base = kind === 'Deployment' ? '/apis/apps/v1' : '/api/v1';
  const plural = {
    ServiceAccount: 'serviceaccounts',
    ConfigMap: 'configmaps',
    Deployment: 'deployments',
    Service: 'services',
  }[kind];
  return `${base}${namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ''}/${plural}`;
}

const INFRA_KINDS: readonly InfraObject['kind'][] = ['ServiceAccount', 'ConfigMap', 'Deployment', 'Service'];

type Json = Record<string, unknown>;

/** Whether every field of `want` is in `have` with the same value (fields the API server adds are ignored). */
function covers(have: unknown, want: unknown): boolean {
  if (Array.isArray(want))
    return Array.isArray(have) && have.length === want.length && want.every((w, i) => covers(have[i], w));
  if (want && typeof want === 'object') {
    if (!have || typeof have !== 'object') return false;
    return Object.entries(want as Json).every(([k, v]) => covers((have as Json)[k], v));
  }
  return have === want || (typeof want === 'number' && String(want) === String(have));
}

export class GatewayProvisioner {
  readonly counters: GatewayProvisionerCounters = {
    passes: 0,
    created: 0,
    patched: 0,
    deleted: 0,
    failures: 0,
  };
  private readonly log: Logger;
  private subscription?: Subscription;
  private leader = false;
  private readonly passes = new SerialPasses(() =>
    this.pass().catch((err: unknown) => {
      this.counters.failures++;
      this.log.warn({ err: (err as Error).message }, 'Gateway provisioning pass failed');
    }),
  );
  private addressesByGateway = new Map<string, GatewayAddress[]>();

  constructor(private readonly options: GatewayProvisionerOptions) {
    this.log = (options.logger ?? silentLogger).child({ component: 'gateway-provisioner' });
  }

  start(): void {
    this.subscription = combineLatest([this.options.builds$, this.options.isLeader$]).subscribe(
      ([, leader]) => {
        this.leader = leader;
        this.requestPass();
      },
    );
  }

  async stop(): Promise<void> {
    this.subscription?.unsubscribe();
    await this.passes.stop();
  }

  async idle(): Promise<void> {
    await this.passes.idle();
  }

  /** status.addresses of a provisioned Gateway "NS/NAME" (undefined: none known). */
  addresses(gateway: string): GatewayAddress[] | undefined {
    return this.addressesByGateway.get(gateway);
  }

  private requestPass(): void {
    this.passes.request();
  }

  private async pass(): Promise<void> {
    if (!this.leader) return;
    this.counters.passes++;
    const { model } = this.options;
    const classes = new Map(
      model
        .list('GatewayClass')
        .filter((c) => c.spec.controllerName === GATEWAY_CONTROLLER_NAME)
        .map((c) => [c.metadata.name, c]),
    );
    const wanted = new Set<string>();
    const addresses = new Map<string, GatewayAddress[]>();
    for (const gateway of model.list('Gateway')) {
      const spec = gateway.spec as {
        gatewayClassName?: string;
        listeners?: { port?: number; protocol?: string }[];
        infrastructure?: Json;
      };
      const gatewayClass = classes.get(spec.gatewayClassName ?? '');
      if (!gatewayClass || !gateway.metadata.uid) continue;
      const namespace = gateway.metadata.namespace ?? 'default';
      const key = `${namespace}/${gateway.metadata.name}`;
      wanted.add(key);
      const classData = await this.parameters(gatewayClass.spec.parametersRef as Json | undefined, undefined);
      const gatewayData = await this.parameters(
        spec.infrastructure?.parametersRef as Json | undefined,
        namespace,
      );
      const { settings, problems } = infraSettings(
        classData || gatewayData ? { ...classData, ...gatewayData } : undefined,
        spec.infrastructure as { labels?: Record<string, string>; annotations?: Record<string, string> },
        {
          image: this.options.image,
          ...(this.options.xdsTlsSecret ? { xdsTlsSecret: this.options.xdsTlsSecret } : {}),
        },
      );
      for (const problem of problems)
        this.log.warn({ object: `Gateway ${key}` }, `infrastructure parameters: ${problem}`);
      const objects = gatewayInfra(
        {
          namespace,
          name: gateway.metadata.name,
          uid: gateway.metadata.uid,
          ports: (spec.listeners ?? []).flatMap((l) =>
            l.port
              ? [{ port: l.port, protocol: l.protocol === 'UDP' ? ('UDP' as const) : ('TCP' as const) }]
              : [],
          ),
        },
        settings,
        this.options.bootstrap(key),
        this.options.privilegedPortOffset,
      );
      for (const object of objects) {
        const stored = await this.apply(object);
        if (object.kind === 'Service') addresses.set(key, serviceAddresses(stored));
      }
    }
    await this.deleteUnowned(wanted);
    const changed = JSON.stringify([...addresses]) !== JSON.stringify([...this.addressesByGateway]);
    this.addressesByGateway = addresses;
    if (changed) this.options.onAddresses?.();
  }

  /** The data of a parametersRef ConfigMap (core group); undefined when there is none or it is missing. */
  private async parameters(
    ref: Json | undefined,
    namespace: string | undefined,
  ): Promise<Record<string, string> | undefined> {
    if (!ref || (ref.group ?? '') !== '' || ref.kind !== 'ConfigMap' || typeof ref.name !== 'string')
      return undefined;
    const ns = namespace ?? (typeof ref.namespace === 'string' ? ref.namespace : undefined);
    if (!ns) return undefined;
    try {
      const configMaps = infraCollectionPath('ConfigMap', ns);
      const cm = await this.options.client.request<{ data?: Record<string, string> }>(
        'GET',
        `${configMaps}/${encodeURIComponent(ref.name)}`,
      );
      return cm.data ?? {};
    } catch (err) {
      if (err instanceof KubeApiError && err.statusCode === 404) return undefined;
      throw err;
    }
  }

  /** Creates the object, or patches it when the stored one lacks any of its fields; returns the stored one. */
  private async apply(object: InfraObject): Promise<Json> {
    const collection = infraCollectionPath(object.kind, object.metadata.namespace);
    const path = `${collection}/${encodeURIComponent(object.metadata.name)}`;
    let current: Json | undefined;
    try {
      current = await this.options.client.request<Json>('GET', path);
    } catch (err) {
      if (!(err instanceof KubeApiError && err.statusCode === 404)) throw err;
    }
    const what = `${object.kind} ${object.metadata.namespace}/${object.metadata.name}`;
    if (!current) {
      this.counters.created++;
      this.log.info({ object: what }, 'created for its Gateway');
      return this.options.client.request<Json>('POST', collection, { body: object });
    }
    if (covers(current, object)) return current;
    this.counters.patched++;
    this.log.info({ object: what }, 'updated for its Gateway');
    return this.options.client.request<Json>('PATCH', path, {
      body: object,
      contentType: 'application/merge-patch+json',
    });
  }

  private async deleteUnowned(wanted: ReadonlySet<string>): Promise<void> {
    for (const kind of INFRA_KINDS) {
      const everywhere = infraCollectionPath(kind);
      const list = await this.options.client.request<{
        items?: { metadata: { name: string; namespace?: string; labels?: Record<string, string> } }[];
      }>('GET', everywhere, { query: { labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY}` } });
      for (const item of list.items ?? []) {
        const labels = item.metadata.labels ?? {};
        const owner = `${labels[GATEWAY_NAMESPACE_LABEL] ?? ''}/${labels[GATEWAY_NAME_LABEL] ?? ''}`;
        if (wanted.has(owner) && item.metadata.name === infraName(labels[GATEWAY_NAME_LABEL] ?? '')) continue;
        const inNamespace = infraCollectionPath(kind, item.metadata.namespace);
        try {
          await this.options.client.request(
            'DELETE',
            `${inNamespace}/${encodeURIComponent(item.metadata.name)}`,
          );
          this.counters.deleted++;
          this.log.info(
            { object: `${kind} ${item.metadata.namespace ?? ''}/${item.metadata.name}`, gateway: owner },
            'deleted: its Gateway is gone or not ours',
          );
        } catch (err) {
          if (!(err instanceof KubeApiError && err.statusCode === 404)) throw err;
        }
      }
    }
  }
}

/** A Service's addresses for Gateway status: its load balancer's ingress, else its cluster IP. */
function serviceAddresses(service: Json): GatewayAddress[] {
  const ingress =
    (
      (service.status as Json | undefined)?.loadBalancer as
        { ingress?: { ip?: string; hostname?: string }[] } | undefined
    )?.ingress ?? [];
  const fromLb = ingress.flatMap((i): GatewayAddress[] =>
    i.ip ? [{ type: 'IPAddress', value: i.ip }] : i.hostname ? [{ type: 'Hostname', value: i.hostname }] : [],
  );
  if (fromLb.length) return fromLb;
  const clusterIp = (service.spec as { clusterIP?: string } | undefined)?.clusterIP;
  return clusterIp && clusterIp !== 'None' ? [{ type: 'IPAddress', value: clusterIp }] : [];
}
