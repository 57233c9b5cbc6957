// The load-balancer address of one Service (--edge-service NS/NAME), watched by a supervised informer with a
// field selector on its name, as an Observable for the Ingress status writer; or a fixed --publish-address.
import { BehaviorSubject, filter, of, type Observable } from 'rxjs';
import { silentLogger, type Logger } from '../log';
import type { Service } from '../model/k8s';
import type { BackoffOptions } from './backoff';
import { publishAddress, type LoadBalancerIngress } from './ingress-status';
import { InformerSupervisor } from './informer-supervisor';
import type { KubeClient } from './kube-client';
import { collectionPath, watchedResource } from './watched-resources';

export interface ServiceAddressWatch {
  /** Emits once the Service was listed ([] while it has no address or does not exist), then on changes. */
  readonly address$: Observable<readonly LoadBalancerIngress[]>;
  stop(): Promise<void>;
}

/** Parses "namespace/name"; throws a message that names the flag's expected form. */
export function parseServiceRef(ref: string): { namespace: string; name: string } {
  const match = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\/([a-z0-9]([-a-z0-9]*[a-z0-9])?)$/.exec(ref);
  if (!match?.[1] || !match[3]) throw new Error(`edge service "${ref}" is not NAMESPACE/NAME`);
  return { namespace: match[1], name: match[3] };
}

export function watchServiceAddress(
  client: KubeClient,
  ref: string,
  options: { logger?: Logger; backoff?: BackoffOptions } = {},
): ServiceAddressWatch {
  const { namespace, name } = parseServiceRef(ref);
  const state = new BehaviorSubject<readonly LoadBalancerIngress[] | undefined>(undefined);
  let current: readonly LoadBalancerIngress[] = [];
  const resource = watchedResource('Service');
  const supervisor = new InformerSupervisor({
    client,
    scope: {
      id: `edge Service ${ref}`,
      resource,
      path: collectionPath(resource, namespace),
      fieldSelector: `metadata.name=${name}`,
    },
    logger: options.logger ?? silentLogger,
    backoff: options.backoff,
    handlers: {
      upsert: (object) => {
        current = (object as Service).status?.loadBalancer?.ingress ?? [];
        if (state.value !== undefined) state.next(current);
      },
      delete: () => {
        current = [];
        if (state.value !== undefined) state.next(current);
      },
      synced: () => state.next(current),
    },
  });
  supervisor.start();
  return {
    address$: state.pipe(filter((value): value is readonly LoadBalancerIngress[] => value !== undefined)),
    stop: () => supervisor.stop(),
  };
}

export interface EdgeAddressOptions {
  /** --edge-service NAMESPACE/NAME: follow that Service's load-balancer status. */
  edgeService?: string;
  /** --publish-address: a fixed IP or hostname. */
  publishAddress?: string;
  logger?: Logger;
  backoff?: BackoffOptions;
}

/** The edge address from exactly one of --edge-service and --publish-address. */
export function edgeAddress(client: KubeClient, options: EdgeAddressOptions): ServiceAddressWatch {
  if (options.edgeService && options.publishAddress) {
    throw new Error('--edge-service and --publish-address exclude each other; give one');
  }
  if (options.publishAddress) {
    return { address$: of(publishAddress(options.publishAddress)), stop: async () => undefined };
  }
  if (options.edgeService) return watchServiceAddress(client, options.edgeService, options);
  throw new Error('writing Ingress status needs --edge-service NAMESPACE/NAME or --publish-address ADDRESS');
}
