// `npm ci` on Node 22 prints no EBADENGINE warning: every package in the lockfile accepts the Node version
// kxds runs on (the `node` devDependency locked there), and package.json says kxds needs that major. npm
// judges `engines` against the Node that runs npm itself, so on a machine whose own Node is older the first
// `npm ci` (before node_modules/.bin/node exists) still warns for kxds and @kubernetes-models/* (>=22):
// harmless, every target then runs on the locked Node 22 (docs/development.md says so).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { satisfies } from 'semver';
import { REPO } from './render';

interface LockedPackage {
  version?: string;
  engines?: { node?: string } | string[];
}

const lock = JSON.parse(fs.readFileSync(path.join(REPO, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, LockedPackage>;
};

test('every locked package accepts the locked Node 22, so npm ci on it warns of no engine', () => {
  const node = lock.packages['node_modules/node']?.version ?? '';
  assert.match(node, /^22\./, 'the node devDependency is locked at a 22.x');
  const refused = Object.entries(lock.packages).flatMap(([where, pkg]) => {
    const range = Array.isArray(pkg.engines) ? undefined : pkg.engines?.node;
    return range && !satisfies(node, range, { includePrerelease: true }) ? [`${where}: ${range}`] : [];
  });
  assert.deepEqual(refused, []);
  const own = lock.packages['']?.engines;
  assert.ok(own && !Array.isArray(own) && own.node === '>=22', 'kxds declares the Node it is built for');
});
