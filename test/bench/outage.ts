// Outage recovery (issue 18): kxds watching the API server double with its default restart backoff,
// the API server answering 503 for outageMs while an EndpointSlice changes, then back. The figure is the
// time from the API server answering again to the changed ClusterLoadAssignment being in the snapshot
// served to proxies (target: within 1 s), beside the cold start of the same objects.
import { Pipeline } from '../../src/pipeline';
import { SnapshotCache } from '../../src/xds/cache';
import { silentLogger } from '../../src/log';
import { createKubeSource } from '../../src/sources/kube-source';
import type { WatchedObject } from '../../src/model/k8s';
import { ApiServerDouble } from '../k8s-double/api-server-double';
import { writeKubeconfig } from '../k8s-double/kubeconfig';
import type { StoredObject } from '../k8s-double/selectors';
import { benchClusterName, benchObjects, benchSlice } from './fixtures';
import { nowMs, round, sleep } from './stats';
import type { ScenarioResult } from './scenarios';

/** The double assigns resourceVersions itself; a fixture's own would fail its optimistic locking. */
function stored(object: WatchedObject): StoredObject {
  const copy = structuredClone(object) as unknown as StoredObject;
  delete copy.metadata.resourceVersion;
  return copy;
}

export async function outageRecovery(p: { services: number; outageMs: number }): Promise<ScenarioResult> {
  const double = await ApiServerDouble.start({ bookmarkIntervalMs: 1000 });
  for (const o of benchObjects(p.services, 2, true)) double.create(stored(o));
  const source = await createKubeSource({
    kubeconfigPath: writeKubeconfig(double.url),
    kinds: ['Service', 'EndpointSlice', 'Ingress'],
    resyncPeriodMs: 0,
  });
  const cache = new SnapshotCache();
  const coldStart = nowMs();
  const pipeline = new Pipeline({ source, cache, logger: silentLogger });
  try {
    await pipeline.whenReady();
    const coldStartS = (nowMs() - coldStart) / 1000;
    const name = benchClusterName(0);
    const versionOf = () => cache.getSnapshot('proxyless')?.types.endpoint.resources.get(name)?.version;
    const before = versionOf();
    double.failWith(503, p.outageMs);
    const outageEnds = Date.now() + p.outageMs;
    await sleep(100);
    double.update(stored(benchSlice(0, 2, 1)));
    await sleep(outageEnds - Date.now());
    const back = nowMs();
    while (versionOf() === before && nowMs() - back < 60_000) await sleep(5);
    const failed = double.requests.filter((r) => r.status === 503).length;
    return {
      services: p.services,
      objects: p.services * 3,
      outageMs: p.outageMs,
      coldStartS: round(coldStartS, 2),
      recoveredMs: versionOf() === before ? 'not within 60 s' : round(nowMs() - back, 0),
      failedRequestsDuringOutage: failed,
    };
  } finally {
    pipeline.stop();
    await source.stop();
    await double.stop();
  }
}
