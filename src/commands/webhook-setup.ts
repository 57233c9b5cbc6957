// The webhook flags of `kxds serve` (webhook-options.ts) checked and turned into startWebhookServer options.
// Loaded only when serve runs: certificate generation pulls in @peculiar/x509.
import { parseXdsServerAddress } from '../bootstrap/xds-server-address';
import type { Logger } from '../log';
import { serviceDnsNames } from '../webhook/serving-cert';
import type { WebhookServerOptions } from '../webhook/server';
import { injectionSettings } from '../webhook/settings';
import type { WebhookFlags } from './webhook-options';

export function webhookServerOptions(
  flags: WebhookFlags,
  deps: {
    namespaceLabels: WebhookServerOptions['namespaceLabels'];
    logger: Logger;
    waitForCertificateFiles?: boolean;
  },
): WebhookServerOptions {
  const xdsServer = flags.sidecarXdsServer ?? `kxds.${flags.kxdsNamespace}.svc:18000`;
  parseXdsServerAddress(xdsServer, '--sidecar-xds-server');
  const timeout = Number(flags.proxyReadyTimeout);
  if (!Number.isInteger(timeout) || timeout < 1 || timeout > 3600) {
    throw new Error(`--proxy-ready-timeout "${flags.proxyReadyTimeout}": expected whole seconds, 1 to 3600`);
  }
  const settings = injectionSettings(
    {
      envoyImage: flags.envoyImage,
      kxdsImage: flags.kxdsImage,
      xdsServer,
      ownNamespace: flags.kxdsNamespace,
    },
    {
      nativeSidecars: flags.nativeSidecars,
      proxyReadyTimeoutSeconds: timeout,
      ...(flags.iptablesImage ? { iptablesImage: flags.iptablesImage } : {}),
      ...(flags.sidecarXdsTlsSecret ? { xdsClientTlsSecret: flags.sidecarXdsTlsSecret } : {}),
    },
  );
  return {
    address: flags.webhookAddress,
    certFile: flags.webhookCert,
    keyFile: flags.webhookKey,
    generatedHosts: [...serviceDnsNames(flags.webhookService, flags.kxdsNamespace), 'localhost', '127.0.0.1'],
    settings,
    namespaceLabels: deps.namespaceLabels,
    logger: deps.logger,
    ...(deps.waitForCertificateFiles ? { waitForCertificateFiles: true } : {}),
  };
}
