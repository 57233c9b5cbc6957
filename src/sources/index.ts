// Picks the source for `kxds serve`: a manifest directory when one is given, else the Kubernetes API.
import type { Logger } from '../log';
import type { Source } from './source';
import { ManifestSource } from './manifest-source';
import { createKubeSource } from './kube-source';

export interface SourceOptions {
  manifests?: string;
  kubeconfig?: string;
  namespaces: string[];
}

export async function createSource(options: SourceOptions, logger: Logger): Promise<Source> {
  if (options.manifests) return new ManifestSource({ dir: options.manifests, logger });
  return createKubeSource({
    ...(options.kubeconfig ? { kubeconfigPath: options.kubeconfig } : {}),
    namespaces: options.namespaces,
    logger,
  });
}
