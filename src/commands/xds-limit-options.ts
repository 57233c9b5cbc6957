// Flags of `kxds serve` for what one xDS client may cost (src/server/connection-limits.ts); each also comes
// from KXDS_* in the environment like every flag.
import type { Command } from 'commander';
import { DEFAULT_CONNECTION_LIMITS, type ConnectionLimits } from '../server/connection-limits';

export interface XdsLimitFlags {
  xdsMaxMessageBytes: string;
  xdsMaxStreamsPerConnection: string;
  xdsMaxConnectionAge: string;
  xdsMaxConnectionAgeGrace: string;
  xdsNewStreamRate: string;
  xdsNewStreamBurst: string;
}

const d = DEFAULT_CONNECTION_LIMITS;

export function addXdsLimitOptions(command: Command): Command {
  return command
    .option(
      '--xds-max-message-bytes <bytes>',
      'largest xDS request accepted (a 20,000-resource delta reconnect is about 2.2 MiB)',
      String(d.maxReceiveMessageBytes),
    )
    .option(
      '--xds-max-streams-per-connection <n>',
      'concurrent gRPC streams one xDS connection may open (HTTP/2 MAX_CONCURRENT_STREAMS)',
      String(d.maxConcurrentStreams),
    )
    .option(
      '--xds-max-connection-age <seconds>',
      'GOAWAY after this long so proxies spread over replicas (0: never)',
      String(d.maxConnectionAgeMs / 1000),
    )
    .option(
      '--xds-max-connection-age-grace <seconds>',
      'how long streams go on after that GOAWAY before the connection closes',
      String(d.maxConnectionAgeGraceMs / 1000),
    )
    .option(
      '--xds-new-stream-rate <per-second>',
      'new xDS streams accepted a second per port; more get RESOURCE_EXHAUSTED (0: no limit)',
      String(d.newStreamsPerSecond),
    )
    .option(
      '--xds-new-stream-burst <n>',
      'new xDS streams accepted at once above --xds-new-stream-rate',
      String(d.newStreamsBurst),
    );
}

function number(flag: string, value: string, min: number, max: number, whole: boolean): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max || (whole && !Number.isInteger(n)))
    throw new Error(`${flag}: "${value}" is not a ${whole ? 'whole ' : ''}number between ${min} and ${max}`);
  return n;
}

export function xdsLimits(flags: XdsLimitFlags): ConnectionLimits {
  const day = 86_400;
  return {
    // Below 64 KiB not even a node with its metadata fits; 2 GiB is grpc-js's own ceiling (int32 length).
    maxReceiveMessageBytes: number(
      '--xds-max-message-bytes',
      flags.xdsMaxMessageBytes,
      65_536,
      2 ** 31 - 1,
      true,
    ),
    maxConcurrentStreams: number(
      '--xds-max-streams-per-connection',
      flags.xdsMaxStreamsPerConnection,
      1,
      1000,
      true,
    ),
    maxConnectionAgeMs:
      number('--xds-max-connection-age', flags.xdsMaxConnectionAge, 0, 30 * day, false) * 1000,
    maxConnectionAgeGraceMs:
      number('--xds-max-connection-age-grace', flags.xdsMaxConnectionAgeGrace, 0, day, false) * 1000,
    newStreamsPerSecond: number('--xds-new-stream-rate', flags.xdsNewStreamRate, 0, 1_000_000, false),
    newStreamsBurst: number('--xds-new-stream-burst', flags.xdsNewStreamBurst, 1, 1_000_000, true),
  };
}
