// The sidecar injector's `kxds serve` flags, kept beside serve.ts so wiring the webhook into serve is:
// addWebhookOptions(command), then startWebhookServer(webhookServerOptions(flags, { namespaceLabels, logger }))
// (webhook-setup.ts) when flags.webhook is on. Registering the flags loads nothing else.
import type { Command } from 'commander';

export interface WebhookFlags {
  /** Undefined when neither --webhook nor --no-webhook was given: on against a cluster, off with --manifests. */
  webhook?: boolean;
  webhookAddress: string;
  webhookCert?: string;
  webhookKey?: string;
  webhookService: string;
  kxdsNamespace: string;
  envoyImage: string;
  kxdsImage: string;
  iptablesImage?: string;
  sidecarXdsServer?: string;
  sidecarXdsTlsSecret?: string;
  nativeSidecars: boolean;
  proxyReadyTimeout: string;
}

export const DEFAULT_ENVOY_IMAGE = 'envoyproxy/envoy:v1.33.2';
export const DEFAULT_KXDS_IMAGE = 'kxds:0.1.0';

export function addWebhookOptions(command: Command): Command {
  return command
    .option(
      '--webhook',
      'run the sidecar injection webhook (default: on against a cluster, off with --manifests)',
    )
    .option('--no-webhook', 'do not run the sidecar injection webhook')
    .option('--webhook-address <host:port>', 'sidecar injection webhook HTTPS listen address', '0.0.0.0:8443')
    .option(
      '--webhook-cert <path>',
      'webhook serving certificate (PEM, reloaded on change; default: generated)',
    )
    .option('--webhook-key <path>', 'key of --webhook-cert')
    .option(
      '--webhook-service <name>',
      "kxds's Service name: the DNS names of a generated or issued (--issue-certificates) certificate",
      'kxds',
    )
    .option(
      '--kxds-namespace <ns>',
      "kxds's own namespace (never injected)",
      process.env.POD_NAMESPACE || 'kxds',
    )
    .option('--envoy-image <image>', 'image of the injected Envoy', DEFAULT_ENVOY_IMAGE)
    .option(
      '--kxds-image <image>',
      'image of the bootstrap init container (entrypoint: kxds)',
      DEFAULT_KXDS_IMAGE,
    )
    .option('--iptables-image <image>', 'image of the iptables init container (default: --kxds-image)')
    .option(
      '--sidecar-xds-server <host:port>',
      'xDS address sidecars dial (default: kxds.<kxds-namespace>.svc:18000)',
    )
    .option(
      '--sidecar-xds-tls-secret <name>',
      'Secret (tls.crt, tls.key, ca.crt) in each pod namespace for mTLS to kxds',
    )
    .option(
      '--native-sidecars',
      'inject Envoy as a native sidecar (init container, restartPolicy Always)',
      true,
    )
    .option('--no-native-sidecars', 'inject Envoy as the first regular container instead')
    .option('--proxy-ready-timeout <seconds>', 'how long the app waits for its Envoy at start', '60');
}
