// Reads what a Makefile target would run (`make -n`), so tests check the real commands users run.
import { execFileSync } from 'node:child_process';
import { REPO } from './render';

/**
 * The recipe lines `make -n TARGET [VAR=value...]` prints; throws with make's message when the target does
 * not exist.
 */
export function dryRun(target: string, ...variables: string[]): string[] {
  try {
    const out = execFileSync('make', ['--no-print-directory', '-n', target, ...variables], {
      cwd: REPO,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return out.split('\n').filter((line) => line.trim() !== '');
  } catch (err) {
    throw new Error(`make -n ${target}: ${(err as { stderr?: string }).stderr ?? String(err)}`);
  }
}

/** The arguments of the `node bin/kxds.js ...` line of a recipe that contains `marker`. */
export function kxdsArgs(target: string, marker: string): string[] {
  const line = dryRun(target).find((l) => l.includes('bin/kxds.js') && l.includes(marker));
  if (!line) throw new Error(`make ${target} runs no kxds command containing "${marker}"`);
  const words = line.trim().split(/\s+/);
  return words.slice(words.indexOf('bin/kxds.js') + 1);
}
