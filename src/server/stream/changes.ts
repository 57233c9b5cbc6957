// What one stream lacks of one type: the wanted resources whose version differs from the one the client holds
// (or that must go out again), and the held names that are gone. When the stream was up to date with an
// earlier snapshot and its subscription did not change since, only the names that differ between the two
// snapshots are looked at (computed once per snapshot pair and shared by every stream), so a change costs each
// stream O(changed names), not O(subscribed names).
import type { EncodedResource, TypeSnapshot } from '../../xds/snapshot';
import { changedNames } from '../snapshot-diff';
import type { TypeLedger } from './ledger';
import type { TypeSubscription } from './subscription';

export interface TypeChanges {
  updated: EncodedResource[];
  removed: string[];
  /** Resources gone from the snapshot that full-state responses still carry (ledger.lingering). */
  kept?: EncodedResource[];
  /** The response's version when it is not the snapshot's own (set while some resources linger). */
  version?: string;
}

export function changesFor(sub: TypeSubscription, ledger: TypeLedger, snapshot: TypeSnapshot): TypeChanges {
  const resources = snapshot.resources;
  const { held, force } = ledger;
  const updated: EncodedResource[] = [];
  const removed: string[] = [];
  // `held` only ever holds wanted names (TypeLedger.forget runs on every subscription change).
  const consider = (name: string): void => {
    const resource = resources.get(name);
    if (!resource) {
      if (held.has(name)) removed.push(name);
    } else if (sub.wants(name) && (force.has(name) || held.get(name) !== resource.version)) {
      updated.push(resource);
    }
  };
  // Forced names are looked at last, once, so a name both changed and forced is sent once.
  if (ledger.evaluated) {
    for (const name of changedNames(ledger.evaluated, snapshot)) if (!force.has(name)) consider(name);
  } else {
    for (const name of sub.wildcard ? resources.keys() : sub.names)
      if (!force.has(name) && resources.has(name)) consider(name);
    for (const name of held.keys()) if (!force.has(name) && !resources.has(name)) removed.push(name);
  }
  for (const name of force) consider(name);
  return { updated, removed };
}
