// The conditions one route reports on one parent, gathered while its rules are translated: at most one
// condition per type (the first problem's reason, every problem's words), as Gateway API status wants.
// Each problem also goes to the warnings (logs, /debug/warnings, Events) as a typed finding.
import type { GatewayApiObject } from '../../../model/gateway-api';
import { report, type FindingReason, type Statuses } from '../../../translate/findings';
import type { RouteCondition } from '../contract';

/** Route condition reasons of Gateway API v1.6 that rule translation can raise. */
export type RouteReason =
  | 'BackendNotFound'
  | 'InvalidKind'
  | 'RefNotPermitted'
  | 'UnsupportedProtocol'
  | 'UnsupportedValue'
  | 'IncompatibleFilters';

/** The finding each route reason is logged as (the closed vocabulary of src/translate/findings.ts). */
const FINDING: Readonly<Record<RouteReason, FindingReason>> = {
  BackendNotFound: 'BackendNotFound',
  InvalidKind: 'InvalidKind',
  RefNotPermitted: 'RefNotPermitted',
  UnsupportedProtocol: 'UnsupportedProtocol',
  UnsupportedValue: 'UnsupportedValue',
  IncompatibleFilters: 'IncompatibleFilters',
};

interface Gathered {
  reason: RouteReason;
  messages: string[];
}

export class RouteProblems {
  private readonly resolvedRefs: Gathered[] = [];
  private readonly droppedRules: { index: number; reason: RouteReason; message: string }[] = [];

  constructor(
    private readonly route: GatewayApiObject,
    private readonly warnings: Statuses,
  ) {}

  /** A backend (or filter reference) that can't be used: ResolvedRefs False; its share answers 500. */
  unresolved(reason: RouteReason, message: string): void {
    const same = this.resolvedRefs.find((g) => g.reason === reason);
    if (same) {
      if (!same.messages.includes(message)) same.messages.push(message);
    } else this.resolvedRefs.push({ reason, messages: [message] });
    report(this.warnings, this.route, FINDING[reason], message);
  }

  /** A rule that can't be served as written: it is dropped (spec: PartiallyInvalid, "Dropped Rule"). */
  dropRule(index: number, reason: RouteReason, message: string): void {
    this.droppedRules.push({ index, reason, message });
    report(this.warnings, this.route, FINDING[reason], `rule ${index} dropped: ${message}`);
  }

  isDropped(index: number): boolean {
    return this.droppedRules.some((d) => d.index === index);
  }

  /** The conditions for this parent; `ruleCount` decides between PartiallyInvalid and Accepted False. */
  conditions(ruleCount: number): RouteCondition[] {
    const out: RouteCondition[] = [];
    const dropped = [...new Set(this.droppedRules.map((d) => d.index))];
    const [first] = this.droppedRules;
    if (first) {
      const words = this.droppedRules.map((d) => `rule ${d.index}: ${d.message}`).join('; ');
      if (dropped.length >= ruleCount) {
        out.push({
          type: 'Accepted',
          status: 'False',
          reason: first.reason,
          message: `every rule is invalid: ${words}`,
        });
      } else {
        const message = `Dropped Rule(s) ${dropped.join(', ')}: ${words}`;
        out.push({ type: 'PartiallyInvalid', status: 'True', reason: first.reason, message });
      }
    }
    const [unresolved] = this.resolvedRefs;
    if (unresolved) {
      const message = this.resolvedRefs.flatMap((g) => g.messages).join('; ');
      out.push({ type: 'ResolvedRefs', status: 'False', reason: unresolved.reason, message });
    }
    return out;
  }
}
