// Parses the `--xds-server HOST:PORT` value (IPv6 literals in brackets) that every bootstrap points at.
import { isIP } from 'node:net';

export interface XdsServerAddress {
  host: string;
  port: number;
  /** true when host is an IP literal (a STATIC cluster), false for a DNS name (STRICT_DNS). */
  isIp: boolean;
}

/** `flag` names the option in error messages. */
export function parseXdsServerAddress(value: string, flag = '--xds-server'): XdsServerAddress {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(value.trim());
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (!match || !host || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${flag} "${value}": expected HOST:PORT (e.g. kxds.kxds.svc:18000 or [::1]:18000)`);
  }
  if (match[1] && isIP(host) !== 6) throw new Error(`${flag} "${value}": "${host}" is not an IPv6 address`);
  return { host, port, isIp: isIP(host) !== 0 };
}

/** HOST:PORT again, with brackets around IPv6 literals (the form gRPC targets want). */
export function formatXdsServerAddress(address: XdsServerAddress): string {
  return isIP(address.host) === 6 ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
