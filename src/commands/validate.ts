// `kxds validate --manifests DIR`: for users' CI. Translates the manifests without serving, prints warnings
// and errors, and exits 1 when there are errors (or warnings, with --strict).
import type { Command } from 'commander';
import { Option } from 'commander';
import { validateManifests } from '../validate-manifests';

interface ValidateFlags {
  manifests: string;
  ingressClass: string;
  output: 'text' | 'json';
  strict?: boolean;
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('translate a manifest directory without serving; print warnings; exit 1 on errors')
    .requiredOption('--manifests <dir>', 'directory of Kubernetes YAML')
    .option('--ingress-class <name>', 'IngressClass name this controller serves', 'kxds')
    .addOption(new Option('--output <format>', 'report format').choices(['text', 'json']).default('text'))
    .option('--strict', 'treat warnings as errors')
    .action(async (flags: ValidateFlags) => {
      const report = await validateManifests(flags.manifests, { ingressClass: flags.ingressClass });
      if (flags.output === 'json') process.stdout.write(JSON.stringify(report, null, 2) + '\n');
      else {
        for (const e of report.errors) process.stdout.write(`error: ${e}\n`);
        for (const w of report.warnings) process.stdout.write(`warning: ${w}\n`);
        const groups = Object.entries(report.resources)
          .map(([g, c]) => `${g} (${Object.values(c).reduce((a, b) => a + (b ?? 0), 0)})`)
          .join(', ');
        process.stdout.write(
          `${report.files} files, ${report.objects} objects, ${report.errors.length} errors, ` +
            `${report.warnings.length} warnings; resources per group: ${groups || 'none'}\n`,
        );
      }
      if (report.errors.length > 0 || (flags.strict && report.warnings.length > 0)) process.exitCode = 1;
    });
}
