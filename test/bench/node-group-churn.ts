// B6 (issue 17, "node-chosen groups are never released"): build time and memory with only the standing
// groups, with many node-chosen sidecar groups watched at once, and after all of them left again. In one
// process, on the cache directly (no gRPC): what is measured is the pipeline's work per group.
import { firstValueFrom, type Subscription } from 'rxjs';
import { Pipeline } from '../../src/pipeline';
import { SnapshotCache } from '../../src/xds/cache';
import { sidecarGroup } from '../../src/xds/node-group';
import { silentLogger } from '../../src/log';
import { SubjectSource } from '../helpers/subject-source';
import { benchObjects, benchSlice } from './fixtures';
import type { ScenarioResult } from './scenarios';
import { gcNow, percentile, round } from './stats';

export async function nodeGroupChurn(p: {
  services: number;
  groups: number;
  samples: number;
}): Promise<ScenarioResult> {
  const source = new SubjectSource();
  const cache = new SnapshotCache({ maxNodeChosenGroups: p.groups });
  const pipeline = new Pipeline({ source, cache, logger: silentLogger, debounceMs: 1, maxWaitMs: 10 });
  for (const o of benchObjects(p.services, 2, false)) source.upsert(o);
  source.synced();
  await pipeline.whenReady();
  let generation = 1;
  /** Median build time of `samples` one-EndpointSlice changes, and the groups that build translated. */
  const measure = async () => {
    const seconds: number[] = [];
    let groups = 0;
    for (let s = 0; s < p.samples; s++) {
      const built = firstValueFrom(pipeline.builds$);
      source.upsert(benchSlice(s % p.services, 2, generation++));
      const report = await built;
      seconds.push(report.buildSeconds);
      groups = report.result.groups.size;
    }
    gcNow();
    return {
      ms: round(percentile(seconds, 50) * 1000, 1),
      groups,
      rssMB: round(process.memoryUsage().rss / 1e6, 0),
    };
  };
  const before = await measure();
  const watches: Subscription[] = [];
  for (let i = 0; i < p.groups; i++)
    watches.push(cache.watch(sidecarGroup(`tenant-${i}`, false, [`egress-${i}`])).subscribe());
  await firstValueFrom(pipeline.builds$); // the build the new groups asked for
  const during = await measure();
  for (const w of watches) w.unsubscribe();
  const after = await measure();
  pipeline.stop();
  return {
    services: p.services,
    nodeChosenGroups: p.groups,
    buildMsBefore: before.ms,
    buildMsWhileWatched: during.ms,
    buildMsAfterRelease: after.ms,
    groupsBefore: before.groups,
    groupsWhileWatched: during.groups,
    groupsAfterRelease: after.groups,
    cachedGroupsAfterRelease: cache.size(),
    rssMBBefore: before.rssMB,
    rssMBWhileWatched: during.rssMB,
    rssMBAfterRelease: after.rssMB,
  };
}
