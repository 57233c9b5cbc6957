// `kxds agent`: beside an Envoy (the webhook's or the Gateway provisioner's pod), get a short-lived
// workload certificate from kxds's workload CA with the pod's projected service-account token and keep it
// renewed in a directory Envoy's file-based SDS watches (src/agent/). `--once` gets one and exits (an init
// container, so Envoy starts with a certificate). Loaded lazily: registering it costs nothing.
import type { Command } from 'commander';
import * as fs from 'node:fs';
import type { LogLevel } from '../log';

interface AgentFlags {
  caServer: string;
  caRoot: string;
  tokenFile: string;
  outputDir: string;
  serverName?: string;
  renewFraction: string;
  once?: boolean;
  logLevel: LogLevel;
}

export const DEFAULT_TOKEN_FILE = '/var/run/secrets/kxds/token';

export function registerAgent(program: Command): void {
  program
    .command('agent')
    .description('get and renew a workload certificate from kxds for the Envoy beside it')
    .requiredOption('--ca-server <host:port>', "kxds's workload CA (kxds serve --ca-address)")
    .requiredOption('--ca-root <file>', "PEM CA that signed kxds's serving certificate")
    .option('--token-file <file>', 'projected service-account token (audience: kxds)', DEFAULT_TOKEN_FILE)
    .requiredOption('--output-dir <dir>', 'where tls.crt, tls.key, ca.crt and the SDS file go')
    .option(
      '--server-name <name>',
      "the name kxds's certificate is checked for (default: the host of --ca-server)",
    )
    .option('--renew-fraction <f>', 'renew when this share of the lifetime has passed', '0.5')
    .option('--once', 'get one certificate and exit (an init container)')
    .option('--log-level <level>', 'debug, info, warn or error', 'info')
    .action(async (flags: AgentFlags) => {
      const fraction = Number(flags.renewFraction);
      if (!(fraction > 0 && fraction < 1))
        throw new Error(`--renew-fraction: "${flags.renewFraction}" is not between 0 and 1`);
      const [{ createLogger }, { WorkloadCertificateAgent }] = await Promise.all([
        import('../log.js'),
        import('../agent/agent.js'),
      ]);
      const logger = createLogger(flags.logLevel).child({ component: 'agent' });
      const agent = new WorkloadCertificateAgent({
        server: flags.caServer,
        rootPem: fs.readFileSync(flags.caRoot, 'utf8'),
        tokenFile: flags.tokenFile,
        outputDir: flags.outputDir,
        renewFraction: fraction,
        logger,
        ...(flags.serverName ? { serverName: flags.serverName } : {}),
      });
      if (flags.once) {
        await agent.firstCertificate();
        return;
      }
      agent.run();
      const stop = (): void => {
        agent.stop();
        process.exit(0);
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
    });
}
