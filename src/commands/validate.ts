// `kxds validate [PATH...]`: for users' CI. Reads files, directories and standard input (`-f -`), translates
// them without serving, prints one line per mistake. Exit codes: 0 clean, 1 findings (errors; warnings too
// with --strict), 2 could not run (a path that does not exist, bad flags). The implementation is loaded only
// when the command runs, so `kxds --help` stays fast.
import type { Command } from 'commander';
import { Option } from 'commander';

interface ValidateFlags {
  filename: string[];
  manifests?: string;
  ingressClass: string;
  output: 'text' | 'json';
  strict?: boolean;
}

/** The command could not run: usage mistakes and unreadable inputs, told apart from findings (exit 1). */
export const EXIT_COULD_NOT_RUN = 2;

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('check manifests (files, directories, - for stdin) without serving; exit 1 on findings')
    .argument('[paths...]', 'manifest files or directories; - reads standard input')
    .option('-f, --filename <path>', 'a file, a directory or - (repeatable)', collect, [])
    .option('--manifests <dir>', 'a manifest directory (the same as giving it as a path)')
    .option('--ingress-class <name>', 'IngressClass name this controller serves', 'kxds')
    .addOption(new Option('-o, --output <format>', 'report format').choices(['text', 'json']).default('text'))
    .option('--strict', 'treat warnings as findings too')
    // Usage mistakes (an unknown flag, a bad --output) are "could not run", not findings.
    .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : EXIT_COULD_NOT_RUN))
    .action(async (paths: string[], flags: ValidateFlags) => {
      const { runValidate } = await import('../validate/run.js');
      process.exitCode = await runValidate(
        [...paths, ...flags.filename, ...(flags.manifests ? [flags.manifests] : [])],
        flags,
      );
    });
}
