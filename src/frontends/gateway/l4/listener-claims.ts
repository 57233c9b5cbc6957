// Which L4 route serves what on a listener. A TCP or UDP listener forwards every connection one way, so it
// takes one route (the spec's rule): the oldest (creationTimestamp, then "namespace/name") wins and the
// others are not accepted there (NotAllowedByListeners, naming the winner). On a TLS port each SNI name goes
// one way: a name goes to the most specific listener's routes (listener isolation), among them to the
// oldest route; a route keeps the names nobody older took, and a route left with none is not accepted
// there. Envoy refuses a listener whose chains share a name, so this is also what keeps it valid.
import { report, type Statuses } from '../../../translate/findings';
import { compareByAge } from '../listener-sets';
import { hostnameSpecificity } from '../hostnames';
import type { Attachment, L4RouteObject, ParentAttachment } from '../attachment';

export interface L4Candidate {
  route: L4RouteObject;
  parents: ParentAttachment[];
}

interface Entry {
  route: L4RouteObject;
  parent: ParentAttachment;
  attachment: Attachment;
}

/** What a claim is about: the listener (TCP, UDP) or one SNI name on one Gateway port (TLS). */
function claimKeys(entry: Entry): { key: string; host?: string }[] {
  const state = entry.attachment.state;
  const gateway = entry.parent.gateway.gateway.metadata;
  if (state.listener.spec.protocol !== 'TLS')
    return [{ key: `${gateway.namespace ?? ''}/${gateway.name}/${state.listener.key}` }];
  return entry.attachment.hostnames.map((host) => ({
    key: `${gateway.namespace ?? ''}/${gateway.name}/tls/${state.listener.spec.port}/${host}`,
    host,
  }));
}

/** Who took a name and why they win: "TLSRoute ns/a (older)" or "... (on the more specific listener x)". */
function winner(owner: Entry, loser: Entry): string {
  const label = `${owner.route.kind} ${owner.route.metadata.namespace ?? ''}/${owner.route.metadata.name}`;
  const listener = owner.attachment.state.listener;
  return listener === loser.attachment.state.listener
    ? `${label}, which is older`
    : `${label} on the more specific listener ${listener.spec.name}`;
}

export function claimL4Listeners(candidates: readonly L4Candidate[], warnings: Statuses): L4Candidate[] {
  const entries: Entry[] = candidates.flatMap((c) =>
    c.parents.flatMap((parent) =>
      parent.attachments.map((attachment) => ({ route: c.route, parent, attachment })),
    ),
  );
  entries.sort(
    (a, b) =>
      hostnameSpecificity(b.attachment.state.listener.spec.hostname) -
        hostnameSpecificity(a.attachment.state.listener.spec.hostname) || compareByAge(a.route, b.route),
  );
  const owners = new Map<string, Entry>();
  const kept = new Map<Attachment, Attachment>();
  const lost = new Map<ParentAttachment, string>();
  for (const entry of entries) {
    const hosts: string[] = [];
    const taken: string[] = [];
    const same: string[] = [];
    for (const { key, host } of claimKeys(entry)) {
      const owner = owners.get(key);
      // The same route on a more specific listener of the port already serves the name: nothing is lost.
      if (owner && owner.route === entry.route && owner.attachment !== entry.attachment) {
        same.push(owner.attachment.state.listener.spec.name);
        continue;
      }
      if (owner && owner.route !== entry.route) {
        taken.push(
          `${host ? `SNI ${host}` : `listener ${entry.attachment.state.listener.spec.name}`} is served by ${winner(owner, entry)}`,
        );
        continue;
      }
      owners.set(key, entry);
      if (host !== undefined) hosts.push(host);
    }
    const isTls = entry.attachment.state.listener.spec.protocol === 'TLS';
    if ((taken.length === 0 && same.length === 0) || (isTls && hosts.length > 0)) {
      kept.set(entry.attachment, isTls ? { ...entry.attachment, hostnames: hosts } : entry.attachment);
      // Served with fewer names than asked for: the status can't say it (the route is Accepted), the log does.
      if (taken.length > 0)
        report(
          warnings,
          entry.route,
          'RouteConflict',
          `${taken.join('; ')}; the other names are served here`,
        );
    } else if (!lost.has(entry.parent))
      lost.set(
        entry.parent,
        taken.length > 0
          ? taken.join('; ')
          : `every name is served by this route on the more specific listener ${[...new Set(same)].join(', ')}`,
      );
  }
  return candidates.map((c) => ({
    route: c.route,
    parents: c.parents.map((parent) => {
      if (parent.failure || parent.attachments.length === 0) return parent;
      const attachments = parent.attachments.flatMap((a) => {
        const k = kept.get(a);
        return k ? [k] : [];
      });
      if (attachments.length > 0) return { ...parent, attachments };
      const first = parent.attachments[0] as Attachment;
      return {
        ...parent,
        attachments: [],
        failure: { reason: 'NotAllowedByListeners', message: lost.get(parent) ?? 'listener taken' },
        probe: first.state,
      };
    }),
  }));
}
