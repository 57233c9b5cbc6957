// Every flag of every command can also come from the environment: `--xds-address` from KXDS_XDS_ADDRESS,
// `--no-webhook` from KXDS_WEBHOOK=false. A flag on the command line wins over the environment, the
// environment over the default. Values are checked by the option's own parser; a boolean that is not
// true/false/1/0 is an error naming the variable, never silently ignored.
import type { Command, Option } from 'commander';

/** KXDS_ + the option's attribute name in upper snake case: xdsAddress -> KXDS_XDS_ADDRESS. */
export function envVarName(option: Option): string {
  return `KXDS_${option
    .attributeName()
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()}`;
}

function booleanFrom(variable: string, raw: string): boolean {
  const value = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  throw new Error(`${variable}="${raw}": expected true or false`);
}

/** The option's own parser decides (choices, numbers); a repeatable option takes a comma-separated list. */
function parsedValue(option: Option, raw: string): unknown {
  const parse = option.parseArg as ((v: string, previous: unknown) => unknown) | undefined;
  if (!parse) return raw;
  const repeatable = Array.isArray(option.defaultValue);
  const items = repeatable ? raw.split(',').filter(Boolean) : [raw];
  return items.reduce<unknown>((previous, item) => parse(item, previous), repeatable ? [] : undefined);
}

function fromEnvironment(command: Command, env: NodeJS.ProcessEnv): void {
  for (const option of command.options) {
    if (option.long === '--version' || option.long === '--help') continue;
    const variable = envVarName(option);
    const raw = env[variable];
    if (raw === undefined) continue;
    const key = option.attributeName();
    const source = command.getOptionValueSource(key);
    if (source !== undefined && source !== 'default') continue; // the command line wins
    let value: unknown;
    if (option.required || option.optional) {
      try {
        value = parsedValue(option, raw);
      } catch (err) {
        throw new Error(`${variable}="${raw}": ${err instanceof Error ? err.message : String(err)}`);
      }
    } else {
      // --no-webhook's attribute is "webhook" too: KXDS_WEBHOOK=false turns it off.
      value = booleanFrom(variable, raw);
    }
    command.setOptionValueWithSource(key, value, 'env');
  }
}

/** Reads KXDS_* variables for every command just before its action runs. */
export function addEnvironmentOptions(program: Command, env: NodeJS.ProcessEnv = process.env): void {
  program.hook('preAction', (_program, actionCommand) => fromEnvironment(actionCommand, env));
}
