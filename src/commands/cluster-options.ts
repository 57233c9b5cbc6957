// The cluster-mode flags of `kxds serve` (leader election, Ingress status, the in-cluster certificate issuer), kept beside serve.ts like the
// webhook flags. Registering them loads nothing else; cluster-setup.ts turns them into startClusterMode
// options when serve runs.
import type { Command } from 'commander';

export interface ClusterFlags {
  /** undefined: neither --leader-elect nor --no-leader-elect given (on in-cluster, else off). */
  leaderElect?: boolean;
  leaseNamespace: string;
  leaseName: string;
  leaseDuration: string;
  leaseRenewDeadline: string;
  leaseRetryPeriod: string;
  edgeService?: string;
  publishAddress?: string;
  issueCertificates?: boolean;
  webhookConfiguration: string;
  certificateCheckInterval: string;
  /** false with --no-gateway-provisioner. */
  gatewayProvisioner: boolean;
  gatewayEnvoyImage: string;
  gatewayXdsServer: string;
  gatewayXdsTlsSecret?: string;
}

export function addClusterOptions(command: Command): Command {
  return command
    .option(
      '--leader-elect',
      'elect one replica (a Lease) to write Ingress status and Events (default: on in-cluster)',
    )
    .option('--no-leader-elect', 'do not elect: this replica writes Ingress status and Events')
    .option(
      '--lease-namespace <ns>',
      'namespace of the leader election Lease',
      process.env.POD_NAMESPACE || 'kxds',
    )
    .option('--lease-name <name>', 'name of the leader election Lease', 'kxds-leader')
    .option('--lease-duration <seconds>', 'how long a silent leader keeps the Lease', '15')
    .option(
      '--lease-renew-deadline <seconds>',
      'a leader that could not renew for this long steps down',
      '10',
    )
    .option('--lease-retry-period <seconds>', 'how often the leader renews and the others try', '2')
    .option(
      '--edge-service <ns/name>',
      "write this Service's load-balancer address into the status of served Ingresses",
    )
    .option('--publish-address <ip-or-hostname>', 'write this address into the status of served Ingresses')
    .option(
      '--issue-certificates',
      "the leader keeps kxds's CA and certificates (xDS, webhook, edge, operator; each sidecar namespace's " +
        '--sidecar-xds-tls-secret) in Secrets, renews them and sets the webhook caBundle (docs/install.md)',
    )
    .option('--no-issue-certificates', 'do not issue certificates (they come from certgen or cert-manager)')
    .option(
      '--certificate-check-interval <seconds>',
      'how often the leader checks the certificates of --issue-certificates',
      '3600',
    )
    .option(
      '--webhook-configuration <name>',
      'MutatingWebhookConfiguration whose caBundle --issue-certificates keeps',
      'kxds-sidecar-injector',
    )
    .option('--no-gateway-provisioner', 'do not run Envoys for Gateways of our class: the user runs them')
    .option(
      '--gateway-envoy-image <image>',
      'Envoy image of provisioned Gateways',
      'envoyproxy/envoy:v1.33.2',
    )
    .option(
      '--gateway-xds-server <host:port>',
      "kxds's xDS address in the bootstrap of provisioned Gateways",
      `kxds.${process.env.POD_NAMESPACE || 'kxds'}.svc:18000`,
    )
    .option(
      '--gateway-xds-tls-secret <name>',
      "Secret (in each Gateway's namespace) with the client certificate its Envoys present to kxds",
    );
}

/** Flags that only make sense with the Kubernetes API source. */
export function clusterFlagsGiven(flags: ClusterFlags): string[] {
  return [
    ...(flags.leaderElect === true ? ['--leader-elect'] : []),
    ...(flags.edgeService ? ['--edge-service'] : []),
    ...(flags.publishAddress ? ['--publish-address'] : []),
    ...(flags.issueCertificates === true ? ['--issue-certificates'] : []),
  ];
}
