// `kxds bootstrap`: prints (or writes) the bootstrap of an edge Envoy, a sidecar Envoy or a proxyless gRPC
// client. The sidecar injector's init container runs this same command, with the pod's identity in
// downward-API environment variables and a labels file, so the injected bootstrap is this output.
import { Command, InvalidArgumentError, Option } from 'commander';
import { parseGatewayRef } from '../xds/node-group';
import {
  BOOTSTRAP_FORMATS,
  PROXY_ROLES,
  type BootstrapFormat,
  type CaptureMode,
  type ProxyRole,
} from '../bootstrap/constants';

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
  gateway?: string;
  adminPort?: number;
  maxHeapBytes?: number;
  maxConnections?: number;
  initialFetchTimeout?: number;
}

function positiveInteger(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} "${value}": expected a positive integer`);
    return n;
  };
}

/** --gateway must name a Gateway as kxds reads kxds.io/gateway, or kxds would refuse the Envoy later. */
function gatewayRef(value: string): string {
  if (!parseGatewayRef(value))
    throw new InvalidArgumentError(`"${value}": expected NAMESPACE/NAME of a Gateway`);
  return value;
}

export function register(program: Command): void {
  program
    .command('bootstrap')
    .description('print the bootstrap of an edge or sidecar Envoy, or of a proxyless gRPC client')
    .addOption(new Option('--role <role>', 'who reads it').choices(PROXY_ROLES).makeOptionMandatory())
    .requiredOption('--xds-server <host:port>', "kxds's xDS address, e.g. kxds.kxds.svc:18000")
    .option('--node-id <id>', 'node id (default: kxds-edge, POD.NAMESPACE for sidecars, kxds-proxyless)')
    .option('--node-cluster <name>', 'node cluster (default: kxds-<role>)')
    .addOption(
      new Option('-o, --output <format>', 'output format').choices(BOOTSTRAP_FORMATS).default('yaml'),
    )
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
      '--gateway <namespace/name>',
      'edge: serve this Gateway API Gateway (node metadata kxds.io/gateway)',
      gatewayRef,
    )
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
    .action(async (flags: BootstrapFlags) => {
      if (flags.gateway && flags.role !== 'edge') program.error('--gateway is for --role edge only');
      // Building a bootstrap loads the protos; only this command needs them.
      const { bootstrapText, writeFileAtomically } = await import('./bootstrap-text.js');
      const text = bootstrapText(flags, process.env);
      if (flags.outputFile) writeFileAtomically(flags.outputFile, text);
      else process.stdout.write(text);
    });
}
