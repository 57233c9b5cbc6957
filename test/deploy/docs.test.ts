// Every `make` command of the README's "Deploy to a cluster" walkthrough is a real Makefile target
// that make accepts, and the walkthrough covers the three paths end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from './render';
import { dryRun } from './make';

/** The `make ...` lines inside the walkthrough's code blocks. */
function makeCommands(markdown: string): string[] {
  const blocks = [...markdown.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  return blocks.flatMap((block) => block.split('\n').filter((line) => /^make\b/.test(line.trim())));
}

/** The README section under the heading "## Deploy to a cluster", up to the next section. */
function deploySection(readme: string): string {
  const start = readme.indexOf('\n## Deploy to a cluster');
  assert.ok(start >= 0, 'the README has a "Deploy to a cluster" section');
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

test('every make command in the README walkthrough is a real Makefile target', () => {
  const commands = makeCommands(deploySection(fs.readFileSync(path.join(REPO, 'README.md'), 'utf8')));
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
    'certs',
    'deploy',
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
  assert.ok(dryRun('deploy').includes('kubectl apply -k k8s/overlays/local-certs'));
  for (const [target, dir] of [
    ['demo-edge', 'edge'],
    ['demo-sidecar', 'sidecar'],
    ['demo-proxyless', 'proxyless'],
  ])
    assert.ok(dryRun(target!).includes(`kubectl apply -k examples/greeter/k8s/${dir}`), target);
  assert.ok(dryRun('demo-sidecar').some((line) => line.includes('create secret generic kxds-sidecar-tls')));
});

test('the doc parser finds make lines only inside code blocks', () => {
  assert.deepEqual(makeCommands('make outside\n```sh\nmake a\nkubectl get pods\n  make b X=1\n```\n'), [
    'make a',
    '  make b X=1',
  ]);
});
