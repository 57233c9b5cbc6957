// `kxds dump`: connect to a kxds (or any ADS server) as a proxy of a role would, and print exactly what it
// receives, nested Any messages unpacked. Key material is redacted unless --show-secrets. The client and the
// printing (dump-output.ts) are loaded when the command runs.
import type { Command } from 'commander';
import { Option } from 'commander';
import { NODE_ROLES } from '../server/node';
import type { ResourceKind } from '../xds/types';

const TYPE_FLAGS: Record<string, ResourceKind> = {
  lds: 'listener',
  rds: 'route',
  cds: 'cluster',
  eds: 'endpoint',
  sds: 'secret',
};
export const FLAG_OF: Record<ResourceKind, string> = {
  listener: 'lds',
  route: 'rds',
  cluster: 'cds',
  endpoint: 'eds',
  secret: 'sds',
};
const ORDER: ResourceKind[] = ['listener', 'route', 'cluster', 'endpoint', 'secret'];

interface DumpFlags {
  server: string;
  nodeId: string;
  role: string;
  namespace?: string;
  type: string;
  output: 'json' | 'yaml';
  watch?: boolean;
  timeout: string;
  showSecrets?: boolean;
  tlsCa?: string;
  tlsCert?: string;
  tlsKey?: string;
}

export function registerDump(program: Command): void {
  program
    .command('dump')
    .description('print what a proxy of a role receives from an xDS server (nested Any unpacked)')
    .requiredOption('--server <host:port>', 'xDS server address')
    .requiredOption('--node-id <id>', 'node id to connect as')
    .addOption(
      new Option('--role <role>', 'node role (metadata kxds.io/role)')
        .choices([...NODE_ROLES])
        .default('edge'),
    )
    .option('--namespace <ns>', 'sidecar namespace (metadata kxds.io/namespace)')
    .addOption(
      new Option('--type <type>', 'which resources to print')
        .choices([...Object.keys(TYPE_FLAGS), 'all'])
        .default('all'),
    )
    .addOption(new Option('-o, --output <format>', 'output format').choices(['json', 'yaml']).default('json'))
    .option('--watch', 'keep the stream open and print every new response')
    .option('--timeout <ms>', 'give up waiting for referenced resources after this long', '5000')
    .option('--show-secrets', 'print TLS private keys and other key material instead of [redacted]')
    .option('--tls-ca <path>', 'CA that signed the xDS server certificate (turns TLS on)')
    .option('--tls-cert <path>', 'client certificate: kxds serves what its identity may receive')
    .option('--tls-key <path>', 'key of --tls-cert')
    .action(async (flags: DumpFlags) => {
      // The xDS client (gRPC, protobufjs) loads only when the command runs.
      const { DumpClient, render, responseJson, channelCredentials } = await import('./dump-output.js');
      const timeoutMs = Number(flags.timeout);
      if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
        throw new Error(`--timeout: "${flags.timeout}" is not a positive number`);
      const wanted = flags.type === 'all' ? ORDER : [TYPE_FLAGS[flags.type] as ResourceKind];
      const showSecrets = Boolean(flags.showSecrets);
      const credentials = channelCredentials('dump', flags);
      const node = {
        id: flags.nodeId,
        role: flags.role,
        ...(flags.namespace ? { namespace: flags.namespace } : {}),
      };
      await new Promise<void>((resolve, reject) => {
        let timer: NodeJS.Timeout | undefined;
        let finished = false;
        const finish = (err?: Error): void => {
          if (finished) return;
          finished = true;
          if (timer) clearTimeout(timer);
          void client.close().then(() => (err ? reject(err) : resolve()));
        };
        const client = new DumpClient(
          flags.server,
          node,
          (response) => {
            if (flags.watch) {
              if (wanted.includes(response.kind))
                process.stdout.write(render(responseJson(response), flags.output));
            } else if (client.complete()) printAll();
          },
          (err) => finish(new Error(`xDS stream to ${flags.server} failed: ${err.message}`)),
          credentials,
          showSecrets,
        );
        const printAll = (): void => {
          if (finished) return;
          const responses = client.responses();
          const out = {
            server: flags.server,
            node,
            responses: wanted.flatMap((k) => {
              const r = responses.get(k);
              return r ? [responseJson(r)] : [];
            }),
          };
          process.stdout.write(render(out, flags.output));
          for (const [kind, names] of client.missing())
            process.stderr.write(
              `kxds dump: the server sent no ${FLAG_OF[kind]} resource for: ${names.join(', ')}\n`,
            );
          finish();
        };
        if (!flags.watch)
          timer = setTimeout(() => {
            if (client.responses().size === 0)
              finish(new Error(`no response from ${flags.server} within ${timeoutMs} ms`));
            else printAll();
          }, timeoutMs);
        client.start();
      });
    });
}
