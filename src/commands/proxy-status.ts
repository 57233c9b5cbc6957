// `kxds proxy-status`: every proxy connected to a kxds, its role and group, and per xDS type SYNCED / STALE
// / NACKED (with the NACK's text), read over CSDS like `istioctl proxy-status`. CSDS answers operators only:
// an --xds-operator-identity certificate (--tls-ca, --tls-cert, --tls-key) on the mutual TLS port, or a
// loopback plaintext peer (`kubectl port-forward`). The CSDS client loads only when the command runs.
import type { Command } from 'commander';
import { Option } from 'commander';
import type { TlsClientFlags } from '../client/channel-credentials';

interface ProxyStatusFlags extends TlsClientFlags {
  server: string;
  output: 'table' | 'json';
  timeout: number;
}

function positiveMs(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--timeout "${value}": expected milliseconds above 0`);
  return n;
}

export function registerProxyStatus(program: Command): void {
  program
    .command('proxy-status')
    .description('every connected proxy with its role, group and per-type sync state, over CSDS')
    .argument('[node]', 'only this node id')
    .option('--server <host:port>', "kxds's xDS address (CSDS is served there)", '127.0.0.1:18000')
    .option('--tls-ca <path>', 'CA that signed the xDS server certificate (turns TLS on)')
    .option('--tls-cert <path>', 'client certificate of an operator identity (--xds-operator-identity)')
    .option('--tls-key <path>', 'key of --tls-cert')
    .addOption(
      new Option('-o, --output <format>', 'table, or the CSDS answer as protobuf JSON')
        .choices(['table', 'json'])
        .default('table'),
    )
    .option('--timeout <ms>', 'give up after this long', positiveMs, 5000)
    .action(async (node: string | undefined, flags: ProxyStatusFlags) => {
      const [{ channelCredentials }, { fetchClientStatus }, { proxyStatusRows, proxyStatusTable }] =
        await Promise.all([
          import('../client/channel-credentials.js'),
          import('../client/csds-client.js'),
          import('../client/proxy-status.js'),
        ]);
      const response = await fetchClientStatus(
        flags.server,
        channelCredentials('proxy-status', flags),
        { ...(node ? { nodeId: node } : {}), excludeContents: true },
        flags.timeout,
      );
      process.stdout.write(
        flags.output === 'json'
          ? JSON.stringify(response, null, 2) + '\n'
          : proxyStatusTable(proxyStatusRows(response)),
      );
    });
}
