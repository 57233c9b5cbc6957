import { spawnSync } from 'node:child_process';
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, promises as fs, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Subscription } from 'rxjs';
import { createLogger } from '../../src/log';
import { objectKey, type Service } from '../../src/model/k8s';
import { ManifestSource, type ManifestSourceOptions } from '../../src/sources/manifest-source';
import type { SourceEvent } from '../../src/sources/source';

const TEST_TIMEOUT = { timeout: 15_000 };
/** The promise: a file change reaches the served config within 1 s. */
const CHANGE_DEADLINE_MS = 1000;
const INITIAL_LOAD_MS = 5000;

function service(name: string, port = 80, namespace = 'default'): string {
  return `apiVersion: v1\nkind: Service\nmetadata: { name: ${name}, namespace: ${namespace} }\nspec: { ports: [{ port: ${port} }] }\n`;
}

function describe(event: SourceEvent): string {
  if (event.type === 'synced') return 'synced';
  const port = event.object.kind === 'Service' ? `:${event.object.spec.ports?.[0]?.port ?? ''}` : '';
  return `${event.type} ${objectKey(event.object)}${port}`;
}

interface Harness {
  dir: string;
  source: ManifestSource;
  events: SourceEvent[];
  logs: Record<string, unknown>[];
  write(rel: string, text: string): void;
  /** The next `count` events, described; fails unless they arrive within `ms` (default: the 1 s promise). */
  next(count: number, ms?: number): Promise<string[]>;
  /** The same for the initial load, which has no such promise and gets longer on a busy machine. */
  initial(count: number): Promise<string[]>;
  warnings(): Record<string, unknown>[];
}

/** A source on a fresh temp directory, with its events and log lines captured; cleaned up after the test. */
async function harness(
  t: TestContext,
  files: Record<string, string | { link: string }> = {},
  options: Partial<ManifestSourceOptions> = {},
): Promise<Harness> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kxds-manifests-'));
  // Synchronous writes: the source shares this process, so an async write would leave the file empty for as
  // long as the test process is busy, a stall a separate writer process would not have.
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  };
  // Entries in order, so a link can point at an earlier entry.
  for (const [rel, content] of Object.entries(files)) {
    if (typeof content === 'string') write(rel, content);
    else symlinkSync(content.link, path.join(dir, rel));
  }
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger('info', { write: (line: string) => void logs.push(JSON.parse(line)) });
  // A long fallback period by default, so the tests prove the watchers, not the poll, deliver changes quickly.
  const source = new ManifestSource({ dir, logger, rescanIntervalMs: 60_000, ...options });
  const events: SourceEvent[] = [];
  let consumed = 0;
  const waiters: (() => void)[] = [];
  const subscription: Subscription = source.events$.subscribe((event) => {
    events.push(event);
    for (const wake of waiters.splice(0)) wake();
  });
  t.after(async () => {
    subscription.unsubscribe();
    await source.stop();
    await fs.chmod(dir, 0o700).catch(() => undefined);
    await fs.rm(dir, { recursive: true, force: true });
  });
  const next = async (count: number, ms = CHANGE_DEADLINE_MS): Promise<string[]> => {
    const deadline = Date.now() + ms;
    while (events.length < consumed + count) {
      const left = deadline - Date.now();
      if (left <= 0) {
        const got = events.slice(consumed).map(describe);
        assert.fail(`expected ${count} event(s) within ${ms} ms, got ${JSON.stringify(got)}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const got = events.slice(consumed, consumed + count).map(describe);
    consumed += count;
    return got;
  };
  const warnings = () => logs.filter((l) => l.level === 'warn');
  const initial = (count: number) => next(count, INITIAL_LOAD_MS);
  return { dir, source, events, logs, write, next, initial, warnings };
}

/** Waits a bounded time in which nothing must happen; only used to show that something did not happen. */
const settle = (ms = 300) => new Promise((resolve) => setTimeout(resolve, ms));

test(
  'initial load emits every object of every manifest file, nested too, then synced',
  TEST_TIMEOUT,
  async (t) => {
    const h = await harness(t, {
      'a.yaml': `${service('a')}---\n${service('b')}`,
      'team/x/c.yml': service('c'),
      'd.json': JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }),
      '.hidden.yaml': service('hidden'),
      '.git/e.yaml': service('in-dotdir'),
      'notes.txt': 'not a manifest',
      'a.yaml~': service('backup'),
    });
    assert.deepEqual((await h.initial(5)).sort(), [
      'synced',
      'upsert Namespace/shop',
      'upsert Service/default/a:80',
      'upsert Service/default/b:80',
      'upsert Service/default/c:80',
    ]);
    assert.equal(h.events.at(-1)?.type, 'synced', 'synced comes after every initial object');
    await settle();
    assert.equal(h.events.length, 5, 'nothing else is emitted');
  },
);

test('an empty directory is synced with no objects', TEST_TIMEOUT, async (t) => {
  const h = await harness(t);
  assert.deepEqual(await h.initial(1), ['synced']);
});

test('a file added, changed and deleted is reflected within 1 s', TEST_TIMEOUT, async (t) => {
  const h = await harness(t, { 'a.yaml': service('a') });
  await h.initial(2);
  h.write('b.yaml', `${service('b')}---\n${service('c')}`);
  assert.deepEqual((await h.next(2)).sort(), ['upsert Service/default/b:80', 'upsert Service/default/c:80']);
  h.write('b.yaml', `${service('b', 81)}---\n${service('c')}`);
  assert.deepEqual(await h.next(1), ['upsert Service/default/b:81'], 'only the object that changed is sent');
  await fs.rm(path.join(h.dir, 'b.yaml'));
  assert.deepEqual((await h.next(2)).sort(), ['delete Service/default/b:81', 'delete Service/default/c:80']);
});

test(
  'an object removed from a file that stays is deleted once the removal grace is over',
  TEST_TIMEOUT,
  async (t) => {
    const h = await harness(t, { 'a.yaml': `${service('a')}---\n${service('b')}` }, { removalGraceMs: 1000 });
    await h.initial(3);
    const written = Date.now();
    h.write('a.yaml', service('a'));
    assert.deepEqual(await h.next(1, 4000), ['delete Service/default/b:80']);
    assert.ok(Date.now() - written >= 1000, 'kept for the grace period first');
  },
);

test(
  'a file in a new nested folder is picked up, and removing the folder deletes its objects',
  TEST_TIMEOUT,
  async (t) => {
    const h = await harness(t);
    await h.initial(1);
    h.write('new/deeper/x.yaml', service('x'));
    assert.deepEqual(await h.next(1), ['upsert Service/default/x:80']);
    h.write('new/deeper/y.yaml', service('y'));
    assert.deepEqual(await h.next(1), ['upsert Service/default/y:80'], 'the new folder is watched too');
    await fs.rm(path.join(h.dir, 'new'), { recursive: true });
    assert.deepEqual((await h.next(2)).sort(), [
      'delete Service/default/x:80',
      'delete Service/default/y:80',
    ]);
  },
);

test('an editor-style save (write a temp file, rename it over) is applied', TEST_TIMEOUT, async (t) => {
  const h = await harness(t, { 'a.yaml': service('a') });
  await h.initial(2);
  await fs.writeFile(path.join(h.dir, '.a.yaml.swp'), service('a', 9090));
  await fs.rename(path.join(h.dir, '.a.yaml.swp'), path.join(h.dir, 'a.yaml'));
  assert.deepEqual(await h.next(1), ['upsert Service/default/a:9090']);
});

test('a file caught between truncate and write is not read as empty', TEST_TIMEOUT, async (t) => {
  // Rescans every 5 ms, so many land while the file is empty.
  const h = await harness(t, { 'a.yaml': service('a') }, { rescanIntervalMs: 5 });
  await h.initial(2);
  const handle = await fs.open(path.join(h.dir, 'a.yaml'), 'w');
  await settle(100);
  await handle.writeFile(service('a', 81));
  await handle.close();
  assert.deepEqual(await h.next(1), ['upsert Service/default/a:81'], 'no delete of Service a before');
  await settle();
  assert.deepEqual(h.events.slice(3).map(describe), []);
});

test('a file emptied on purpose deletes its objects after the grace', TEST_TIMEOUT, async (t) => {
  const h = await harness(t, { 'a.yaml': service('a') }, { removalGraceMs: 300 });
  await h.initial(2);
  h.write('a.yaml', '');
  // An empty file is left to settle for 500 ms first (see the truncate test above), then the grace runs.
  assert.deepEqual(await h.next(1, 3000), ['delete Service/default/a:80']);
});

test('a shell-redirect rewrite (truncate, 1.5 s pause, write) withdraws nothing', TEST_TIMEOUT, async (t) => {
  // The default grace, and rescans every 20 ms so many land while the file is empty.
  const h = await harness(t, { 'a.yaml': `${service('a')}---\n${service('b')}` }, { rescanIntervalMs: 20 });
  await h.initial(3);
  const handle = await fs.open(path.join(h.dir, 'a.yaml'), 'w');
  await settle(1500);
  await handle.writeFile(`${service('a', 81)}---\n${service('b')}`);
  await handle.close();
  assert.deepEqual(await h.next(1, 3000), ['upsert Service/default/a:81']);
  await settle(3000);
  assert.deepEqual(h.events.slice(4).map(describe), [], 'no delete during or after the rewrite');
});

test(
  'a 6 MB file aliasing one anchor 99 times is refused alone; other files still apply',
  TEST_TIMEOUT,
  async (t) => {
    const h = await harness(t, { 'a.yaml': service('a') });
    await h.initial(2);
    const big = 'x'.repeat(6 * 1024 * 1024);
    const aliases = Array.from({ length: 99 }, (_, i) => `    k${i}: *big`).join('\n');
    const bomb = `apiVersion: v1\nkind: ConfigMap\nmetadata: { name: bomb }\ndata:\n    anchor: &big "${big}"\n${aliases}\n`;
    h.write('bomb.yaml', bomb);
    h.write('b.yaml', service('b'));
    assert.deepEqual(await h.next(1, 8000), ['upsert Service/default/b:80']);
    const problem = h.source.problems().find((p) => p.file.endsWith('bomb.yaml'));
    assert.match(String(problem?.reason), /aliases expand it beyond 16 MiB; refused/);
    h.write('c.yaml', service('c'));
    assert.deepEqual(await h.next(1, 8000), ['upsert Service/default/c:80'], 'later changes still apply');
  },
);

test(
  'a broken file keeps its last good objects and logs one line naming file, object and reason',
  TEST_TIMEOUT,
  async (t) => {
    // A short fallback period, so several rescans run while the file stays broken.
    const h = await harness(
      t,
      { 'web.yaml': `${service('a')}---\n${service('b')}` },
      { rescanIntervalMs: 50 },
    );
    await h.initial(3);
    h.write(
      'web.yaml',
      `${service('a', 81)}---\napiVersion: v1\nkind: Service\nmetadata: { name: b }\nspec: { ports: [{ port: 0 }] }\n`,
    );
    await settle(500);
    assert.deepEqual(
      h.events.slice(3).map(describe),
      [],
      'nothing from the broken file is applied, nothing deleted',
    );
    const warnings = h.warnings();
    assert.equal(warnings.length, 1, JSON.stringify(warnings));
    const [warning] = warnings as [Record<string, unknown>];
    assert.equal(warning.file, path.join(h.dir, 'web.yaml'));
    assert.equal(warning.object, 'Service default/b');
    assert.match(String(warning.reason), /spec.ports\[0\].port must be an integer from 1 to 65535, got 0/);
    assert.match(
      String(warning.msg),
      /web\.yaml: Service default\/b \(document 2\): spec\.ports.*keeping its last good 2 objects/,
    );
    assert.deepEqual(
      h.source.problems().map((p) => [p.file, p.object]),
      [[path.join(h.dir, 'web.yaml'), 'Service default/b']],
    );
    assert.equal(h.source.parseErrorsTotal, 1);

    h.write('web.yaml', `${service('a', 82)}---\n${service('b')}`);
    assert.deepEqual(await h.next(1), ['upsert Service/default/a:82'], 'the fixed file is applied');
    assert.deepEqual(h.source.problems(), []);
  },
);

test('bad YAML and a bad object are reported the same way', TEST_TIMEOUT, async (t) => {
  const h = await harness(t, { 'a.yaml': service('a') });
  await h.initial(2);
  h.write('a.yaml', 'kind: [oops\n');
  h.write('b.yaml', 'apiVersion: v2\nkind: Service\nmetadata: { name: web }\n');
  const deadline = Date.now() + CHANGE_DEADLINE_MS;
  while (h.warnings().length < 2 && Date.now() < deadline) await settle(20);
  const lines = h.warnings().map((w) => String(w.msg));
  assert.equal(lines.length, 2, JSON.stringify(lines));
  assert.ok(
    lines.some((l) => /a\.yaml: document 1: invalid YAML/.test(l)),
    JSON.stringify(lines),
  );
  assert.ok(
    lines.some((l) => /b\.yaml: Service default\/web .*apiVersion must be "v1"/.test(l)),
    JSON.stringify(lines),
  );
  assert.deepEqual(h.events.slice(2), [], 'a.yaml keeps Service a');
});

test('a Deployment beside a Service does not keep the Service from being served', TEST_TIMEOUT, async (t) => {
  const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec: {}\n';
  const h = await harness(t, { 'app.yaml': `${deployment}---\n${service('a')}` });
  assert.deepEqual(await h.initial(2), ['upsert Service/default/a:80', 'synced']);
  assert.deepEqual(h.warnings(), [], 'a kind kxds does not read is not a warning');
  assert.deepEqual(h.source.problems(), []);
});

test('a file broken from the start contributes nothing; the others load', TEST_TIMEOUT, async (t) => {
  const h = await harness(t, { 'good.yaml': service('a'), 'bad.yaml': `${service('b')}---\nkind: Nope\n` });
  assert.deepEqual(await h.initial(2), ['upsert Service/default/a:80', 'synced']);
  assert.equal(h.warnings().length, 1);
  assert.match(String(h.warnings()[0]?.msg), /bad\.yaml: Nope .*nothing from it is applied/);
});

test('rewriting a file with the same content emits nothing', TEST_TIMEOUT, async (t) => {
  const h = await harness(t, { 'a.yaml': service('a'), 'b.yaml': service('b') });
  await h.initial(3);
  h.write('a.yaml', service('a'));
  // Key order is not content either.
  h.write(
    'b.yaml',
    'kind: Service\napiVersion: v1\nspec: { ports: [{ port: 80 }] }\nmetadata: { namespace: default, name: b }\n',
  );
  // Scans run in order, so once the next file appears the rewrites above have been read too.
  h.write('c.yaml', service('c'));
  assert.deepEqual(await h.next(1), ['upsert Service/default/c:80']);
  await settle();
  assert.deepEqual(h.events.slice(4), []);
});

test(
  'an object defined in two files: the first path wins, a warning names both files',
  TEST_TIMEOUT,
  async (t) => {
    const h = await harness(t, { 'a.yaml': service('web', 80), 'b/web.yaml': service('web', 81) });
    assert.deepEqual(await h.initial(2), ['upsert Service/default/web:80', 'synced']);
    const [warning, ...more] = h.warnings();
    assert.deepEqual(more, []);
    assert.equal(warning?.file, path.join(h.dir, 'b/web.yaml'));
    assert.equal(warning?.object, 'Service default/web');
    assert.match(
      String(warning?.msg),
      new RegExp(`also defined in ${path.join(h.dir, 'a.yaml')}, which wins`),
    );
    // Removing the winner hands the object to the other file instead of deleting it.
    await fs.rm(path.join(h.dir, 'a.yaml'));
    assert.deepEqual(await h.next(1), ['upsert Service/default/web:81']);
    assert.deepEqual(h.source.problems(), []);
  },
);

test(
  'a new file sorting earlier never takes over an object already served; it is warned about',
  TEST_TIMEOUT,
  async (t) => {
    const h = await harness(t, { 'b.yaml': service('web', 80) });
    assert.deepEqual(await h.initial(2), ['upsert Service/default/web:80', 'synced']);
    h.write('a.yaml', service('web', 81));
    // Wait until the newcomer was read (its warning is there), however slow this machine is.
    for (let waited = 0; h.source.problems().length === 0 && waited < 10_000; waited += 50) await settle(50);
    await settle(200);
    assert.deepEqual(h.events.slice(2).map(describe), [], 'the served copy stays');
    const [problem] = h.source.problems();
    assert.equal(problem?.file, path.join(h.dir, 'a.yaml'));
    assert.match(
      String(problem?.reason),
      new RegExp(`also defined in ${path.join(h.dir, 'b.yaml')}, which wins \\(which is served already\\)`),
    );
  },
);

test('symlinked files and folders are followed, and a symlink loop does no harm', TEST_TIMEOUT, async (t) => {
  const h = await harness(t, {
    'real/a.yaml': service('a'),
    link: { link: 'real' },
    'real/self': { link: '.' },
    'loop1.yaml': { link: 'loop2.yaml' },
    'loop2.yaml': { link: 'loop1.yaml' },
    'dangling.yaml': { link: 'missing.yaml' },
  });
  assert.deepEqual(await h.initial(2), ['upsert Service/default/a:80', 'synced']);
  assert.deepEqual(h.warnings(), [], 'the same folder reached twice is read once, so no duplicate warning');
});

test(
  'a ConfigMap volume update (an atomic swap of the ..data symlink) is applied',
  TEST_TIMEOUT,
  async (t) => {
    // The layout the kubelet makes: a.yaml -> ..data/a.yaml, ..data -> ..v1 (a timestamped directory).
    const h = await harness(t, {
      '..v1/a.yaml': service('a'),
      '..data': { link: '..v1' },
      'a.yaml': { link: '..data/a.yaml' },
    });
    assert.deepEqual(await h.initial(2), ['upsert Service/default/a:80', 'synced']);
    h.write('..v2/a.yaml', service('a', 81));
    await fs.symlink('..v2', path.join(h.dir, '..data_tmp'));
    await fs.rename(path.join(h.dir, '..data_tmp'), path.join(h.dir, '..data'));
    await fs.rm(path.join(h.dir, '..v1'), { recursive: true });
    assert.deepEqual(await h.next(1), ['upsert Service/default/a:81']);
  },
);

test('a manifest directory that vanishes keeps every object and warns once', TEST_TIMEOUT, async (t) => {
  const h = await harness(t, { 'a.yaml': service('a') }, { rescanIntervalMs: 50 });
  await h.initial(2);
  // Moved away in one step, like an unmounted volume (a recursive delete would delete the files first).
  const away = `${h.dir}-away`;
  await fs.rename(h.dir, away);
  t.after(() => fs.rm(away, { recursive: true, force: true }));
  await settle(400);
  assert.deepEqual(h.events.slice(2), [], 'no deletes');
  const warnings = h.warnings();
  assert.equal(warnings.length, 1, JSON.stringify(warnings));
  assert.match(String(warnings[0]?.msg), /cannot read the manifest directory \(ENOENT\)/);
  // When it comes back, its content is what counts again.
  h.write('b.yaml', service('b'));
  assert.deepEqual((await h.next(2)).sort(), ['delete Service/default/a:80', 'upsert Service/default/b:80']);
});

test('an unreadable file keeps its last good objects', TEST_TIMEOUT, async (t) => {
  if (process.getuid?.() === 0 && !process.env.KXDS_NO_DAC) {
    // Root reads files whatever their mode: run this very test again as root without the capabilities that
    // let it (setpriv, from util-linux), so file permissions apply.
    const child = spawnSync(
      'setpriv',
      [
        '--bounding-set',
        '-dac_override,-dac_read_search',
        process.execPath,
        '--test-reporter=tap',
        '--test-name-pattern',
        '^an unreadable file keeps its last good objects$',
        __filename,
      ],
      {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, NODE_TEST_CONTEXT: undefined, KXDS_NO_DAC: '1' },
      },
    );
    assert.equal(
      child.status,
      0,
      `without CAP_DAC_OVERRIDE:\n${child.stdout}\n${child.stderr}\n${String(child.error)}`,
    );
    assert.match(child.stdout, /# pass 1/);
    return;
  }
  const h = await harness(t, { 'a.yaml': service('a') }, { rescanIntervalMs: 50 });
  await h.initial(2);
  await fs.chmod(path.join(h.dir, 'a.yaml'), 0);
  h.write('b.yaml', service('b'));
  assert.deepEqual(await h.next(1), ['upsert Service/default/b:80']);
  await settle();
  assert.deepEqual(h.events.slice(3), []);
  assert.equal(h.warnings().length, 1);
  assert.match(
    String(h.warnings()[0]?.msg),
    /a\.yaml: cannot read the file \(EACCES\); keeping its last good 1 object/,
  );
});

test('the fallback rescan finds changes even without watcher events', TEST_TIMEOUT, async (t) => {
  // A huge debounce stands in for watchers that never fire: only the periodic rescan can see the change.
  const h = await harness(t, { 'a.yaml': service('a') }, { debounceMs: 60_000, rescanIntervalMs: 100 });
  await h.initial(2);
  h.write('a.yaml', service('a', 81));
  assert.deepEqual(await h.next(1), ['upsert Service/default/a:81']);
});

test(
  'subscribers share one watcher; a late one first gets the current objects and synced',
  TEST_TIMEOUT,
  async (t) => {
    const h = await harness(t, { 'a.yaml': service('a') });
    await h.initial(2);
    const late: string[] = [];
    const subscription = h.source.events$.subscribe((e) => late.push(describe(e)));
    t.after(() => subscription.unsubscribe());
    assert.deepEqual(late, ['upsert Service/default/a:80', 'synced']);
    h.write('a.yaml', service('a', 81));
    assert.deepEqual(await h.next(1), ['upsert Service/default/a:81']);
    assert.deepEqual(late.slice(2), ['upsert Service/default/a:81'], 'both subscribers see the change once');
  },
);

test('stop() completes the stream and later subscribers', TEST_TIMEOUT, async (t) => {
  const h = await harness(t, { 'a.yaml': service('a') });
  await h.initial(2);
  let completed = false;
  const subscription = h.source.events$.subscribe({ complete: () => (completed = true) });
  t.after(() => subscription.unsubscribe());
  await h.source.stop();
  assert.equal(completed, true);
  let lateCompleted = false;
  h.source.events$.subscribe({ complete: () => (lateCompleted = true) });
  assert.equal(lateCompleted, true);
  const emitted = h.events.length;
  h.write('b.yaml', service('b'));
  await settle();
  assert.equal(h.events.length, emitted, 'a stopped source emits nothing');
});

test('Secret data never reaches the logs of a rejected file', TEST_TIMEOUT, async (t) => {
  const h = await harness(t, {
    's.yaml':
      'apiVersion: v1\nkind: Secret\nmetadata: { name: s }\nstringData: { key: TOPSECRET }\n---\nkind: Nope\n',
  });
  await h.initial(1);
  assert.equal(h.warnings().length, 1);
  assert.doesNotMatch(JSON.stringify(h.logs), /TOPSECRET/);
});

test('emitted objects are the parsed objects, with defaults applied', TEST_TIMEOUT, async (t) => {
  const h = await harness(t, {
    'a.yaml': 'apiVersion: v1\nkind: Service\nmetadata: { name: a }\nspec: { ports: [{ port: 80 }] }\n',
  });
  await h.initial(2);
  const first = h.events[0];
  assert.ok(first?.type === 'upsert');
  const svc = first.object as Service;
  assert.deepEqual(svc, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'a', namespace: 'default' },
    spec: { ports: [{ port: 80 }] },
  });
});
