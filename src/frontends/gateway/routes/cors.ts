// The CORS filter (HTTPCORSFilter) -> IR CORS settings for the CORS plug-in. "*" in an origin's host is
// greedy to the left over any number of labels (the spec's rule, unlike ingress-nginx's one label); maxAge
// defaults to 5 s. Each wildcard origin's regex is checked with RE2 like every regex kxds emits.
import { corsOriginRegex, type IrCors } from '../../../ir/http-filters';
import { re2Problem } from '../../../xds/re2';
import type { HTTPCORSFilter } from './spec';

const DEFAULT_MAX_AGE_SECONDS = 5;

export function corsSettings(filter: HTTPCORSFilter): IrCors | string {
  const allowOrigins = [...(filter.allowOrigins ?? [])];
  for (const origin of allowOrigins) {
    const regex = corsOriginRegex(origin, 'any-labels');
    const problem = regex === undefined ? undefined : re2Problem(regex);
    if (problem) return `CORS origin "${origin}" ${problem}`;
  }
  return {
    allowOrigins,
    allowMethods: (filter.allowMethods ?? []).join(','),
    allowHeaders: (filter.allowHeaders ?? []).join(','),
    exposeHeaders: (filter.exposeHeaders ?? []).join(','),
    maxAgeSeconds: filter.maxAge ?? DEFAULT_MAX_AGE_SECONDS,
    allowCredentials: filter.allowCredentials === true,
    originWildcard: 'any-labels',
  };
}
