// When a stream's responses go out. While the transport accepts writes a type is answered at once; once it
// reports full (@grpc/grpc-js buffers ~16 messages), nothing is computed or written until it drains. Types
// that changed meanwhile are only marked, and on drain each is answered once, from the newest snapshot and
// everything the client still lacks: at most one pending response per type, the newest wins, and nothing a
// replaced response would have carried is lost. Types go out in PUSH_ORDER (SDS, CDS, EDS, LDS, RDS).
import type { ResourceKind } from '../../xds/types';
import { PUSH_ORDER } from '../../xds/types';

export class ResponseQueue {
  private blocked = false;
  private readonly pending = new Set<ResourceKind>();

  /** `answer` computes and writes a type's response (or nothing when there is nothing new). */
  constructor(private readonly answer: (kind: ResourceKind) => void) {}

  request(kind: ResourceKind): void {
    if (this.blocked) this.pending.add(kind);
    else this.answer(kind);
  }

  /** The transport refused more: hold every answer until drain(). */
  full(): void {
    this.blocked = true;
  }

  drain(): void {
    this.blocked = false;
    for (const kind of PUSH_ORDER) {
      if (this.blocked) return;
      if (this.pending.delete(kind)) this.answer(kind);
    }
  }

  clear(): void {
    this.pending.clear();
  }
}
