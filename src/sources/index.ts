// Picks the source for `kxds serve`: a manifest directory when one is given, else the Kubernetes API.
import * as fs from 'node:fs';
import type { Logger } from '../log';
import type { Source } from './source';
import { ManifestSource } from './manifest-source';
import { createKubeSource, type SecretInterest } from './kube-source';

export interface SourceOptions {
  manifests?: string;
  kubeconfig?: string;
  namespaces: string[];
  /** Which Secrets the served objects name: the only ones read from the API server. */
  secretReferences?: SecretInterest;
  /** ConfigMaps (NAMESPACE/NAME) whose whole data kxds reads (TCP/UDP services); others keep only ca.crt. */
  keepConfigMapData?: readonly string[];
}

export async function createSource(options: SourceOptions, logger: Logger): Promise<Source> {
  if (options.manifests) {
    // A missing directory at start is almost always a typo: refuse rather than serve an empty config.
    // (Once running, a directory that goes away keeps what was loaded.)
    const stat = fs.statSync(options.manifests, { throwIfNoEntry: false });
    if (!stat?.isDirectory()) {
      throw new Error(`--manifests ${options.manifests}: ${stat ? 'not a directory' : 'no such directory'}`);
    }
    return new ManifestSource({ dir: options.manifests, logger });
  }
  return createKubeSource({
    ...(options.kubeconfig ? { kubeconfigPath: options.kubeconfig } : {}),
    namespaces: options.namespaces,
    ...(options.secretReferences ? { secretReferences: options.secretReferences } : {}),
    ...(options.keepConfigMapData ? { keepConfigMapData: options.keepConfigMapData } : {}),
    logger,
  });
}
