// Turns translation findings (typed conditions) about Ingresses and Services into Kubernetes Warning Events
// on those objects, so users see them in `kubectl describe`; the Event reason is the condition's reason
// (BackendNotFound, InvalidAnnotation...). Only while this replica leads (one replica speaks for all), and
// each finding once while it persists: one that goes away and comes back is new again. A replica that
// becomes the leader posts the findings current at that moment once, so none is lost in a failover.
import type { Subscription, Observable } from 'rxjs';
import { silentLogger, type Logger } from '../log';
import type { ModelView } from '../model/store';
import type { BuildReport } from '../pipeline';
import type { KubeEventPoster } from '../sources/kube-events';
import { findingKey, findingsOf, formatObjectRef, type Finding } from '../ir/status';

/** Kinds (by API group) whose findings become Events; findings about other kinds are only logged. */
const EVENT_KINDS: ReadonlyMap<string, 'Ingress' | 'Service'> = new Map([
  ['networking.k8s.io/Ingress', 'Ingress'],
  ['/Service', 'Service'],
]);

export interface WarningEventsOptions {
  builds$: Observable<BuildReport>;
  isLeader$: Observable<boolean>;
  /** Where the warned-about objects are looked up (uid, resourceVersion for the Event). */
  model: ModelView;
  poster: Pick<KubeEventPoster, 'warning'>;
  logger?: Logger;
}

const keyOf = (f: Finding): string => findingKey(f.ref, f.condition);

export class WarningEvents {
  private current: readonly Finding[] = [];
  /** Keys of findings posted (or being posted) while they persist. */
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
        this.current = findingsOf(build.statuses);
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
    for (const finding of this.current) {
      const key = keyOf(finding);
      if (this.posted.has(key)) continue;
      const { ref, condition } = finding;
      const kind = EVENT_KINDS.get(`${ref.group}/${ref.kind}`);
      if (!kind) continue;
      const object = this.options.model.get(kind, ref.namespace, ref.name);
      if (!object) continue; // gone already; the next build drops the finding
      this.posted.add(key);
      void this.options.poster.warning(object, condition.reason, condition.message).then((ok) => {
        if (ok)
          this.log.debug(
            { object: formatObjectRef(ref), reason: condition.reason },
            'posted a warning Event',
          );
      });
    }
  }
}
