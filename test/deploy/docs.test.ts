// The docs hold together: every `make` command of the "Deploy to a cluster" walkthrough (docs/install.md) is a
// real Makefile target that make accepts and the walkthrough covers the three paths end to end; the README
// stays short and every docs/ link in it (and in the docs) resolves, anchors included; every flag of
// `kxds serve --help` is documented in docs/operations.md; LICENSE and CHANGELOG.md are there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, k8sCleanCheckout, kustomize } from './render';
import { dryRun } from './make';
import { buildProgram } from '../../src/cli';

const read = (file: string): string => fs.readFileSync(path.join(REPO, file), 'utf8');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to dashes. */
export function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors of a Markdown file's headings (outside code blocks). */
function anchors(markdown: string): Set<string> {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, '');
  return new Set([...withoutCode.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1] ?? '')));
}

/** Relative links of a Markdown file: [text](target), outside code blocks; external and mail links left out. */
function relativeLinks(markdown: string): string[] {
  const withoutCode = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...withoutCode.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1] ?? '')
    .filter((target) => !/^[a-z]+:/.test(target));
}

/** Broken relative links (file or anchor) of the Markdown file at `file` (relative to the repository). */
function brokenLinks(file: string): string[] {
  const dir = path.dirname(path.join(REPO, file));
  return relativeLinks(read(file)).filter((link) => {
    const [target = '', anchor] = link.split('#');
    const resolved = target ? path.resolve(dir, target) : path.join(REPO, file);
    if (!fs.existsSync(resolved)) return true;
    return (
      anchor !== undefined &&
      resolved.endsWith('.md') &&
      !anchors(fs.readFileSync(resolved, 'utf8')).has(anchor)
    );
  });
}

/** The `make ...` lines inside the walkthrough's code blocks. */
function makeCommands(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  return blocks.flatMap((block) => block.split('\n').filter((line) => /^make\b/.test(line.trim())));
}

/** The docs/install.md section under the heading "## Deploy to a cluster", up to the next section. */
function deploySection(readme: string): string {
  const start = readme.indexOf('\n## Deploy to a cluster');
  assert.ok(start >= 0, 'docs/install.md has a "Deploy to a cluster" section');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

test('every make command in the install walkthrough is a real Makefile target', () => {
  const commands = makeCommands(deploySection(read('docs/install.md')));
  const targets = commands.flatMap((line) =>
    line
      .trim()
      .split(/\s+/)
      .slice(1)
      .filter((word) => !word.includes('=')),
  );
  for (const wanted of [
    'build',
    'image',
    'deploy',
    'deploy-local-certs',
    'demo-edge',
    'demo-sidecar',
    'demo-proxyless',
    'undeploy',
  ])
    assert.ok(targets.includes(wanted), `the walkthrough runs make ${wanted}`);
  const makefile = fs.readFileSync(path.join(REPO, 'Makefile'), 'utf8');
  for (const target of targets) {
    assert.match(makefile, new RegExp(`^${target}:`, 'm'), `Makefile declares ${target}`);
    assert.ok(dryRun(target).length > 0, `make -n ${target} runs something`);
  }
});

test('the deploy and demo targets run the kubectl commands the walkthrough describes', () => {
  assert.ok(dryRun('deploy').includes('kubectl apply -k k8s/'), 'no local keys');
  assert.ok(dryRun('deploy-local-certs').includes('kubectl apply -k k8s/overlays/local-certs'));
  for (const [target, dir] of [
    ['demo-edge', 'edge'],
    ['demo-sidecar', 'sidecar'],
    ['demo-proxyless', 'proxyless'],
  ])
    assert.ok(dryRun(target!).includes(`kubectl apply -k examples/greeter/k8s/${dir}`), target);
  assert.ok(!dryRun('demo-sidecar').some((line) => line.includes('create secret')), 'kxds issues it');
  assert.ok(
    dryRun('demo-client-secret').some((line) => line.includes('create secret generic kxds-sidecar-tls')),
  );
});

test('the doc parser finds make lines only inside code blocks', () => {
  assert.deepEqual(makeCommands('make outside\n```sh\nmake a\nkubectl get pods\n  make b X=1\n```\n'), [
    'make a',
    '  make b X=1',
  ]);
});

test('the README is at most 200 lines, keeps the two first commands, and links into docs/', () => {
  const readme = read('README.md');
  assert.ok(readme.split('\n').length <= 200, `README.md has ${readme.split('\n').length} lines`);
  const firstScreen = readme.split('\n').slice(0, 25).join('\n');
  for (const wanted of ['make run', 'make test', '18000', '9090', 'no Envoy'])
    assert.ok(firstScreen.includes(wanted), `the first screen says ${wanted}`);
  const docsLinks = relativeLinks(readme).filter((l) => l.startsWith('docs/'));
  for (const page of [
    'install',
    'ingress',
    'gateway-api',
    'sidecars',
    'proxyless',
    'operations',
    'security',
    'testing',
    'architecture',
  ])
    assert.ok(docsLinks.includes(`docs/${page}.md`), `the README links docs/${page}.md`);
});

test('every relative link in the README and in docs/ resolves, anchors included', () => {
  const pages = [
    'README.md',
    ...fs
      .readdirSync(path.join(REPO, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];
  assert.deepEqual(
    pages.flatMap((page) => brokenLinks(page).map((link) => `${page}: ${link}`)),
    [],
  );
});

test('the link check finds a broken file and a broken anchor (so a pass means something)', () => {
  assert.equal(anchorOf('`kxds serve` flags'), 'kxds-serve-flags');
  assert.equal(anchorOf('Dialects: what each data plane receives'), 'dialects-what-each-data-plane-receives');
  assert.deepEqual(relativeLinks('[a](docs/x.md) [b](https://e.x) `[c](y.md)` [d](#top)'), [
    'docs/x.md',
    '#top',
  ]);
});

test('every flag of kxds serve --help is documented in docs/operations.md', () => {
  const serve = buildProgram().commands.find((c) => c.name() === 'serve');
  assert.ok(serve);
  const operations = read('docs/operations.md');
  const flags = serve.options.map((o) => o.long ?? '').filter((f) => f && f !== '--help');
  assert.ok(flags.length > 40, `serve has ${flags.length} flags`);
  assert.deepEqual(
    flags.filter((flag) => !operations.includes(`\`${flag}`)),
    [],
    'flags docs/operations.md does not name (as `--flag ...`)',
  );
});

test('LICENSE is the Apache License 2.0 package.json names, and CHANGELOG.md is there', () => {
  const license = read('LICENSE');
  assert.equal((JSON.parse(read('package.json')) as { license?: string }).license, 'Apache-2.0');
  assert.match(license, /^\s*Apache License\s+Version 2\.0, January 2004/);
  assert.match(license, /END OF TERMS AND CONDITIONS/);
  assert.ok(license.length > 10_000, 'the full text');
  assert.match(read('CHANGELOG.md'), /^# Changelog/);
});

test("the README's and the install page's commands: real make targets, kustomizations that render", () => {
  const blocks = ['README.md', 'docs/install.md'].flatMap((file) =>
    [...read(file).matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] ?? ''),
  );
  const commands = blocks.flatMap((block) =>
    block.split(/\n|&&/).map((line) => line.replace(/#.*/, '').trim()),
  );
  const targets = commands
    .filter((c) => c.startsWith('make '))
    .flatMap((c) =>
      c
        .split(/\s+/)
        .slice(1)
        .filter((word) => !word.includes('=')),
    );
  for (const wanted of ['run', 'test', 'image', 'release', 'deploy', 'demo-sidecar'])
    assert.ok(targets.includes(wanted), wanted);
  for (const target of new Set(targets))
    assert.ok(dryRun(target).length > 0, `make -n ${target} runs something`);
  const dirs = commands.filter((c) => c.startsWith('kubectl apply -k ')).map((c) => c.split(/\s+/)[3] ?? '');
  assert.ok(dirs.includes('k8s/overlays/dev') && dirs.includes('k8s/'), dirs.join(' '));
  for (const dir of new Set(dirs))
    assert.ok(
      kustomize(path.join(k8sCleanCheckout(), path.relative('k8s', dir))).length > 0,
      `${dir} renders`,
    );
});
