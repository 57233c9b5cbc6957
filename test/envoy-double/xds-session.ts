// The double's ADS conversation, as Envoy holds it over SotW: CDS wildcard first, LDS wildcard after the
// first CDS answer, then RDS, EDS and SDS for exactly the names the accepted listeners and clusters
// reference. Every response is checked before it is applied (Envoy's proto rules through the repo's
// validator, then the double's support list): all good -> applied and ACKed; any problem -> nothing of it
// applied and NACKed with the problems, version_info staying at the last accepted version. (Envoy applies
// the good clusters and listeners of a partly bad CDS/LDS response; the double keeps all or nothing.)
import type { AdsTestClient, ReceivedResponse } from '../helpers/ads-client';
import { KIND_BY_TYPE_URL, MESSAGE_NAME, type ResourceKind } from '../../src/xds/types';
import { validateMessage } from '../../src/xds/validate';
import type { ConfigStore } from './config-store';
import { checkSupport } from './support';

export interface Nack {
  kind: ResourceKind;
  versionInfo: string;
  message: string;
}

type OnDemandKind = 'route' | 'endpoint' | 'secret';
const ON_DEMAND: readonly OnDemandKind[] = ['secret', 'endpoint', 'route'];

export class XdsSession {
  private readonly accepted = new Map<ResourceKind, string>();
  private readonly lastNonce = new Map<ResourceKind, string>();
  /** Kinds whose newest response was NACKed (cleared when a later one is accepted). */
  private readonly rejected = new Map<ResourceKind, Nack>();
  private readonly subscribed = new Map<OnDemandKind, string[]>();
  private listenersRequested = false;
  readonly nacks: Nack[] = [];

  constructor(
    private readonly client: AdsTestClient,
    private readonly config: ConfigStore,
    private readonly onApplied: () => void,
  ) {}

  start(): void {
    this.client.onResponse((response) => this.handle(response));
    this.client.request('cluster', []);
  }

  /** Whether CDS and LDS have each been accepted at least once. */
  get started(): boolean {
    return this.accepted.has('cluster') && this.accepted.has('listener');
  }

  /** The NACKs still standing: kinds whose newest response was refused. */
  standingNacks(): Nack[] {
    return [...this.rejected.values()];
  }

  private names(kind: ResourceKind): string[] {
    return kind === 'listener' || kind === 'cluster' ? [] : (this.subscribed.get(kind) ?? []);
  }

  private problems(kind: ResourceKind, response: ReceivedResponse): string[] {
    return response.resources.flatMap((resource, i) => {
      const validation = validateMessage(MESSAGE_NAME[kind], resource);
      const invalid = validation.valid
        ? []
        : validation.errors.map((e) => `${kind} ${response.names[i]}: ${e}`);
      if (invalid.length > 0) return invalid;
      try {
        return checkSupport(kind, resource);
      } catch (err) {
        // A shape the support check did not foresee is a refusal too, never a crash of the test process.
        return [`${kind} ${response.names[i]}: envoy-double could not read it (${String(err)})`];
      }
    });
  }

  private handle(response: ReceivedResponse): void {
    const kind = KIND_BY_TYPE_URL.get(response.typeUrl);
    if (!kind) return;
    this.lastNonce.set(kind, response.nonce);
    const problems = this.problems(kind, response);
    if (problems.length > 0) {
      const nack = { kind, versionInfo: response.versionInfo, message: problems.join('; ') };
      this.nacks.push(nack);
      this.rejected.set(kind, nack);
      this.client.request(kind, this.names(kind), response, nack.message, this.accepted.get(kind) ?? '');
    } else {
      this.config.apply(kind, response.resources);
      this.accepted.set(kind, response.versionInfo);
      this.rejected.delete(kind);
      this.client.request(kind, this.names(kind), response);
    }
    if (kind === 'cluster' && !this.listenersRequested) {
      this.listenersRequested = true;
      this.client.request('listener', []);
    }
    this.resubscribe();
    this.onApplied();
  }

  /** Sends a request for every on-demand kind whose wanted names changed. */
  private resubscribe(): void {
    for (const kind of ON_DEMAND) {
      const wanted = this.config.wanted(kind);
      const current = this.subscribed.get(kind);
      // An empty list before anything was subscribed would read as a wildcard: send nothing then.
      if (current ? current.join('\n') === wanted.join('\n') : wanted.length === 0) continue;
      this.subscribed.set(kind, wanted);
      this.config.retain(kind, wanted);
      this.client.request(kind, wanted, {
        versionInfo: this.accepted.get(kind) ?? '',
        nonce: this.lastNonce.get(kind) ?? '',
      });
    }
  }
}
