// Starts the workload CA of `kxds serve --ca-address`: tokens reviewed through the Kubernetes client the
// source already has, the signing CA read from its files, TLS from the xDS serving certificate provider.
import * as grpc from '@grpc/grpc-js';
import { SigningAuthorityFiles } from '../ca/authority-files';
import { startCaServer, type CaServer } from '../ca/ca-server';
import type { Logger } from '../log';
import type { KubeClient } from '../sources/kube-client';
import { reviewServiceAccountToken } from '../sources/token-review';
import type { CaSettings } from './ca-options';

export function startWorkloadCa(
  settings: CaSettings,
  context: {
    client: KubeClient;
    serving: grpc.experimental.CertificateProvider;
    trustDomain: string;
    logger: Logger;
  },
): Promise<CaServer> {
  const files = new SigningAuthorityFiles(settings.files);
  // No client certificate: the caller has none yet (see ca-server.ts).
  const credentials = grpc.experimental.createCertificateProviderServerCredentials(
    context.serving,
    null,
    false,
  );
  return startCaServer(settings.address, credentials, {
    trustDomain: context.trustDomain,
    reviewToken: (token) => reviewServiceAccountToken(context.client, token, settings.audience),
    authority: () => files.current(),
    maxValiditySeconds: settings.maxValiditySeconds,
    logger: context.logger,
  });
}
