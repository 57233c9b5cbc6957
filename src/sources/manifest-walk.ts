// Lists and reads the manifest files under a directory, for the manifest source. It follows symlinks (Kubernetes
// ConfigMap volumes are made of them) without looping, skips dotfiles and dotdirs (editor swap files, the
// ConfigMap `..data` internals, .git) and never throws: what cannot be read is reported.
import { promises as fs, type Stats } from 'node:fs';
import path from 'node:path';

const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];
/** Deeper than any sane manifest tree; a guard against pathological nesting. */
const MAX_DEPTH = 32;

export interface WalkedFile {
  /** Path relative to the root, with "/" separators; the key of the file everywhere else. */
  rel: string;
  abs: string;
  stats: Stats;
}

export interface WalkResult {
  /** False when the root itself could not be listed: callers must not treat that as "every file deleted". */
  rootReadable: boolean;
  rootError?: string;
  files: WalkedFile[];
  /** Every directory listed, to be watched; `id` (device:inode) tells a recreated directory from the old one. */
  dirs: { abs: string; id: string }[];
  /** Relative directories that exist but could not be listed; files under them are unknown, not gone. */
  unreadableDirs: { rel: string; reason: string }[];
}

/**
 * Editor leftovers that end in a manifest extension are dotfiles (vim `.x.yaml.swp` aside, emacs `.#x.yaml`);
 * the others (`x.yaml~`, `#x.yaml#`, `x.yaml.swp`) fail the extension test.
 */
export function isManifestFileName(name: string): boolean {
  return !name.startsWith('.') && MANIFEST_EXTENSIONS.some((ext) => name.endsWith(ext));
}

export async function walkManifestDir(root: string): Promise<WalkResult> {
  const result: WalkResult = { rootReadable: true, files: [], dirs: [], unreadableDirs: [] };
  const visited = new Set<string>();
  try {
    const rootStats = await fs.stat(root);
    if (!rootStats.isDirectory()) return { ...result, rootReadable: false, rootError: 'not a directory' };
    const rootId = `${rootStats.dev}:${rootStats.ino}`;
    visited.add(rootId);
    await fs.readdir(root);
    await walkDir(root, rootId, '', 0, visited, result);
    // A root that vanished or was replaced during the walk makes its listing look like deleted files.
    const after = await fs.stat(root);
    if (`${after.dev}:${after.ino}` !== rootId)
      return { ...result, rootReadable: false, rootError: 'replaced during the scan' };
  } catch (err) {
    return { ...result, rootReadable: false, rootError: errorCode(err) };
  }
  result.files.sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  return result;
}

async function walkDir(
  abs: string,
  id: string,
  rel: string,
  depth: number,
  visited: Set<string>,
  out: WalkResult,
): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(abs);
  } catch (err) {
    // A directory removed while we walk is simply gone; any other failure leaves its contents unknown.
    if (errorCode(err) !== 'ENOENT') out.unreadableDirs.push({ rel, reason: errorCode(err) });
    return;
  }
  out.dirs.push({ abs, id });
  const children = await Promise.all(
    names
      .filter((name) => !name.startsWith('.'))
      .sort()
      .map(async (name) => {
        const childAbs = path.join(abs, name);
        // stat follows symlinks; a dangling link or a link loop fails here and is treated as absent.
        const stats = await fs.stat(childAbs).catch(() => undefined);
        return { name, childAbs, childRel: rel === '' ? name : `${rel}/${name}`, stats };
      }),
  );
  // Directories are entered one at a time in name order, so when two links lead to the same directory the
  // same one always wins.
  for (const { name, childAbs, childRel, stats } of children) {
    if (!stats) continue;
    if (stats.isDirectory()) {
      const id = `${stats.dev}:${stats.ino}`;
      if (visited.has(id) || depth + 1 > MAX_DEPTH) continue;
      visited.add(id);
      await walkDir(childAbs, id, childRel, depth + 1, visited, out);
    } else if (stats.isFile() && isManifestFileName(name)) {
      out.files.push({ rel: childRel, abs: childAbs, stats });
    }
  }
}

/** Changes whenever a file is replaced or written (barring a same-size write within one mtime tick). */
export function statSignature(stats: Stats): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}`;
}

/** How long a file must be left alone before we read it. */
const SETTLE_MS = 50;
/**
 * The same for an empty file, which is most often a writer between truncating and writing: if that writer's
 * process is busy for a moment, 50 ms is not enough, and reading the empty file would delete its objects.
 */
const EMPTY_SETTLE_MS = 500;
const MAX_SETTLE_ATTEMPTS = 5;

export interface SettledRead {
  text: string;
  /** statSignature() of the content read. */
  signature: string;
  /** When the read started (Date.now()). */
  readAt: number;
}

/**
 * Reads a file that is not being written. Writers that truncate and then write (most tools that don't write a
 * temp file and rename it) leave an empty or half-written file for a moment; read then, it would delete
 * objects. So a file written in the last SETTLE_MS is read once it is quiet, and a read during which the file
 * changed is done again. A file written without pause is read anyway after a few tries.
 */
export async function readSettledFile(abs: string): Promise<SettledRead> {
  for (let attempt = 1; ; attempt++) {
    const before = await fs.stat(abs);
    const age = Date.now() - before.mtimeMs;
    const settleMs = before.size === 0 ? EMPTY_SETTLE_MS : SETTLE_MS;
    const last = attempt >= MAX_SETTLE_ATTEMPTS;
    // A negative age is a clock skew or a future timestamp: waiting would not help.
    if (!last && age >= 0 && age < settleMs) {
      await new Promise((resolve) => setTimeout(resolve, settleMs - age));
      continue;
    }
    const readAt = Date.now();
    const text = await fs.readFile(abs, 'utf8');
    const after = await fs.stat(abs);
    if (!last && statSignature(after) !== statSignature(before)) continue;
    return { text, signature: statSignature(before), readAt };
  }
}

function errorCode(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string')
    return err.code;
  return err instanceof Error ? err.message : String(err);
}
