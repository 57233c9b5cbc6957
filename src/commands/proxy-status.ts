// `kxds proxy-status`: every proxy connected to a kxds, its role and group, and per xDS type SYNCED / STALE
// / NACKED (with the NACK's text), read over CSDS like `istioctl proxy-status`. CSDS answers operators only:
// an --xds-operator-identity certificate (--tls-ca, --tls-cert, --tls-key) on the mutual TLS port, or a
// loopback plaintext peer (`kubectl port-forward`). The CSDS client loads only when the command runs.
import type { Command } from 'commander';
import { Option } from 'commander';
import { addCsdsClientOptions, type CsdsClientFlags } from './csds-options';

interface ProxyStatusFlags extends CsdsClientFlags {
  output: 'table' | 'json';
}

export function registerProxyStatus(program: Command): void {
  addCsdsClientOptions(
    program
      .command('proxy-status')
      .description('every connected proxy with its role, group and per-type sync state, over CSDS')
      .argument('[node]', 'only this node id'),
  )
    .addOption(
      new Option('-o, --output <format>', 'table, or the CSDS answer as protobuf JSON')
        .choices(['table', 'json'])
        .default('table'),
    )
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
