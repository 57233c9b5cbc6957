// A Source driven by the test: push upserts/deletes/synced by hand.
import { ReplaySubject } from 'rxjs';
import type { WatchedObject } from '../../src/model/k8s';
import type { Source, SourceEvent } from '../../src/sources/source';

export class SubjectSource implements Source {
  readonly name = 'test';
  private readonly subject = new ReplaySubject<SourceEvent>();
  readonly events$ = this.subject.asObservable();

  upsert(...objects: WatchedObject[]): void {
    for (const object of objects) this.subject.next({ type: 'upsert', object });
  }
  delete(...objects: WatchedObject[]): void {
    for (const object of objects) this.subject.next({ type: 'delete', object });
  }
  synced(): void {
    this.subject.next({ type: 'synced' });
  }
  async stop(): Promise<void> {
    this.subject.complete();
  }
}
