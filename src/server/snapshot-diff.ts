// Which resource names differ between two snapshots of one type, computed once per pair and shared by
// every stream: a delta stream that was up to date with the older snapshot only looks at these names, so
// a change costs each stream O(changed) instead of O(subscribed). Resources are compared by identity:
// buildSnapshot keeps the same EncodedResource object while a resource's version is unchanged.
import type { TypeSnapshot } from '../xds/snapshot';

const cache = new WeakMap<TypeSnapshot, { from: TypeSnapshot; names: readonly string[] }>();

export function changedNames(from: TypeSnapshot, to: TypeSnapshot): readonly string[] {
  if (from === to) return [];
  const hit = cache.get(to);
  if (hit?.from === from) return hit.names;
  const names: string[] = [];
  for (const [name, resource] of to.resources) if (from.resources.get(name) !== resource) names.push(name);
  for (const name of from.resources.keys()) if (!to.resources.has(name)) names.push(name);
  cache.set(to, { from, names });
  return names;
}
