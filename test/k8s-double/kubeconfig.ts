// A kubeconfig file that points at an API server double (plain HTTP, token auth that the double ignores).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function kubeconfigYaml(serverUrl: string, namespace = 'default'): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: double',
    '  cluster:',
    `    server: ${serverUrl}`,
    // client-node refuses plain HTTP unless TLS verification is off; the double speaks only HTTP.
    '    insecure-skip-tls-verify: true',
    'users:',
    '- name: tester',
    '  user:',
    '    token: test-token',
    'contexts:',
    '- name: double',
    '  context:',
    '    cluster: double',
    '    user: tester',
    `    namespace: ${namespace}`,
    'current-context: double',
    '',
  ].join('\n');
}

/** Writes a kubeconfig for `serverUrl` into a fresh temporary directory and returns its path. */
export function writeKubeconfig(serverUrl: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kxds-kubeconfig-'));
  const file = path.join(dir, 'config');
  writeFileSync(file, kubeconfigYaml(serverUrl));
  return file;
}
