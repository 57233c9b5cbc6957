// The xDS limit flags of `kxds serve`: defaults are the documented limits, values come from flags or
// KXDS_* variables, and a bad value is refused naming the flag.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { addXdsLimitOptions, xdsLimits, type XdsLimitFlags } from '../../src/commands/xds-limit-options';
import { DEFAULT_CONNECTION_LIMITS } from '../../src/server/connection-limits';

function parse(args: string[]): XdsLimitFlags {
  const command = addXdsLimitOptions(new Command('serve').exitOverride());
  command.parse(args, { from: 'user' });
  return command.opts<XdsLimitFlags>();
}

test('the defaults are the documented limits', () => {
  assert.deepEqual(xdsLimits(parse([])), DEFAULT_CONNECTION_LIMITS);
});

test('flags set each limit; seconds become milliseconds; 0 turns age and rate off', () => {
  const limits = xdsLimits(
    parse([
      '--xds-max-message-bytes=1048576',
      '--xds-max-streams-per-connection=2',
      '--xds-max-connection-age=0',
      '--xds-max-connection-age-grace=0.5',
      '--xds-new-stream-rate=0',
      '--xds-new-stream-burst=7',
    ]),
  );
  assert.deepEqual(limits, {
    maxReceiveMessageBytes: 1_048_576,
    maxConcurrentStreams: 2,
    maxConnectionAgeMs: 0,
    maxConnectionAgeGraceMs: 500,
    newStreamsPerSecond: 0,
    newStreamsBurst: 7,
  });
});

test('a bad value is refused naming the flag and the range', () => {
  assert.throws(
    () => xdsLimits(parse(['--xds-max-streams-per-connection=0'])),
    /--xds-max-streams-per-connection: "0" is not a whole number between 1 and 1000/,
  );
  assert.throws(() => xdsLimits(parse(['--xds-max-message-bytes=10'])), /--xds-max-message-bytes: "10"/);
  assert.throws(() => xdsLimits(parse(['--xds-new-stream-rate=fast'])), /--xds-new-stream-rate: "fast"/);
});
