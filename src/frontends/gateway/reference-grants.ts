// ReferenceGrant lookup: may an object in one namespace reference an object in another? Shared by every
// cross-namespace reference the Gateway API front-end follows (listener certificateRefs, route backendRefs,
// BackendTLSPolicy CA refs...), so the trust rule is written once and fails closed everywhere.
import type { ReferenceGrantSpec } from './api-types';
import type { ModelView } from '../../model/store';

/** The referencing side: the kind of object holding the reference, and its namespace. */
export interface ReferenceFrom {
  /** API group; '' (or undefined) is the core group. */
  group?: string;
  kind: string;
  namespace: string;
}

/** The referenced object. */
export interface ReferenceTo {
  /** API group; '' (or undefined) is the core group. */
  group?: string;
  kind: string;
  namespace: string;
  name: string;
}

/**
 * True when the reference needs no grant (same namespace) or a ReferenceGrant in the target's namespace
 * trusts it: one `from` entry matching the referrer's group, kind and namespace, and one `to` entry matching
 * the target's group and kind, with no name or the target's name. Anything else is refused.
 */
export function isReferenceAllowed(model: ModelView, from: ReferenceFrom, to: ReferenceTo): boolean {
  if (from.namespace === to.namespace) return true;
  return model.list('ReferenceGrant').some((grant) => {
    if (grant.metadata.namespace !== to.namespace) return false;
    const spec = grant.spec as Partial<ReferenceGrantSpec>;
    const fromOk = (spec.from ?? []).some(
      (f) => (f.group ?? '') === (from.group ?? '') && f.kind === from.kind && f.namespace === from.namespace,
    );
    const toOk = (spec.to ?? []).some(
      (t) =>
        (t.group ?? '') === (to.group ?? '') &&
        t.kind === to.kind &&
        (t.name === undefined || t.name === '' || t.name === to.name),
    );
    return fromOk && toOk;
  });
}
