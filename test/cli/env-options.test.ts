// KXDS_* environment variables for every flag (src/commands/env-options.ts), on a real commander program.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Command } from 'commander';
import { addEnvironmentOptions } from '../../src/commands/env-options';
import { buildProgram } from '../../src/cli';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

async function parse(env: NodeJS.ProcessEnv, argv: string[] = []): Promise<Record<string, unknown>> {
  let seen: Record<string, unknown> = {};
  const program = new Command('kxds').exitOverride();
  program
    .command('serve')
    .option('--xds-address <a>', 'xds', '0.0.0.0:18000')
    .option('--namespace <ns>', 'repeatable', collect, [])
    .option('--no-webhook', 'off')
    .option('--demo-backends', 'on')
    .action((flags: Record<string, unknown>) => {
      seen = flags;
    });
  addEnvironmentOptions(program, env);
  await program.parseAsync(['serve', ...argv], { from: 'user' });
  return seen;
}

test('values, repeatable lists and booleans come from KXDS_ variables', async () => {
  const flags = await parse({
    KXDS_XDS_ADDRESS: '127.0.0.1:1',
    KXDS_NAMESPACE: 'a,b',
    KXDS_WEBHOOK: 'false',
    KXDS_DEMO_BACKENDS: '1',
  });
  assert.deepEqual(flags, {
    xdsAddress: '127.0.0.1:1',
    namespace: ['a', 'b'],
    webhook: false,
    demoBackends: true,
  });
});

test('the command line wins; defaults stay without a variable', async () => {
  assert.equal(
    (await parse({ KXDS_XDS_ADDRESS: '127.0.0.1:1' }, ['--xds-address', '127.0.0.1:2'])).xdsAddress,
    '127.0.0.1:2',
  );
  assert.equal((await parse({})).xdsAddress, '0.0.0.0:18000');
});

test('a boolean that is not true/false names the variable', async () => {
  await assert.rejects(
    parse({ KXDS_DEMO_BACKENDS: 'perhaps' }),
    /KXDS_DEMO_BACKENDS="perhaps": expected true or false/,
  );
});

test('the real kxds serve options map to their variables, and their choices are still checked', async () => {
  const program = buildProgram().exitOverride();
  const serve = program.commands.find((c) => c.name() === 'serve');
  assert.ok(serve);
  serve.action(() => undefined);
  process.env.KXDS_LOG_LEVEL = 'loud';
  try {
    await assert.rejects(
      program.parseAsync(['serve'], { from: 'user' }),
      /KXDS_LOG_LEVEL="loud": Allowed choices are trace/,
    );
  } finally {
    delete process.env.KXDS_LOG_LEVEL;
  }
});
