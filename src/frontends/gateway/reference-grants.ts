// ReferenceGrant (v1beta1/v1): may an object in one namespace refer to an object in another? A grant lives
// in the target's namespace, lists the kinds it accepts references from (group, kind, namespace) and the
// targets it opens (group, kind, optionally one name). References within a namespace need no grant.
import type { ModelView } from '../../model/store';

export interface ReferenceFrom {
  group: string;
  kind: string;
  namespace: string;
}

export interface ReferenceTo {
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

interface GrantSpec {
  from?: { group?: string; kind?: string; namespace?: string }[];
  to?: { group?: string; kind?: string; name?: string }[];
}

export function isReferenceAllowed(model: ModelView, from: ReferenceFrom, to: ReferenceTo): boolean {
  if (from.namespace === to.namespace) return true;
  return model.list('ReferenceGrant').some((grant) => {
    if ((grant.metadata.namespace ?? 'default') !== to.namespace) return false;
    const spec = grant.spec as GrantSpec;
    const fromOk = (spec.from ?? []).some(
      (f) => (f.group ?? '') === from.group && f.kind === from.kind && f.namespace === from.namespace,
    );
    const toOk = (spec.to ?? []).some(
      (t) =>
        (t.group ?? '') === to.group &&
        t.kind === to.kind &&
        (t.name === undefined || t.name === '' || t.name === to.name),
    );
    return fromOk && toOk;
  });
}
