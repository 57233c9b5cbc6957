// What `kxds bootstrap` prints for its flags (the command itself is in bootstrap.ts), and the atomic write
// of --output-file. Loaded when the command runs: rendering encodes through the protos.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildBootstrap } from '../bootstrap/envoy-bootstrap';
import { parseDownwardApiLabels, podIdentityFromEnv } from '../bootstrap/pod-identity';
import { buildProxylessBootstrap } from '../bootstrap/proxyless-bootstrap';
import { renderEnvoyBootstrap, renderProxylessBootstrap } from '../bootstrap/render';
import { xdsClientTls } from '../bootstrap/xds-client-tls';
import type { BootstrapFlags } from './bootstrap';

/** The bootstrap text for the given flags; `env` supplies the sidecar's downward-API identity. */
export function bootstrapText(flags: BootstrapFlags, env: NodeJS.ProcessEnv): string {
  const tls = xdsClientTls(flags);
  const labels = flags.labelsFile
    ? parseDownwardApiLabels(fs.readFileSync(flags.labelsFile, 'utf8'))
    : undefined;
  const pod = flags.role === 'edge' ? undefined : podIdentityFromEnv(env, labels);
  if (flags.role === 'proxyless') {
    const bootstrap = buildProxylessBootstrap({
      xdsServer: flags.xdsServer,
      nodeId: flags.nodeId,
      nodeCluster: flags.nodeCluster,
      pod,
      tls,
    });
    return renderProxylessBootstrap(bootstrap, flags.output);
  }
  const bootstrap = buildBootstrap({
    role: flags.role,
    xdsServer: flags.xdsServer,
    nodeId: flags.nodeId,
    nodeCluster: flags.nodeCluster,
    pod,
    capture: flags.capture,
    egressNamespaces: flags.egressNamespaces,
    gateway: flags.gateway,
    tls,
    adminPort: flags.adminPort,
    maxHeapBytes: flags.maxHeapBytes,
    maxDownstreamConnections: flags.maxConnections,
    initialFetchTimeoutSeconds: flags.initialFetchTimeout,
  });
  return renderEnvoyBootstrap(bootstrap, flags.output);
}

/** Writes via a temporary file and a rename, so Envoy never reads half a bootstrap. */
export function writeFileAtomically(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text, { mode: 0o644 });
  fs.renameSync(temporary, file);
}
