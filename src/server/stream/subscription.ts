// What one stream asked for of one resource type: explicit names and the wildcard. SotW requests repeat the
// whole list every time (replace); delta requests add and remove names (update). Both end up here so the
// wildcard rules are written once:
// - "*" is the wildcard for any type;
// - legacy wildcard: an empty first LDS/CDS request means "everything". In SotW it lasts while requests stay
//   empty; once the client names anything, an empty list means nothing. In delta it becomes an explicit "*"
//   (only unsubscribing "*" ends it), as the protocol's examples show.
import type { ResourceKind } from '../../xds/types';
import { FULL_STATE_KINDS } from '../../xds/types';

export const WILDCARD = '*';

/**
 * What a request did to a subscription: nothing; only added the names listed (only those need a look, so a
 * delta request naming one more resource costs O(1), not O(subscribed)); or anything else ("all": look at
 * every wanted name, and forget the ones no longer wanted).
 */
export type SubscriptionChange = 'none' | 'all' | { added: readonly string[] };

export interface SubscriptionUpdate {
  change: SubscriptionChange;
  /** Names subscribed again while already wanted: delta clients expect them re-sent. */
  again: string[];
}

export class TypeSubscription {
  private explicit = new Set<string>();
  private star = false;
  /** SotW legacy wildcard: every request of this type so far was empty. */
  private legacy = false;

  constructor(readonly kind: ResourceKind) {}

  get wildcard(): boolean {
    return this.star || this.legacy;
  }

  /** The names asked for explicitly (a wildcard subscriber may name some too). */
  get names(): ReadonlySet<string> {
    return this.explicit;
  }

  wants(name: string): boolean {
    return this.star || this.legacy || this.explicit.has(name);
  }

  /** SotW: the request lists every name the client wants now. Returns whether anything changed. */
  replace(names: readonly string[], first: boolean): boolean {
    const wasWildcard = this.wildcard;
    if (names.length === 0 && (first || this.legacy)) {
      this.legacy = FULL_STATE_KINDS.has(this.kind);
      this.star = false;
      if (this.explicit.size > 0) this.explicit = new Set();
      return first || wasWildcard !== this.wildcard;
    }
    this.legacy = false;
    const star = names.includes(WILDCARD);
    const same = star === this.star && this.sameNames(names);
    this.star = star;
    if (!same) this.explicit = new Set(names.filter((n) => n !== WILDCARD));
    return !same || wasWildcard !== this.wildcard;
  }

  /** Delta: names added and removed by one request. */
  update(subscribe: readonly string[], unsubscribe: readonly string[], first: boolean): SubscriptionUpdate {
    const again: string[] = [];
    const added: string[] = [];
    let all = false;
    if (first && subscribe.length === 0 && FULL_STATE_KINDS.has(this.kind)) {
      this.star = true;
      all = true;
    }
    for (const name of subscribe) {
      if (name === WILDCARD) {
        all ||= !this.star;
        this.star = true;
        continue;
      }
      if (this.wants(name)) again.push(name);
      this.explicit.add(name);
      added.push(name);
    }
    for (const name of unsubscribe) {
      if (name === WILDCARD) {
        all ||= this.star;
        this.star = false;
      } else if (this.explicit.delete(name)) all = true;
    }
    const change: SubscriptionChange = all ? 'all' : added.length > 0 ? { added } : 'none';
    return { change, again };
  }

  /**
   * Whether a SotW list names exactly the current explicit names ("*" aside). Clients repeat their list in the
   * same order, so it is compared in step with the set first, without allocating; a list in another order (or
   * with duplicates) is compared as a set, which then takes its order.
   */
  private sameNames(names: readonly string[]): boolean {
    const current = this.explicit.values();
    let inStep = true;
    for (const name of names) {
      if (name === WILDCARD) continue;
      if (current.next().value !== name) {
        inStep = false;
        break;
      }
    }
    if (inStep && current.next().done) return true;
    const wanted = new Set(names.filter((n) => n !== WILDCARD));
    if (wanted.size !== this.explicit.size) return false;
    for (const name of wanted) if (!this.explicit.has(name)) return false;
    this.explicit = wanted;
    return true;
  }
}
