// What kxds does in a cluster besides serving xDS: elect a leader among the replicas (a Lease), and - only as
// the leader - write the edge address into the status of the Ingresses it serves, write the Gateway API
// statuses each build computes (and run the Gateways' Envoys), post Events for bad Ingresses and Services, and
// (--issue-certificates) keep kxds's own certificates in Secrets. Every replica keeps serving xDS whatever its
// role. Wired by `kxds serve` after
// startApp, given the app's pipeline and the Kubernetes client the source uses.
import { BehaviorSubject, map, type Observable } from 'rxjs';
import { silentLogger, type Logger } from '../log';
import type { Pipeline } from '../pipeline';
import { IngressStatusWriter, type IngressStatusCounters } from '../sources/ingress-status';
import { GatewayStatusWriter, type GatewayStatusCounters } from '../sources/gateway-status';
import { GatewayProvisioner, type GatewayProvisionerCounters } from '../sources/gateway-provisioner';
import type { KubeClient } from '../sources/kube-client';
import { KubeEventPoster } from '../sources/kube-events';
import { LeaderElector, type LeaderElectionCounters } from '../sources/leader-election';
import { edgeAddress, type ServiceAddressWatch } from '../sources/service-address';
import { currentAndLaterBuilds, servedIngresses$ } from './served-ingresses';
import { WarningEvents } from './warning-events';
import { CertificateIssuer, type CertificateIssuerCounters } from './certificate-issuer';
import { sidecarNamespaces } from './sidecar-namespaces';
import type { InClusterCertificateSettings } from '../certs/in-cluster-secrets';

export interface LeaderElectionSettings {
  namespace: string;
  name: string;
  leaseDurationSeconds: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

export interface ClusterModeOptions {
  pipeline: Pick<Pipeline, 'builds$' | 'lastBuild' | 'store'>;
  client: KubeClient;
  /** This replica's name in the Lease and in Events. */
  identity: string;
  /** Absent: no election, this replica acts as the leader (a single replica, or outside a cluster). */
  leaderElection?: LeaderElectionSettings;
  /** --edge-service NS/NAME or --publish-address; with neither, Ingress status is not written. */
  edgeService?: string;
  publishAddress?: string;
  /** --issue-certificates: the leader keeps kxds's certificates in Secrets (./certificate-issuer.ts). */
  certificates?: {
    settings: InClusterCertificateSettings;
    webhookConfiguration: string;
    checkIntervalMs?: number;
    /** --sidecar-xds-tls-secret: also this Secret in every namespace with injected sidecars. */
    sidecarSecret?: string;
  };
  /** Envoys for Gateways of kxds's class (absent: --no-gateway-provisioner, the user runs them). */
  gatewayProvisioner?: {
    bootstrap: (gateway: string) => string;
    image: string;
    xdsTlsSecret?: string;
    privilegedPortOffset: number;
  };
  /** The --namespace scope, where the status writer looks for Ingresses to clear. */
  namespaces?: readonly string[];
  logger?: Logger;
}

export interface ClusterModeStats {
  leader: boolean;
  leaderElection?: LeaderElectionCounters;
  ingressStatus?: IngressStatusCounters;
  gatewayStatus: GatewayStatusCounters;
  gatewayProvisioner?: GatewayProvisionerCounters;
  events: { posted: number; failed: number };
  certificates?: CertificateIssuerCounters;
}

export interface ClusterMode {
  readonly isLeader$: Observable<boolean>;
  stats(): ClusterModeStats;
  /** Stops writing and campaigning; a leader releases its Lease so another replica takes over at once. */
  stop(): Promise<void>;
}

export function startClusterMode(options: ClusterModeOptions): ClusterMode {
  const logger = options.logger ?? silentLogger;
  const log = logger.child({ component: 'cluster' });
  const elector = options.leaderElection
    ? new LeaderElector({
        client: options.client,
        identity: options.identity,
        logger,
        ...options.leaderElection,
      })
    : undefined;
  const isLeader$ = elector?.isLeader$ ?? new BehaviorSubject(true);
  let leader = false;
  const leaderSubscription = isLeader$.subscribe((value) => (leader = value));
  const builds$ = currentAndLaterBuilds(options.pipeline);

  let address: ServiceAddressWatch | undefined;
  let writer: IngressStatusWriter | undefined;
  if (options.edgeService || options.publishAddress) {
    address = edgeAddress(options.client, {
      ...(options.edgeService ? { edgeService: options.edgeService } : {}),
      ...(options.publishAddress ? { publishAddress: options.publishAddress } : {}),
      logger,
    });
    writer = new IngressStatusWriter({
      client: options.client,
      served$: servedIngresses$(builds$),
      address$: address.address$,
      isLeader$,
      ...(options.namespaces?.length ? { namespaces: options.namespaces } : {}),
      logger,
    });
    writer.start();
  } else {
    log.info('no --edge-service or --publish-address: Ingress status is not written');
  }

  const provisioner = options.gatewayProvisioner
    ? new GatewayProvisioner({
        client: options.client,
        model: options.pipeline.store,
        builds$,
        isLeader$,
        ...options.gatewayProvisioner,
        onAddresses: () => gatewayStatus.refresh(),
        logger,
      })
    : undefined;
  const gatewayStatus = new GatewayStatusWriter({
    client: options.client,
    statuses$: builds$.pipe(map((build) => build.result.gatewayStatuses)),
    isLeader$,
    ...(provisioner ? { addresses: (gateway: string) => provisioner.addresses(gateway) } : {}),
    logger,
  });
  gatewayStatus.start();
  provisioner?.start();

  const poster = new KubeEventPoster({ client: options.client, instance: options.identity, logger });
  const warnings = new WarningEvents({
    builds$,
    isLeader$,
    model: options.pipeline.store,
    poster,
    logger,
  });
  warnings.start();
  const certificates = options.certificates;
  const issuer = certificates
    ? new CertificateIssuer({
        client: options.client,
        isLeader$,
        ...certificates,
        ...(certificates.sidecarSecret
          ? {
              sidecars: {
                secretName: certificates.sidecarSecret,
                namespaces: () => sidecarNamespaces(options.pipeline.store, certificates.settings.namespace),
                changes$: builds$,
              },
            }
          : {}),
        logger,
      })
    : undefined;
  issuer?.start();
  elector?.start();
  log.info(
    {
      identity: options.identity,
      leaderElection: options.leaderElection
        ? `${options.leaderElection.namespace}/${options.leaderElection.name}`
        : false,
      ingressStatus: options.edgeService ?? options.publishAddress ?? false,
      issueCertificates: Boolean(issuer),
    },
    'cluster mode started',
  );

  return {
    isLeader$,
    stats: () => ({
      leader,
      ...(elector ? { leaderElection: { ...elector.counters } } : {}),
      ...(writer ? { ingressStatus: { ...writer.counters } } : {}),
      gatewayStatus: { ...gatewayStatus.counters },
      ...(provisioner ? { gatewayProvisioner: { ...provisioner.counters } } : {}),
      events: { posted: poster.posted, failed: poster.failed },
      ...(issuer ? { certificates: { ...issuer.counters } } : {}),
    }),
    async stop() {
      warnings.stop();
      await issuer?.stop();
      await provisioner?.stop();
      await gatewayStatus.stop();
      await writer?.stop();
      await address?.stop();
      await elector?.stop();
      leaderSubscription.unsubscribe();
    },
  };
}
