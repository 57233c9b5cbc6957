// `kxds version`: this CLI's version and, from a running kxds's admin address (GET /version), the server's,
// as `kubectl version` shows client and server. In a cluster, reach the admin address with
// `kubectl -n kxds port-forward deploy/kxds 9090` first. Exits 1 when the server cannot be asked.
import type { Command } from 'commander';
import { Option } from 'commander';
import { BUILD_INFO, type BuildInfo } from '../version';

interface VersionFlags {
  adminUrl: string;
  client?: boolean;
  output: 'text' | 'json';
  timeout: number;
}

async function serverVersion(adminUrl: string, timeoutMs: number): Promise<BuildInfo> {
  const url = new URL('/version', adminUrl);
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    throw new Error(
      `cannot reach kxds at ${adminUrl} (${cause}); in a cluster: kubectl -n kxds port-forward deploy/kxds 9090`,
    );
  }
  if (!res.ok) throw new Error(`${url.href} answered ${res.status}: is this a kxds admin address?`);
  const body = (await res.json()) as Partial<BuildInfo>;
  if (typeof body.version !== 'string') throw new Error(`${url.href} did not return a kxds version`);
  return { version: body.version, node: String(body.node ?? 'unknown') };
}

function positiveMs(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--timeout "${value}": expected milliseconds above 0`);
  return n;
}

const line = (who: string, info: BuildInfo): string => `${who}: kxds ${info.version} (node ${info.node})`;

export function registerVersion(program: Command): void {
  program
    .command('version')
    .description("print this CLI's version and the version of the kxds serving --admin-url")
    .option('--admin-url <url>', 'admin address of a running kxds', 'http://127.0.0.1:9090')
    .option('--client', 'only the CLI version; do not ask a server')
    .addOption(new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--timeout <ms>', 'give up on the server after this long', positiveMs, 3000)
    .action(async (flags: VersionFlags) => {
      const server = flags.client ? undefined : await serverVersion(flags.adminUrl, flags.timeout);
      if (flags.output === 'json')
        process.stdout.write(
          JSON.stringify(
            { client: BUILD_INFO, ...(server ? { server: { ...server, url: flags.adminUrl } } : {}) },
            null,
            2,
          ) + '\n',
        );
      else
        process.stdout.write(
          [
            line('client', BUILD_INFO),
            ...(server ? [`${line('server', server)} at ${flags.adminUrl}`] : []),
          ].join('\n') + '\n',
        );
    });
}
