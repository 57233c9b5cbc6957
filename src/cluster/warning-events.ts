// Turns translation warnings about Ingresses and Services into Kubernetes Events on those objects, so users
// see them in `kubectl describe`. Only while this replica leads (one replica speaks for all), and each
// warning once while it persists: a warning that goes away and comes back is new again. A replica that
// becomes the leader posts the warnings current at that moment once, so none is lost in a failover.
import type { Subscription, Observable } from 'rxjs';
import { silentLogger, type Logger } from '../log';
import type { ModelView } from '../model/store';
import type { BuildReport } from '../pipeline';
import type { KubeEventPoster } from '../sources/kube-events';
import type { TranslationWarning } from '../translate/ir';

/** Kinds whose warnings become Events; warnings about other kinds are only logged. */
const EVENT_KINDS = new Set(['Ingress', 'Service']);

/** The Event reason kxds uses for bad input it could not (fully) translate. */
export const WARNING_EVENT_REASON = 'InvalidConfiguration';

export interface WarningEventsOptions {
  builds$: Observable<BuildReport>;
  isLeader$: Observable<boolean>;
  /** Where the warned-about objects are looked up (uid, resourceVersion for the Event). */
  model: ModelView;
  poster: Pick<KubeEventPoster, 'warning'>;
  logger?: Logger;
}

/** Parses "Kind ns/name" (TranslationWarning.object) into its parts. */
export function parseObjectRef(ref: string): { kind: string; namespace?: string; name: string } | undefined {
  const match = /^(\w+) (?:([^/\s]+)\/)?([^/\s]+)$/.exec(ref);
  if (!match?.[1] || !match[3]) return undefined;
  return { kind: match[1], ...(match[2] ? { namespace: match[2] } : {}), name: match[3] };
}

const keyOf = (w: TranslationWarning): string => `${w.object}\u0000${w.reason}`;

export class WarningEvents {
  private current: readonly TranslationWarning[] = [];
  /** Keys of warnings posted (or being posted) while they persist. */
  private readonly posted = new Set<string>();
  private leader = false;
  private readonly subscriptions: Subscription[] = [];
  private readonly log: Logger;

  constructor(private readonly options: WarningEventsOptions) {
    this.log = (options.logger ?? silentLogger).child({ component: 'warning-events' });
  }

  start(): void {
    this.subscriptions.push(
      this.options.builds$.subscribe((build) => {
        this.current = build.warnings;
        const now = new Set(this.current.map(keyOf));
        for (const key of [...this.posted]) if (!now.has(key)) this.posted.delete(key);
        this.postNew();
      }),
      this.options.isLeader$.subscribe((leader) => {
        this.leader = leader;
        this.postNew();
      }),
    );
  }

  stop(): void {
    for (const s of this.subscriptions) s.unsubscribe();
  }

  private postNew(): void {
    if (!this.leader) return;
    for (const warning of this.current) {
      const key = keyOf(warning);
      if (this.posted.has(key)) continue;
      const ref = parseObjectRef(warning.object);
      if (!ref || !EVENT_KINDS.has(ref.kind)) continue;
      const object = this.options.model.get(ref.kind as 'Ingress' | 'Service', ref.namespace, ref.name);
      if (!object) continue; // gone already; the next build drops the warning
      this.posted.add(key);
      void this.options.poster.warning(object, WARNING_EVENT_REASON, warning.reason).then((ok) => {
        if (ok) this.log.debug({ object: warning.object, reason: warning.reason }, 'posted a warning Event');
      });
    }
  }
}
