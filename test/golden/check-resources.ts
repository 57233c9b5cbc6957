// Every resource of a ResourceSet checked with checkEnvoyResource; problems are named by kind and resource.
import { checkEnvoyResource } from '../../src/xds/check-resource';
import { MESSAGE_NAME, type ResourceKind, type ResourceSet } from '../../src/xds/types';

export function checkResources(set: ResourceSet): string[] {
  const problems: string[] = [];
  for (const kind of Object.keys(MESSAGE_NAME) as ResourceKind[]) {
    for (const [name, resource] of set[kind]) {
      for (const problem of checkEnvoyResource(MESSAGE_NAME[kind], resource)) {
        problems.push(`${kind} ${name}: ${problem}`);
      }
    }
  }
  return problems;
}
