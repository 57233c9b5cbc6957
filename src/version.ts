// The version of this kxds, from package.json (one place: `kxds --version`, `kxds version`, the
// kxds_build_info metric, the admin /version document and the status page all read it here).
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export interface BuildInfo {
  version: string;
  /** The Node.js running this process, e.g. "v22.23.3". */
  node: string;
}

/** package.json sits two levels above dist/src (and one above src, under ts-node-like runners). */
function readBuildInfo(): BuildInfo {
  for (const up of ['../..', '..']) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(__dirname, up, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'kxds' && typeof pkg.version === 'string')
        return { version: pkg.version, node: process.version };
    } catch {
      // not this level: try the next
    }
  }
  return { version: 'unknown', node: process.version };
}

/** Read once, when first imported: the file does not change under a running process. */
export const BUILD_INFO: Readonly<BuildInfo> = Object.freeze(readBuildInfo());
