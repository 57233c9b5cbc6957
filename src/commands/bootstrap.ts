// `kxds bootstrap`: prints (or writes) the bootstrap of an edge Envoy, a sidecar Envoy or a proxyless gRPC
// client. The sidecar injector's init container runs this same command, with the pod's identity in
// downward-API environment variables and a labels file, so the injected bootstrap is this output.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, Option } from 'commander';
import { PROXY_ROLES, type CaptureMode, type ProxyRole } from '../bootstrap/constants';
import { buildBootstrap } from '../bootstrap/envoy-bootstrap';
import { parseDownwardApiLabels, podIdentityFromEnv } from '../bootstrap/pod-identity';
import { buildProxylessBootstrap } from '../bootstrap/proxyless-bootstrap';
import {
  BOOTSTRAP_FORMATS,
  renderEnvoyBootstrap,
  renderProxylessBootstrap,
  type BootstrapFormat,
} from '../bootstrap/render';
import { xdsClientTls } from '../bootstrap/xds-client-tls';

export interface BootstrapFlags {
  role: ProxyRole;
  xdsServer: string;
  nodeId?: string;
  nodeCluster?: string;
  output: BootstrapFormat;
  outputFile?: string;
  tlsCert?: string;
  tlsKey?: string;
  tlsCa?: string;
  labelsFile?: string;
  capture?: CaptureMode;
  egressNamespaces?: string;
  adminPort?: number;
  maxHeapBytes?: number;
  maxConnections?: number;
  initialFetchTimeout?: number;
}

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

function positiveInteger(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} "${value}": expected a positive integer`);
    return n;
  };
}

export function register(program: Command): void {
  program
    .command('bootstrap')
    .description('print the bootstrap of an edge or sidecar Envoy, or of a proxyless gRPC client')
    .addOption(new Option('--role <role>', 'who reads it').choices(PROXY_ROLES).makeOptionMandatory())
    .requiredOption('--xds-server <host:port>', "kxds's xDS address, e.g. kxds.kxds.svc:18000")
    .option('--node-id <id>', 'node id (default: kxds-edge, POD.NAMESPACE for sidecars, kxds-proxyless)')
    .option('--node-cluster <name>', 'node cluster (default: kxds-<role>)')
    .addOption(new Option('--output <format>', 'output format').choices(BOOTSTRAP_FORMATS).default('yaml'))
    .option('--output-file <path>', 'write to this file (atomically) instead of stdout')
    .option('--tls-cert <path>', 'client certificate for mutual TLS to kxds')
    .option('--tls-key <path>', 'key of --tls-cert')
    .option('--tls-ca <path>', 'CA that signed the xDS server certificate (turns TLS on)')
    .option('--labels-file <path>', 'sidecar: downward API labels file of the pod')
    .addOption(
      new Option('--capture <mode>', 'sidecar: how app traffic reaches Envoy').choices([
        'explicit',
        'iptables',
      ]),
    )
    .option('--egress-namespaces <list>', 'sidecar: the pod kxds.io/egress-namespaces annotation')
    .option(
      '--admin-port <port>',
      'admin port on 127.0.0.1 (default 9901 edge, 15000 sidecar)',
      positiveInteger('--admin-port'),
    )
    .option('--max-heap-bytes <n>', 'overload manager heap limit', positiveInteger('--max-heap-bytes'))
    .option(
      '--max-connections <n>',
      'overload manager downstream connection limit',
      positiveInteger('--max-connections'),
    )
    .option(
      '--initial-fetch-timeout <seconds>',
      'how long Envoy waits for its first listeners and clusters',
      positiveInteger('--initial-fetch-timeout'),
    )
    .action((flags: BootstrapFlags) => {
      const text = bootstrapText(flags, process.env);
      if (flags.outputFile) writeFileAtomically(flags.outputFile, text);
      else process.stdout.write(text);
    });
}
