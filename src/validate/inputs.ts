// What `kxds validate` reads: files, directories (walked like `kxds serve --manifests` walks its directory)
// and `-` for standard input, in the order given. A path that does not exist is a usage mistake the command
// cannot run with (exit 2); a file inside a directory that cannot be read is a finding like a broken file.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { walkManifestDir } from '../sources/manifest-walk';

export const STDIN = '-';

export interface ManifestText {
  /** The name findings use: the path as given (joined with the file under a directory), or "<stdin>". */
  shown: string;
  text: string;
}

export interface ReadInputs {
  texts: ManifestText[];
  /** Files or directories under a given directory that could not be read. */
  unreadable: { file: string; reason: string }[];
}

/** The command cannot run with these inputs (a path that does not exist, standard input twice). */
export class InputError extends Error {}

export async function readInputs(inputs: string[], readStdin: () => Promise<string>): Promise<ReadInputs> {
  if (inputs.length === 0)
    throw new InputError('nothing to validate: give files, directories or - for stdin');
  if (inputs.filter((i) => i === STDIN).length > 1) throw new InputError('- (stdin) can be given only once');
  const out: ReadInputs = { texts: [], unreadable: [] };
  for (const input of inputs) {
    if (input === STDIN) {
      out.texts.push({ shown: '<stdin>', text: await readStdin() });
      continue;
    }
    const stats = await fs.stat(input).catch((err: NodeJS.ErrnoException) => {
      throw new InputError(`cannot read ${input}: ${err.code ?? err.message}`);
    });
    // A file named explicitly is read whatever its extension, as `kubectl apply -f` does.
    if (!stats.isDirectory()) {
      out.texts.push({ shown: input, text: await readText(input) });
      continue;
    }
    const walk = await walkManifestDir(input);
    if (!walk.rootReadable)
      throw new InputError(`cannot read ${input}: ${walk.rootError ?? 'unknown error'}`);
    for (const d of walk.unreadableDirs)
      out.unreadable.push({ file: path.join(input, d.rel), reason: `cannot list: ${d.reason}` });
    for (const file of walk.files) {
      const shown = path.join(input, file.rel);
      try {
        out.texts.push({ shown, text: await fs.readFile(file.abs, 'utf8') });
      } catch (err) {
        out.unreadable.push({ file: shown, reason: `cannot read: ${(err as Error).message}` });
      }
    }
  }
  return out;
}

async function readText(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

/** All of standard input as text. */
export async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
