#!/usr/bin/env node
// Entry point for `npx kxds`. The TypeScript build lives in dist/ (built by `npm ci` through "prepare").
'use strict';
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  console.error(
    `kxds needs Node.js 22 or newer; this is ${process.version}. ` +
      'Run it through npx, npm scripts or make, which use the Node 22 from node_modules/.bin.',
  );
  process.exit(1);
}
try {
  require.resolve('../dist/src/cli.js');
} catch {
  console.error('kxds is not built yet: run `npm ci` (or `npm run build`) first.');
  process.exit(1);
}
require('../dist/src/cli.js').main(process.argv.slice(2));
