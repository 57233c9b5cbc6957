// Renders the shipped kustomizations the way a user's `kubectl apply -k` would, for the deployment tests.
// k8s/ is copied as a fresh clone has it (without the certificates a developer's `make certs` may have left in
// overlays/local-certs/certs); the local-certs overlay gets fresh ones in a second copy.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { runCertgen } from '../../src/commands/certgen-run';

export const REPO = path.resolve(__dirname, '..', '..', '..');

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [key: string]: unknown;
}

/** `kubectl kustomize DIR`, parsed; the error names the directory and carries kubectl's message. */
export function kustomize(dir: string): K8sObject[] {
  let out: string;
  try {
    out = execFileSync('kubectl', ['kustomize', dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    const stderr = (err as { stderr?: string }).stderr ?? String(err);
    throw new Error(`kubectl kustomize ${dir} failed (is kubectl installed?): ${stderr}`);
  }
  return parseAllDocuments(out).map((doc) => doc.toJS() as K8sObject);
}

/** A copy of k8s/ without key files, as a fresh clone has it. */
function copyOfK8s(): string {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kxds-k8s-')), 'k8s');
  fs.cpSync(path.join(REPO, 'k8s'), dir, {
    recursive: true,
    // Never the developer's own certificates.
    filter: (source) => !/[\\/]certs[\\/].+\.(crt|key)$/.test(source),
  });
  return dir;
}

const copies: { clean?: string; withCertificates?: string } = {};

/** k8s/ as on a fresh clone, made once per test process: every kustomization but local-certs renders. */
export function k8sCleanCheckout(): string {
  copies.clean ??= copyOfK8s();
  return copies.clean;
}

/** A copy of k8s/ with `make certs` output in overlays/local-certs/certs, made once per test process. */
export async function k8sWithCertificates(): Promise<string> {
  if (copies.withCertificates) return copies.withCertificates;
  const dir = copyOfK8s();
  await runCertgen({
    outputDir: path.join(dir, 'overlays', 'local-certs', 'certs'),
    secretsNamespace: 'kxds',
    serviceName: 'kxds',
    sidecarNamespace: [],
    host: [],
    days: 1,
  });
  copies.withCertificates = dir;
  return dir;
}

export function find(objects: readonly K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found)
    throw new Error(`no ${kind} ${name} among ${objects.map((o) => `${o.kind}/${o.metadata.name}`)}`);
  return found;
}
