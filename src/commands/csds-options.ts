// The flags `kxds proxy-status` and `kxds proxy-config` share: where CSDS is (--server), how to reach the
// mutual TLS port as an operator (--tls-ca, --tls-cert, --tls-key) and how long to wait.
import type { Command } from 'commander';
import type { TlsClientFlags } from '../client/channel-credentials';

export interface CsdsClientFlags extends TlsClientFlags {
  server: string;
  timeout: number;
}

function positiveMs(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--timeout "${value}": expected milliseconds above 0`);
  return n;
}

export function addCsdsClientOptions(command: Command): Command {
  return command
    .option('--server <host:port>', "kxds's xDS address (CSDS is served there)", '127.0.0.1:18000')
    .option('--tls-ca <path>', 'CA that signed the xDS server certificate (turns TLS on)')
    .option('--tls-cert <path>', 'client certificate of an operator identity (--xds-operator-identity)')
    .option('--tls-key <path>', 'key of --tls-cert')
    .option('--timeout <ms>', 'give up after this long', positiveMs, 5000);
}
