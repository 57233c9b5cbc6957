// `kxds proxy-config listeners|routes|clusters|endpoints|secrets NODE`: what one connected node holds, read
// over CSDS like `istioctl proxy-config`: a summary table, or with -o json|yaml every resource in the
// protobuf JSON mapping (key material redacted by kxds). Same access rule and flags as proxy-status.
import type { Command } from 'commander';
import { Argument, Option } from 'commander';
import { addCsdsClientOptions, type CsdsClientFlags } from './csds-options';

interface ProxyConfigFlags extends CsdsClientFlags {
  output: 'table' | 'json' | 'yaml';
}

const TYPES = ['listeners', 'routes', 'clusters', 'endpoints', 'secrets'];

export function registerProxyConfig(program: Command): void {
  addCsdsClientOptions(
    program
      .command('proxy-config')
      .description(
        'the listeners, routes, clusters, endpoints or secrets one connected node holds, over CSDS',
      )
      .addArgument(new Argument('<type>', 'which resources').choices(TYPES))
      .argument('<node>', 'node id (kxds proxy-status lists them)'),
  )
    .addOption(
      new Option('-o, --output <format>', 'summary table, or every resource')
        .choices(['table', 'json', 'yaml'])
        .default('table'),
    )
    .action(async (type: string, node: string, flags: ProxyConfigFlags) => {
      const [{ channelCredentials }, { fetchClientStatus }, { CONFIG_TYPES, nodeConfigs, proxyConfigTable }] =
        await Promise.all([
          import('../client/channel-credentials.js'),
          import('../client/csds-client.js'),
          import('../client/proxy-config.js'),
        ]);
      const response = await fetchClientStatus(
        flags.server,
        channelCredentials('proxy-config', flags),
        { nodeId: node },
        flags.timeout,
      );
      const configs = nodeConfigs(response, node, CONFIG_TYPES[type] ?? 'listener', flags.server);
      if (flags.output === 'table') return void process.stdout.write(proxyConfigTable(configs));
      if (flags.output === 'json') return void process.stdout.write(JSON.stringify(configs, null, 2) + '\n');
      const { stringify } = await import('yaml');
      process.stdout.write(stringify(configs));
    });
}
