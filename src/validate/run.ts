// The action of `kxds validate`: read the inputs, build the report, print it as text or JSON, and return the
// exit code (see src/commands/validate.ts).
import { EXIT_COULD_NOT_RUN } from '../commands/validate';
import type { TranslateOptions } from '../translate/translate';
import { InputError, readAllStdin, readInputs } from './inputs';
import { formatFinding, validateTexts, type ValidationReport } from './report';

export interface RunValidateOptions {
  ingressClass: string;
  output: 'text' | 'json';
  strict?: boolean;
}

export async function runValidate(inputs: string[], options: RunValidateOptions): Promise<number> {
  let report: ValidationReport;
  try {
    const read = await readInputs(inputs, readAllStdin);
    const translateOptions: TranslateOptions = { ingressClass: options.ingressClass };
    report = validateTexts(read, translateOptions);
  } catch (err) {
    // Anything that stops the report (a missing path, or a crash) must not read as "findings" (exit 1) in CI.
    const message = err instanceof InputError ? err.message : `could not run: ${String(err)}`;
    process.stderr.write(`kxds validate: ${message}\n`);
    return EXIT_COULD_NOT_RUN;
  }
  if (options.output === 'json') process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else process.stdout.write(textReport(report));
  const failing = report.errors + (options.strict ? report.warnings : 0);
  return failing > 0 ? 1 : 0;
}

function textReport(report: ValidationReport): string {
  const lines = report.findings.map(formatFinding);
  const skipped = Object.entries(report.skipped.byType)
    .map(([type, n]) => `${type} (${n})`)
    .join(', ');
  const { total } = report.skipped;
  if (total > 0)
    lines.push(`skipped ${total} document${total === 1 ? '' : 's'} of kinds kxds does not read: ${skipped}`);
  const groups = Object.entries(report.resources)
    .map(([g, c]) => `${g} (${Object.values(c).reduce((a, b) => a + (b ?? 0), 0)})`)
    .join(', ');
  lines.push(
    `${report.files} files, ${report.objects} objects, ${report.errors} errors, ` +
      `${report.warnings} warnings; resources per group: ${groups || 'none'}`,
  );
  return lines.map((l) => `${l}\n`).join('');
}
