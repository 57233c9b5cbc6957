// The manifest-directory source: Kubernetes objects read from *.yaml, *.yml and *.json files under a
// directory (nested folders too), kept in step with the files as they are added, edited and deleted.
//
// Change detection has two layers. Per-directory fs.watch watchers trigger a rescan within `debounceMs`
// (editors save in several steps: write a temp file, rename it over the old one; the debounce reads the result
// once). A periodic rescan catches whatever the watchers miss (inotify limits, network file systems, a watcher
// that died with its directory). A rescan stats every file and reads only the ones whose stat changed, or
// whose last write was too close to our last read for the stat to be trusted.
//
// Documents of kinds kxds does not read (Deployments...) are skipped and counted, at debug level: they are
// expected in application repositories.
//
// Safety rules: a file that turns bad (bad YAML, wrong apiVersion, missing fields, unreadable) keeps its last good
// objects and gets one warn line per distinct problem; a directory that cannot be listed keeps what was under
// it; only a file that is really gone deletes its objects. So a bad edit never empties the served config.
import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';
import { Observable, type Subscriber } from 'rxjs';
import type { Logger } from '../log';
import { objectKey, objectRef, type WatchedObject } from '../model/k8s';
import { describeProblem, parseManifest, type ManifestProblem } from './manifest-parse';
import {
  readSettledFile,
  statSignature,
  walkManifestDir,
  type SettledRead,
  type WalkedFile,
} from './manifest-walk';
import type { Source, SourceEvent } from './source';

export interface ManifestSourceOptions {
  dir: string;
  logger: Logger;
  /** Wait after a file event before rescanning, so one save is read once. Default 50 ms. */
  debounceMs?: number;
  /** Period of the fallback rescan that catches changes the watchers missed. Default 1000 ms. */
  rescanIntervalMs?: number;
  /**
   * How long objects that vanish from a file that still exists are kept (default 2500 ms): a writer that
   * truncates and then writes (`kubectl get ... > file`) must not withdraw them in between.
   */
  removalGraceMs?: number;
}

/** A current problem in the manifest directory, for the admin API. */
export interface ManifestFileProblem {
  /** The file (or directory) path, as `dir` joined with the relative path. */
  file: string;
  object?: string;
  location?: string;
  reason: string;
}

/** Files bigger than this are refused rather than parsed: manifests are small, and parsing blocks the loop. */
const MAX_FILE_BYTES = 8 * 1024 * 1024;
/** A file written less than this long before we read it may have changed again within the same mtime. */
const RACY_WINDOW_MS = 2000;

interface ParsedObject {
  key: string;
  object: WatchedObject;
  /** Canonical JSON, to tell a real change from a rewrite with the same content. */
  json: string;
}

interface FileState {
  /** statSignature() at the last read; empty to force a read next time. */
  signature: string;
  readAt: number;
  /** Hash of the last content read, whether it parsed or not. */
  hash?: string;
  /** The objects of the last content that parsed. */
  objects: ParsedObject[];
  /** Problems of the current content; empty when it is good. */
  problems: ManifestProblem[];
  /** Documents of the current content whose kind kxds does not read. */
  skipped: number;
  /** Objects the current content no longer has, still served until `until` (see removalGraceMs). */
  held?: { keys: Set<string>; until: number };
}

type WarningTopic = 'directories' | 'duplicates';

interface EmittedObject extends ParsedObject {
  file: string;
}

export class ManifestSource implements Source {
  readonly name = 'manifests';
  readonly events$: Observable<SourceEvent>;

  private readonly dir: string;
  private readonly log: Logger;
  private readonly debounceMs: number;
  private readonly rescanIntervalMs: number;
  private readonly removalGraceMs: number;

  private readonly subscribers = new Set<Subscriber<SourceEvent>>();
  private running = false;
  private stopped = false;
  private synced = false;

  private files = new Map<string, FileState>();
  private emitted = new Map<string, EmittedObject>();
  private duplicates: ManifestFileProblem[] = [];
  private directoryProblems: ManifestFileProblem[] = [];
  /** Per topic, the warnings logged that are still true, so a rescan does not repeat them. */
  private warned = new Map<WarningTopic, Set<string>>();
  private parseErrors = 0;

  private readonly watchers = new Map<string, FSWatcher>();
  private debounceTimer: NodeJS.Timeout | undefined;
  private rescanTimer: NodeJS.Timeout | undefined;
  private scanning: Promise<void> | undefined;
  private scanPending = false;
  /** Bumped on every start and halt; a scan started in an older generation drops its results. */
  private generation = 0;

  constructor(options: ManifestSourceOptions) {
    this.dir = options.dir;
    this.log = options.logger.child({ component: 'manifest-source', dir: options.dir });
    this.debounceMs = options.debounceMs ?? 50;
    this.rescanIntervalMs = options.rescanIntervalMs ?? 1000;
    this.removalGraceMs = options.removalGraceMs ?? 2500;
    // Subscribers share one set of watchers. One who joins after the initial load first gets the current
    // objects and `synced`, so every subscriber sees a complete state (a plain share() would give it only
    // later changes). The last one leaving stops the watchers; a new subscriber then starts from scratch.
    this.events$ = new Observable<SourceEvent>((subscriber) => {
      if (this.stopped) return void subscriber.complete();
      if (this.synced) {
        for (const key of [...this.emitted.keys()].sort()) {
          const entry = this.emitted.get(key);
          if (entry) subscriber.next({ type: 'upsert', object: entry.object });
        }
        subscriber.next({ type: 'synced' });
      }
      if (subscriber.closed) return undefined;
      this.subscribers.add(subscriber);
      if (!this.running) this.start();
      return () => {
        this.subscribers.delete(subscriber);
        if (this.subscribers.size === 0) this.halt();
      };
    });
  }

  /** Current problems: rejected files, unreadable directories, objects defined in more than one file. */
  problems(): ManifestFileProblem[] {
    const out: ManifestFileProblem[] = [...this.directoryProblems];
    for (const rel of [...this.files.keys()].sort()) {
      for (const p of this.files.get(rel)?.problems ?? []) out.push({ file: this.display(rel), ...p });
    }
    return [...out, ...this.duplicates];
  }

  /** How many times a file's content was rejected (bad YAML, invalid object, unreadable); only ever rises. */
  get parseErrorsTotal(): number {
    return this.parseErrors;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.halt();
    const subscribers = [...this.subscribers];
    this.subscribers.clear();
    for (const s of subscribers) s.complete();
    await this.scanning;
  }

  private start(): void {
    this.running = true;
    this.generation++;
    this.rescanTimer = setInterval(() => this.requestScan(), this.rescanIntervalMs);
    this.rescanTimer.unref();
    this.requestScan();
  }

  /** Stops watching and forgets all state, so a later start reads everything afresh. */
  private halt(): void {
    if (!this.running) return;
    this.running = false;
    this.generation++;
    clearInterval(this.rescanTimer);
    clearTimeout(this.debounceTimer);
    this.debounceTimer = undefined;
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
    this.files = new Map();
    this.emitted = new Map();
    this.duplicates = [];
    this.directoryProblems = [];
    this.warned = new Map();
    this.synced = false;
  }

  private onFileEvent(): void {
    if (!this.running || this.debounceTimer) return;
    this.debounceTimer = setTimeout(() => {
      this.debounceTimer = undefined;
      this.requestScan();
    }, this.debounceMs);
  }

  /** Scans run one at a time; a request during a scan runs one more scan after it. */
  private requestScan(): void {
    if (!this.running) return;
    this.scanPending = true;
    if (this.scanning) return;
    const run = this.scanWhilePending();
    this.scanning = run;
    void run.then(() => {
      if (this.scanning === run) this.scanning = undefined;
    });
  }

  private async scanWhilePending(): Promise<void> {
    while (this.running && this.scanPending) {
      this.scanPending = false;
      try {
        await this.scan(this.generation);
      } catch (err) {
        // Nothing in the directory should get here; if something does, the next scan tries again.
        this.log.error({ err }, 'manifest scan failed');
      }
    }
  }

  private async scan(generation: number): Promise<void> {
    const walk = await walkManifestDir(this.dir);
    if (generation !== this.generation) return;
    if (!walk.rootReadable) {
      // Keep every object: a missing mount or a permissions slip must not empty the config.
      const reason = `cannot read the manifest directory (${walk.rootError ?? 'unknown error'}); keeping what was loaded`;
      this.directoryProblems = [{ file: this.dir, reason }];
      this.warnWhileTrue('directories', this.directoryProblems);
      if (!this.synced) this.finishInitialLoad();
      return;
    }
    this.syncWatchers(walk.dirs);
    let changed = !this.synced;
    const present = new Set(walk.files.map((f) => f.rel));
    for (const rel of [...this.files.keys()]) {
      if (present.has(rel) || walk.unreadableDirs.some((d) => isUnder(rel, d.rel))) continue;
      this.files.delete(rel);
      this.log.info({ file: this.display(rel) }, 'manifest file removed; deleting its objects');
      changed = true;
    }
    for (const file of walk.files) {
      if (await this.refreshFile(file)) changed = true;
      if (generation !== this.generation) return;
    }
    if (this.releaseHeld(Date.now())) changed = true;
    this.directoryProblems = walk.unreadableDirs.map((d) => ({
      file: this.display(d.rel),
      reason: `cannot read the directory (${d.reason}); keeping the objects of its files`,
    }));
    this.warnWhileTrue('directories', this.directoryProblems);
    if (changed) this.reconcile();
    if (!this.synced) this.finishInitialLoad();
  }

  /** Re-reads one file when its stat says it may have changed; returns whether its objects or problems did. */
  private async refreshFile(file: WalkedFile): Promise<boolean> {
    const previous = this.files.get(file.rel);
    const { size, mtimeMs } = file.stats;
    // An unchanged stat is trusted only for a file last written well before we read it: a second write within
    // the same mtime tick, and of the same size, would otherwise go unseen (git's "racy clean" problem).
    const unchanged = previous?.signature === statSignature(file.stats);
    if (previous && unchanged && mtimeMs < previous.readAt - RACY_WINDOW_MS) return false;
    let read: SettledRead;
    try {
      if (size > MAX_FILE_BYTES) {
        throw Object.assign(new Error(`larger than ${MAX_FILE_BYTES} bytes`), { code: 'EFBIG' });
      }
      read = await readSettledFile(file.abs);
    } catch (err) {
      // Gone since the walk: the next scan (already requested by the watcher) sees it missing.
      if (errorCode(err) === 'ENOENT') return false;
      const reason =
        errorCode(err) === 'EFBIG'
          ? `the file is larger than ${MAX_FILE_BYTES} bytes`
          : `cannot read the file (${errorCode(err)})`;
      return this.reject(file.rel, previous, { signature: '', readAt: Date.now(), hash: undefined }, [
        { reason },
      ]);
    }
    const { text, readAt, signature } = read;
    const hash = createHash('sha256').update(text).digest('hex');
    if (previous && previous.hash === hash) {
      previous.signature = signature;
      previous.readAt = readAt;
      return false;
    }
    let objects: ParsedObject[];
    let skipped = 0;
    try {
      const result = parseManifest(text);
      if (!result.ok) return this.reject(file.rel, previous, { signature, readAt, hash }, result.problems);
      skipped = result.skipped.length;
      if (skipped > 0)
        this.log.debug(
          { file: this.display(file.rel), skipped: result.skipped.map((d) => `${d.type} (${d.location})`) },
          'skipped documents of kinds kxds does not read',
        );
      objects = result.objects.map((object) => ({
        key: objectKey(object),
        object,
        json: canonicalJson(object),
      }));
    } catch (err) {
      // Whatever one file does to the parser stays with that file: the scan goes on with the others.
      const reason = `cannot be processed (${err instanceof Error ? err.message : String(err)})`;
      return this.reject(file.rel, previous, { signature, readAt, hash }, [{ reason }]);
    }
    if (previous && previous.problems.length > 0) {
      this.log.info(
        { file: this.display(file.rel), objects: objects.length },
        'manifest file is valid again; applying it',
      );
    }
    const state: FileState = { signature, readAt, hash, objects, problems: [], skipped };
    this.holdVanished(file.rel, previous, state, readAt);
    this.files.set(file.rel, state);
    return true;
  }

  /** Objects the new content of a file lacks stay served for removalGraceMs (see the option). */
  private holdVanished(rel: string, previous: FileState | undefined, state: FileState, now: number): void {
    if (!previous || this.removalGraceMs <= 0) return;
    const present = new Set(state.objects.map((o) => o.key));
    const vanished = previous.objects.filter((o) => !present.has(o.key));
    if (vanished.length === 0) return;
    const until = previous.held?.until ?? now + this.removalGraceMs;
    state.objects = [...state.objects, ...vanished];
    state.held = { keys: new Set(vanished.map((o) => o.key)), until };
    if (!previous.held)
      this.log.info(
        { file: this.display(rel), objects: vanished.length, graceMs: this.removalGraceMs },
        'objects gone from a manifest file are kept a moment in case it is being rewritten',
      );
    setTimeout(() => this.requestScan(), Math.max(0, until - now) + 10).unref();
  }

  /** Withdraws held objects whose grace has run out; returns whether any were. */
  private releaseHeld(now: number): boolean {
    let released = false;
    for (const [rel, state] of this.files) {
      if (!state.held || state.held.until > now) continue;
      const keys = state.held.keys;
      state.objects = state.objects.filter((o) => !keys.has(o.key));
      state.held = undefined;
      released = true;
      this.log.info({ file: this.display(rel), objects: keys.size }, 'objects removed from a manifest file');
    }
    return released;
  }

  /** Records a bad version of a file, keeping its last good objects, and logs it once. */
  private reject(
    rel: string,
    previous: FileState | undefined,
    read: Pick<FileState, 'signature' | 'readAt' | 'hash'>,
    problems: ManifestProblem[],
  ): boolean {
    const objects = previous?.objects ?? [];
    this.files.set(rel, { ...read, objects, problems, skipped: previous?.skipped ?? 0 });
    // New content is always reported; an unreadable file, retried on every scan, only when the error changes.
    const repeatedReadError =
      read.hash === undefined &&
      previous?.hash === undefined &&
      sameProblems(previous?.problems ?? [], problems);
    if (repeatedReadError) return false;
    this.parseErrors++;
    const file = this.display(rel);
    const [first] = problems;
    const kept =
      objects.length > 0
        ? `keeping its last good ${objects.length} object${objects.length === 1 ? '' : 's'}`
        : 'nothing from it is applied';
    const more =
      problems.length > 1
        ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})`
        : '';
    this.log.warn(
      {
        file,
        object: first?.object,
        location: first?.location,
        reason: first?.reason,
        ...(problems.length > 1 ? { problems: problems.map((p) => describeProblem(file, p)) } : {}),
      },
      `manifest file rejected: ${first ? describeProblem(file, first) : file}${more}; ${kept}`,
    );
    return true;
  }

  /** Works out the objects all files define now and emits the difference from what was emitted. */
  private reconcile(): void {
    const desired = new Map<string, EmittedObject>();
    const duplicates: ManifestFileProblem[] = [];
    const files = [...this.files.keys()].sort();
    // An object defined in two files: the copy already served keeps winning (a newcomer never silently
    // takes over); between two new copies, the first in path order wins.
    const servedFrom = (key: string): string | undefined => this.emitted.get(key)?.file;
    for (const rel of files)
      for (const parsed of this.files.get(rel)?.objects ?? [])
        if (servedFrom(parsed.key) === rel) desired.set(parsed.key, { ...parsed, file: rel });
    for (const rel of files) {
      for (const parsed of this.files.get(rel)?.objects ?? []) {
        const winner = desired.get(parsed.key);
        if (!winner) {
          desired.set(parsed.key, { ...parsed, file: rel });
          continue;
        }
        if (winner.file === rel) continue;
        const object = objectRef(parsed.object);
        const why =
          servedFrom(parsed.key) === winner.file ? 'which is served already' : 'first in path order';
        const reason = `also defined in ${this.display(winner.file)}, which wins (${why}); this copy is ignored`;
        duplicates.push({ file: this.display(rel), object, reason });
      }
    }
    this.duplicates = duplicates;
    this.warnWhileTrue('duplicates', duplicates);
    const events: SourceEvent[] = [];
    for (const [key, want] of desired) {
      const had = this.emitted.get(key);
      this.emitted.set(key, want);
      if (!had || had.json !== want.json) events.push({ type: 'upsert', object: want.object });
    }
    for (const [key, had] of this.emitted) {
      if (desired.has(key)) continue;
      this.emitted.delete(key);
      events.push({ type: 'delete', object: had.object });
    }
    this.emit(events);
  }

  private finishInitialLoad(): void {
    this.synced = true;
    let skipped = 0;
    for (const state of this.files.values()) skipped += state.skipped;
    this.log.info(
      { files: this.files.size, objects: this.emitted.size, skippedDocuments: skipped },
      'manifest directory loaded',
    );
    this.emit([{ type: 'synced' }]);
  }

  private emit(events: SourceEvent[]): void {
    for (const event of events) {
      for (const subscriber of [...this.subscribers]) subscriber.next(event);
    }
  }

  /** Watches every directory the walk listed, and only those. */
  private syncWatchers(dirs: { abs: string; id: string }[]): void {
    const wanted = new Set(dirs.map((d) => `${d.id}@${d.abs}`));
    for (const [key, watcher] of this.watchers) {
      if (wanted.has(key)) continue;
      watcher.close();
      this.watchers.delete(key);
    }
    for (const { abs, id } of dirs) {
      const key = `${id}@${abs}`;
      if (this.watchers.has(key)) continue;
      try {
        // Not persistent: the source alone should not keep the process alive.
        const watcher = watch(abs, { persistent: false }, () => this.onFileEvent());
        watcher.on('error', () => {
          watcher.close();
          this.watchers.delete(key);
          this.onFileEvent();
        });
        this.watchers.set(key, watcher);
        // A file created in this directory between the walk and now raised no event: look once more.
        this.onFileEvent();
      } catch (err) {
        // Typically ENOSPC (inotify watch limit): the periodic rescan still sees every change, just later.
        const reason = `cannot watch (${errorCode(err)}); changes are seen by the periodic rescan`;
        this.log.warn({ file: abs, reason }, `${abs}: ${reason}`);
      }
    }
  }

  /** Logs each problem of a topic once while it lasts; one that goes away and comes back is logged again. */
  private warnWhileTrue(topic: WarningTopic, problems: ManifestFileProblem[]): void {
    const before = this.warned.get(topic) ?? new Set<string>();
    const now = new Set<string>();
    for (const p of problems) {
      const line = [p.file, p.object, p.reason].filter(Boolean).join(': ');
      now.add(line);
      if (!before.has(line)) this.log.warn({ file: p.file, object: p.object, reason: p.reason }, line);
    }
    this.warned.set(topic, now);
  }

  private display(rel: string): string {
    return rel === '' ? this.dir : path.join(this.dir, rel);
  }
}

function sameProblems(a: ManifestProblem[], b: ManifestProblem[]): boolean {
  return a.length === b.length && a.every((p, i) => p.reason === b[i]?.reason && p.object === b[i]?.object);
}

function isUnder(rel: string, dir: string): boolean {
  return dir === '' || rel.startsWith(`${dir}/`);
}

function errorCode(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string')
    return err.code;
  return err instanceof Error ? err.message : String(err);
}

/** JSON with object keys sorted, so reordering keys in a file is not a change. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
