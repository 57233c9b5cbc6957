// Where kxds finds its cluster: an explicit --kubeconfig, else $KUBECONFIG, else ~/.kube/config, else the
// in-cluster service account. Unlike client-node's loadFromDefault, it never falls back to
// http://localhost:8080: with nothing found it fails with a message that lists what was tried.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import type { K8sModule } from './kube-client';

export interface KubeConfigOptions {
  /** --kubeconfig */
  kubeconfigPath?: string;
  /** For tests; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** For tests; default os.homedir(). */
  homeDir?: string;
  /** For tests; default the standard service account directory. */
  serviceAccountDir?: string;
}

export type KubeConfigChoice = { kind: 'files'; paths: string[] } | { kind: 'in-cluster' };

/** The origin a KubeClient reports when it uses the pod's service account (decides --leader-elect's default). */
export const IN_CLUSTER_ORIGIN = 'in-cluster service account';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** Decides where the configuration comes from, without reading it. Throws when there is nowhere to look. */
export function chooseKubeConfig(
  options: KubeConfigOptions,
  exists: (p: string) => boolean = existsSync,
): KubeConfigChoice {
  const env = options.env ?? process.env;
  if (options.kubeconfigPath) {
    if (!exists(options.kubeconfigPath))
      throw new Error(`kubeconfig ${options.kubeconfigPath} does not exist`);
    return { kind: 'files', paths: [options.kubeconfigPath] };
  }
  const fromEnv = (env['KUBECONFIG'] ?? '').split(path.delimiter).filter((p) => p && exists(p));
  if (fromEnv.length > 0) return { kind: 'files', paths: fromEnv };
  const home = path.join(options.homeDir ?? homedir(), '.kube', 'config');
  if (exists(home)) return { kind: 'files', paths: [home] };
  const saDir = options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  if (env['KUBERNETES_SERVICE_HOST'] && exists(path.join(saDir, 'token'))) return { kind: 'in-cluster' };
  throw new Error(
    `no Kubernetes configuration found: no --kubeconfig, no readable $KUBECONFIG, no ${home}, ` +
      `and not in a cluster (KUBERNETES_SERVICE_HOST unset or no ${saDir}/token)`,
  );
}

export function loadKubeConfig(
  k8s: K8sModule,
  options: KubeConfigOptions,
): { config: KubeConfig; origin: string } {
  const choice = chooseKubeConfig(options);
  const config = new k8s.KubeConfig();
  if (choice.kind === 'in-cluster') {
    config.loadFromCluster();
    return { config, origin: IN_CLUSTER_ORIGIN };
  }
  const [first, ...rest] = choice.paths;
  if (first === undefined) throw new Error('no kubeconfig path');
  try {
    config.loadFromFile(first);
    for (const extra of rest) {
      const more = new k8s.KubeConfig();
      more.loadFromFile(extra);
      config.mergeConfig(more);
    }
  } catch (err) {
    throw new Error(
      `kubeconfig ${choice.paths.join(path.delimiter)} is not valid: ${(err as Error).message}`,
    );
  }
  if (!config.getCurrentCluster()) {
    throw new Error(`kubeconfig ${choice.paths.join(path.delimiter)} has no current context with a cluster`);
  }
  return { config, origin: `kubeconfig ${choice.paths.join(path.delimiter)}` };
}
