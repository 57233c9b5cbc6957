// `kxds demo-greeter server|client`: the example app of examples/greeter, shipped in the kxds image so one
// image runs the control plane, the bootstrap init containers and the demo. The greeter (gRPC, and for the
// client grpc-js-xds, the heaviest module kxds has) is loaded only when a subcommand runs.
import * as os from 'node:os';
import { Command, Option } from 'commander';
import type { LogLevel } from '../log';
import { splitHostPort } from '../admin/http-server';

interface ServerFlags {
  address: string;
  name?: string;
  logLevel: LogLevel;
}

interface ClientFlags {
  target: string;
  authority?: string;
  interval: number;
  count?: number;
  logLevel: LogLevel;
}

function positiveInteger(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} "${value}": expected a positive integer`);
    return n;
  };
}

const logLevel = () =>
  new Option('--log-level <level>', 'log level')
    .choices(['trace', 'debug', 'info', 'warn', 'error', 'silent'])
    .default('info');

/** Stops on SIGTERM/SIGINT: the server drains, the client finishes its current call. */
function onSignal(stop: () => Promise<void> | void): void {
  const handler = (): void => {
    setTimeout(() => process.exit(0), 5000).unref();
    void Promise.resolve(stop()).finally(() => process.exit(0));
  };
  process.once('SIGTERM', handler);
  process.once('SIGINT', handler);
}

export function register(program: Command): void {
  const demo = program
    .command('demo-greeter')
    .description(
      'the example gRPC greeter (examples/greeter): a server that answers with its pod name, a client',
    );
  demo
    .command('server')
    .description('serve kxds.demo.Greeter (and grpc.health.v1) answering with served_by = --name')
    .option('--address <host:port>', 'listen address', '0.0.0.0:50051')
    .option('--name <name>', 'what served_by says (default: $POD_NAME, else the host name)')
    .addOption(logLevel())
    .action(async (flags: ServerFlags) => {
      splitHostPort(flags.address);
      const [{ createLogger }, { runGreeterServer }] = await Promise.all([
        import('../log.js'),
        import('../demo/greeter-server.js'),
      ]);
      const logger = createLogger(flags.logLevel);
      const name = flags.name ?? process.env.POD_NAME ?? os.hostname();
      const server = await runGreeterServer(flags.address, name, logger);
      onSignal(() => server.stop());
    });
  demo
    .command('client')
    .description('call the greeter in a loop, logging which pod answered')
    .requiredOption(
      '--target <target>',
      'gRPC target: HOST:PORT (edge, sidecar) or xds:///greeter.demo.svc.cluster.local:50051 (proxyless)',
    )
    .option(
      '--authority <host>',
      'the :authority of the calls (Ingress host, or the Service name via a sidecar)',
    )
    .option('--interval <ms>', 'pause between calls', positiveInteger('--interval'), 1000)
    .option('--count <n>', 'stop after n answered calls (default: run forever)', positiveInteger('--count'))
    .addOption(logLevel())
    .action(async (flags: ClientFlags) => {
      const [{ createLogger }, { runGreeterClient }] = await Promise.all([
        import('../log.js'),
        import('../demo/greeter-client.js'),
      ]);
      const logger = createLogger(flags.logLevel);
      const abort = new AbortController();
      onSignal(() => abort.abort());
      const spread = await runGreeterClient({
        target: flags.target,
        ...(flags.authority ? { authority: flags.authority } : {}),
        intervalMs: flags.interval,
        ...(flags.count ? { count: flags.count } : {}),
        signal: abort.signal,
        logger,
      });
      logger.info({ target: flags.target, spread: Object.fromEntries(spread) }, 'client done');
    });
}
