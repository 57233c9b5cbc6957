// An in-process xDS server (the repo's XdsServer and SnapshotCache) serving hand-built edge resources, for
// testing the Envoy double on config kxds's Ingress translation never emits (mirrors, header mutations,
// timeouts, upstream TLS) and on config the double must refuse.
import type { TestContext } from 'node:test';
import { silentLogger } from '../../src/log';
import { groupForNode } from '../../src/server/groups';
import { XdsServer } from '../../src/server/xds-server';
import { SnapshotCache } from '../../src/xds/cache';
import { GROUP_EDGE } from '../../src/xds/node-group';
import { buildSnapshot } from '../../src/xds/snapshot';
import { emptyResourceSet, type ResourceSet } from '../../src/xds/types';

export interface StaticXds {
  address: string;
  /** Replaces the edge group's resources with `fill`'s. */
  publish(fill: (set: ResourceSet) => void): void;
}

export async function startStaticXds(t: TestContext): Promise<StaticXds> {
  const cache = new SnapshotCache();
  const server = new XdsServer({ cache, logger: silentLogger, groupOf: groupForNode });
  const port = await server.listen('127.0.0.1:0');
  t.after(() => server.shutdown(1000));
  return {
    address: `127.0.0.1:${port}`,
    publish(fill) {
      const set = emptyResourceSet();
      fill(set);
      cache.setSnapshot(
        buildSnapshot(GROUP_EDGE, set, cache.getSnapshot(GROUP_EDGE), (err) => {
          throw err;
        }),
      );
    },
  };
}
