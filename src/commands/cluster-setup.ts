// The cluster flags of `kxds serve` (cluster-options.ts) checked and turned into startClusterMode options.
// Loaded only when serve runs: it pulls in the Kubernetes client.
import {
  startClusterMode,
  type ClusterMode,
  type ClusterModeOptions,
  type LeaderElectionSettings,
} from '../cluster/cluster-mode';
import type { App } from '../app';
import { sendJson } from '../admin/http-server';
import type { Logger } from '../log';
import { KubeSource } from '../sources/kube-source';
import { defaultIdentity } from '../sources/leader-election';
import type { Source } from '../sources/source';
import { IN_CLUSTER_ORIGIN } from '../sources/kube-config';
import { parseServiceRef } from '../sources/service-address';
import { clusterFlagsGiven, type ClusterFlags } from './cluster-options';
import { buildBootstrap } from '../bootstrap/envoy-bootstrap';
import { renderEnvoyBootstrap } from '../bootstrap/render';
import { XDS_TLS_DIR } from '../cluster/gateway-infra';
import { PRIVILEGED_PORT_OFFSET } from '../translate/gateways';

/** What the provisioner needs from the flags (undefined with --no-gateway-provisioner). */
export function provisionerSettings(flags: ClusterFlags): ClusterModeOptions['gatewayProvisioner'] {
  if (!flags.gatewayProvisioner) return undefined;
  const secret = flags.gatewayXdsTlsSecret;
  const tls = secret
    ? {
        caFile: `${XDS_TLS_DIR}/ca.crt`,
        certFile: `${XDS_TLS_DIR}/tls.crt`,
        keyFile: `${XDS_TLS_DIR}/tls.key`,
      }
    : undefined;
  return {
    bootstrap: (gateway) =>
      renderEnvoyBootstrap(
        buildBootstrap({ role: 'edge', xdsServer: flags.gatewayXdsServer, gateway, ...(tls ? { tls } : {}) }),
        'yaml',
      ),
    image: flags.gatewayEnvoyImage,
    ...(secret ? { xdsTlsSecret: secret } : {}),
    privilegedPortOffset: PRIVILEGED_PORT_OFFSET,
  };
}

function seconds(flag: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new Error(`${flag}: "${value}" is not a number of seconds between ${min} and ${max}`);
  return n;
}

/** Checks the flags and makes the leader election settings (undefined when election is off). */
export function leaderElectionSettings(
  flags: ClusterFlags,
  clientOrigin: string,
): LeaderElectionSettings | undefined {
  const enabled = flags.leaderElect ?? clientOrigin === IN_CLUSTER_ORIGIN;
  const leaseDurationSeconds = seconds('--lease-duration', flags.leaseDuration, 1, 3600);
  if (!Number.isInteger(leaseDurationSeconds))
    throw new Error(
      `--lease-duration: "${flags.leaseDuration}" must be whole seconds (the Lease stores an integer)`,
    );
  const renewDeadlineMs = seconds('--lease-renew-deadline', flags.leaseRenewDeadline, 0.1, 3600) * 1000;
  const retryPeriodMs = seconds('--lease-retry-period', flags.leaseRetryPeriod, 0.1, 3600) * 1000;
  if (renewDeadlineMs >= leaseDurationSeconds * 1000)
    throw new Error('--lease-renew-deadline must be shorter than --lease-duration');
  if (retryPeriodMs >= renewDeadlineMs)
    throw new Error('--lease-retry-period must be shorter than --lease-renew-deadline');
  if (!enabled) return undefined;
  return {
    namespace: flags.leaseNamespace,
    name: flags.leaseName,
    leaseDurationSeconds,
    renewDeadlineMs,
    retryPeriodMs,
  };
}

/** The edge address flags, checked (one of the two at most; a well-formed Service reference). */
export function edgeAddressFlags(
  flags: ClusterFlags,
): Pick<ClusterModeOptions, 'edgeService' | 'publishAddress'> {
  if (flags.edgeService && flags.publishAddress)
    throw new Error('--edge-service and --publish-address exclude each other; give one');
  if (flags.edgeService) parseServiceRef(flags.edgeService);
  return {
    ...(flags.edgeService ? { edgeService: flags.edgeService } : {}),
    ...(flags.publishAddress ? { publishAddress: flags.publishAddress } : {}),
  };
}

/**
 * Checks the cluster flags against the source (before anything listens) and returns how to start cluster
 * mode once the app runs; undefined for the manifest source, which has no cluster to write to. Starting it
 * also adds /debug/cluster to the admin server: the source's informer counters and the leader's state.
 */
export function prepareClusterMode(
  flags: ClusterFlags & {
    namespace: string[];
    kxdsNamespace: string;
    webhookService: string;
    trustDomain: string;
    sidecarXdsTlsSecret?: string;
  },
  source: Source,
  logger: Logger,
): ((app: Pick<App, 'pipeline' | 'admin'>) => ClusterMode) | undefined {
  if (!(source instanceof KubeSource)) {
    const given = clusterFlagsGiven(flags);
    if (given.length)
      throw new Error(`${given.join(', ')}: only with the Kubernetes API source (not with --manifests)`);
    return undefined;
  }
  const leaderElection = leaderElectionSettings(flags, source.client.origin);
  const edge = edgeAddressFlags(flags);
  const checkIntervalMs =
    seconds('--certificate-check-interval', flags.certificateCheckInterval, 1, 86_400) * 1000;
  const gatewayProvisioner = provisionerSettings(flags);
  return (app) => {
    const mode = startClusterMode({
      pipeline: app.pipeline,
      client: source.client,
      identity: defaultIdentity(),
      ...(leaderElection ? { leaderElection } : {}),
      ...edge,
      ...(flags.issueCertificates
        ? {
            certificates: {
              settings: {
                namespace: flags.kxdsNamespace,
                service: flags.webhookService,
                trustDomain: flags.trustDomain,
              },
              webhookConfiguration: flags.webhookConfiguration,
              checkIntervalMs,
              ...(flags.sidecarXdsTlsSecret ? { sidecarSecret: flags.sidecarXdsTlsSecret } : {}),
            },
          }
        : {}),
      ...(gatewayProvisioner ? { gatewayProvisioner } : {}),
      namespaces: flags.namespace,
      logger,
    });
    app.admin.route(
      '/debug/cluster',
      (_req, res) => sendJson(res, 200, { source: source.stats(), cluster: mode.stats() }),
      "the Kubernetes source's informers and the leader election",
    );
    return mode;
  };
}
