// Which Ingresses kxds serves, from the pipeline's builds: the input of the Ingress status writer. The one
// place that reads TranslationResult.servedIngresses.
import { concat, defer, distinctUntilChanged, map, of, type Observable } from 'rxjs';
import type { BuildReport } from '../pipeline';
import type { TranslationResult } from '../translate/translate';

/** "namespace/name" of every Ingress the edge serves in this translation. */
export function servedIngresses(result: TranslationResult): readonly string[] {
  return result.servedIngresses;
}

/** The current build (if any) and every later one; for subscribers that start after the first build. */
export function currentAndLaterBuilds(pipeline: {
  lastBuild?: BuildReport;
  builds$: Observable<BuildReport>;
}): Observable<BuildReport> {
  return defer(() => concat(pipeline.lastBuild ? of(pipeline.lastBuild) : of(), pipeline.builds$));
}

/** The served set after each build, emitted only when it changed. */
export function servedIngresses$(builds$: Observable<BuildReport>): Observable<ReadonlySet<string>> {
  return builds$.pipe(
    map((build) => [...servedIngresses(build.result)].sort()),
    distinctUntilChanged((a, b) => a.length === b.length && a.every((key, i) => key === b[i])),
    map((keys) => new Set(keys)),
  );
}
