// Picks the source for `kxds serve`: a manifest directory when one is given, else the Kubernetes API.
import type { Logger } from '../log';
import type { Source } from './source';

export interface SourceOptions {
  manifests?: string;
  kubeconfig?: string;
  namespaces: string[];
}

export async function createSource(options: SourceOptions, _logger: Logger): Promise<Source> {
  throw new Error(`no source available yet for ${JSON.stringify(options)}`);
}
