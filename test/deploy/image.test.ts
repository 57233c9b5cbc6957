// The container image, checked without a Docker engine: the Dockerfile's shape (Node 22 slim, multi-stage,
// production dependencies only, non-root, ENTRYPOINT kxds), that everything it copies exists and survives
// .dockerignore, and that the compiled code needs nothing the runtime stage leaves out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { builtinModules } from 'node:module';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from './render';

const dockerfile = () => fs.readFileSync(path.join(REPO, 'Dockerfile'), 'utf8');
const stages = () =>
  dockerfile()
    .split(/^FROM /m)
    .slice(1);

function jsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? jsFiles(full) : e.name.endsWith('.js') ? [full] : [];
  });
}

test('a multi-stage build on node:22-slim whose runtime has production dependencies only and runs as non-root', () => {
  const [build, runtime] = stages();
  assert.equal(stages().length, 2);
  assert.match(build ?? '', /^node:22-slim AS build/);
  assert.match(build ?? '', /RUN npm ci\b/);
  assert.match(runtime ?? '', /^node:22-slim\n/);
  assert.match(runtime ?? '', /RUN npm ci --omit=dev/);
  assert.match(runtime ?? '', /COPY --from=build \/src\/dist\/src\/ dist\/src\//);
  const user = /^USER (\d+)(?::(\d+))?$/m.exec(runtime ?? '');
  assert.ok(user && Number(user[1]) > 0, 'a numeric non-root USER, so runAsNonRoot can be checked');
  assert.match(runtime ?? '', /^ENTRYPOINT \["kxds"\]$/m);
  assert.match(runtime ?? '', /ln -s \/app\/bin\/kxds\.js \/usr\/local\/bin\/kxds/);
});

test('everything the Dockerfile copies from the context exists and is not excluded by .dockerignore', () => {
  const ignored = fs
    .readFileSync(path.join(REPO, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const copies = [...dockerfile().matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1]!.split(/\s+/));
  assert.ok(copies.length > 0);
  for (const source of copies) {
    const clean = source.replace(/\/$/, '');
    assert.ok(fs.existsSync(path.join(REPO, clean)), `${clean} exists`);
    assert.ok(!ignored.includes(clean), `${clean} is not in .dockerignore`);
  }
  for (const secret of ['k8s', 'node_modules', 'dist', '.git'])
    assert.ok(ignored.includes(secret), `${secret} stays out of the context`);
});

test('the compiled code loads only production dependencies and files inside dist/src', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const builtins = new Set(builtinModules);
  const distSrc = path.join(REPO, 'dist', 'src');
  const problems: string[] = [];
  for (const file of jsFiles(distSrc)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      const spec = m[1]!;
      if (spec.startsWith('.')) {
        const target = path.resolve(path.dirname(file), spec);
        const found = ['', '.js', '.json', '/index.js'].some((ext) => fs.existsSync(target + ext));
        if (!found || !target.startsWith(distSrc)) problems.push(`${path.relative(REPO, file)}: ${spec}`);
        continue;
      }
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
      if (builtins.has(name) || name.startsWith('node:')) continue;
      if (!pkg.dependencies[name])
        problems.push(`${path.relative(REPO, file)}: ${name} is not a production dependency`);
    }
  }
  assert.deepEqual(problems, []);
});
