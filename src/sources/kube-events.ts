// Posts Kubernetes Events (core/v1) about objects, so a user sees what kxds thinks of their input with
// `kubectl describe` or `kubectl get events`: warnings for bad input, mostly. The same event for the same
// object is posted once per window instead of on every translation. Failures are logged, never thrown.
import { silentLogger, type Logger } from '../log';
import { objectRef } from '../model/k8s';
import type { KubeClient } from './kube-client';

export interface EventSubject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; uid?: string; resourceVersion?: string };
}

export interface KubeEventPosterOptions {
  client: KubeClient;
  /** reportingComponent / source.component. Default "kxds". */
  component?: string;
  /** reportingInstance, e.g. the pod name. */
  instance?: string;
  /** The same (object, reason, message) is posted at most once per window. Default 10 min. */
  dedupeWindowMs?: number;
  logger?: Logger;
}

export class KubeEventPoster {
  private readonly recent = new Map<string, number>();
  private readonly log: Logger;
  posted = 0;
  failed = 0;

  constructor(private readonly options: KubeEventPosterOptions) {
    this.log = (options.logger ?? silentLogger).child({ component: 'kube-events' });
  }

  warning(subject: EventSubject, reason: string, message: string): Promise<boolean> {
    return this.post(subject, 'Warning', reason, message);
  }

  normal(subject: EventSubject, reason: string, message: string): Promise<boolean> {
    return this.post(subject, 'Normal', reason, message);
  }

  /** Resolves true when posted, false when skipped as a repeat or when the API refused it. */
  async post(
    subject: EventSubject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
  ): Promise<boolean> {
    const now = Date.now();
    const window = this.options.dedupeWindowMs ?? 10 * 60_000;
    const key = `${subject.kind}|${subject.metadata.namespace ?? ''}|${subject.metadata.name}|${type}|${reason}|${message}`;
    const last = this.recent.get(key);
    if (last !== undefined && now - last < window) return false;
    this.recent.set(key, now);
    if (this.recent.size > 10_000) this.forgetOlderThan(now - window);
    // Events about cluster-scoped objects live in "default", as kubectl and client-go put them.
    const namespace = subject.metadata.namespace ?? 'default';
    const component = this.options.component ?? 'kxds';
    const timestamp = new Date(now).toISOString().replace(/\.\d+Z$/, 'Z');
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { generateName: `${subject.metadata.name}.`, namespace },
      involvedObject: {
        apiVersion: subject.apiVersion,
        kind: subject.kind,
        name: subject.metadata.name,
        namespace: subject.metadata.namespace,
        uid: subject.metadata.uid,
        resourceVersion: subject.metadata.resourceVersion,
      },
      type,
      reason,
      message: message.slice(0, 1024),
      count: 1,
      firstTimestamp: timestamp,
      lastTimestamp: timestamp,
      source: { component },
      reportingComponent: component,
      reportingInstance: this.options.instance ?? '',
    };
    try {
      await this.options.client.request(
        'POST',
        `/api/v1/namespaces/${encodeURIComponent(namespace)}/events`,
        { body: event },
      );
      this.posted++;
      return true;
    } catch (err) {
      this.failed++;
      this.recent.delete(key);
      this.log.warn(
        { object: objectRef(subject), reason, err: (err as Error).message },
        'could not post an Event',
      );
      return false;
    }
  }

  private forgetOlderThan(cutoff: number): void {
    for (const [key, at] of this.recent) if (at < cutoff) this.recent.delete(key);
  }
}
