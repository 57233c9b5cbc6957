// How translation reports a problem with user input: one typed condition on the object that caused it.
// The reasons are a closed vocabulary, each tied to one condition type, so every producer states what kind
// of problem it found and every consumer (logs, Events, status) can rely on the same names.
import { API_VERSIONS, type KubeObject, type WatchedKind } from '../model/k8s';
import type { ConditionStatus, ObjectRef, ObjectStatus } from '../ir/status';

/**
 * Condition types, following Gateway API where it has a word for it:
 * - ResolvedRefs (False): a reference (backend Service, port, Secret) could not be used.
 * - Conflicted (True): an older object already claims what this one asks for; the older one wins.
 * - PartiallyInvalid (True): a value could not be used; that setting is ignored or defaulted, the rest served.
 * - Accepted (False): the object as a whole is left out.
 */
const REASON_TYPES = {
  BackendNotFound: 'ResolvedRefs',
  UnsupportedBackend: 'ResolvedRefs',
  InvalidCertificateRef: 'ResolvedRefs',
  RefNotPermitted: 'ResolvedRefs',
  /** Gateway API: a reference to a group/kind kxds does not serve (a backendRef, an ExtensionRef filter). */
  InvalidKind: 'ResolvedRefs',
  /** Gateway API: a backend port whose appProtocol the route cannot speak. */
  UnsupportedProtocol: 'ResolvedRefs',
  /** Gateway API BackendTLSPolicy: a CA certificate reference that can't be used. */
  InvalidCACertificateRef: 'ResolvedRefs',
  RouteConflict: 'Conflicted',
  /** A port two entries (or an entry and an edge listener) ask for: the later is ignored. */
  PortConflict: 'Conflicted',
  HostConflict: 'Conflicted',
  ProtocolConflict: 'Conflicted',
  InvalidAnnotation: 'PartiallyInvalid',
  /** An annotation key under kxds.io/ or nginx.ingress.kubernetes.io/ that kxds does not know. */
  UnknownAnnotation: 'PartiallyInvalid',
  /** A known annotation kxds does not implement (or refuses, like snippets): ignored. */
  UnsupportedAnnotation: 'PartiallyInvalid',
  /** Access control kxds does not implement: the object's routes answer 403 (fail closed). */
  UnsupportedAccessControl: 'PartiallyInvalid',
  InvalidHost: 'PartiallyInvalid',
  InvalidPath: 'PartiallyInvalid',
  UnsupportedValue: 'PartiallyInvalid',
  IncompatibleSettings: 'PartiallyInvalid',
  /** Gateway API: filters a rule may not combine (RequestRedirect with URLRewrite); the rule is dropped. */
  IncompatibleFilters: 'PartiallyInvalid',
  NoMatchingRoute: 'PartiallyInvalid',
  /** A connected client's dialect cannot take a policy the object asks for (see dialects/). */
  UnsupportedByClient: 'PartiallyInvalid',
  UnsupportedAddressType: 'Accepted',
  /** Translating the object threw (see isolate.ts): it is left out, everything else is served. */
  TranslationFailed: 'Accepted',
  IncompleteCanary: 'Accepted',
} as const;

export type FindingReason = keyof typeof REASON_TYPES;

/** The status each type carries when it reports a problem (Accepted/ResolvedRefs are "positive" types). */
const PROBLEM_STATUS: Readonly<Record<(typeof REASON_TYPES)[FindingReason], ConditionStatus>> = {
  ResolvedRefs: 'False',
  Accepted: 'False',
  Conflicted: 'True',
  PartiallyInvalid: 'True',
};

/** What a translation stage collects its findings into (one status per finding; merged at the end). */
export type Statuses = ObjectStatus[];

export function refOf(object: KubeObject): ObjectRef {
  const apiVersion = object.apiVersion || API_VERSIONS[object.kind as WatchedKind] || 'v1';
  const slash = apiVersion.indexOf('/');
  return {
    group: slash < 0 ? '' : apiVersion.slice(0, slash),
    kind: object.kind,
    ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
    name: object.metadata.name,
  };
}

/** Records one problem with `object`; the message says what was wrong and what kxds did instead. */
export function report(into: Statuses, object: KubeObject, reason: FindingReason, message: string): void {
  const type = REASON_TYPES[reason];
  const generation = object.metadata.generation;
  into.push({
    ref: refOf(object),
    ...(typeof generation === 'number' ? { observedGeneration: generation } : {}),
    conditions: [{ type, status: PROBLEM_STATUS[type], reason, message }],
  });
}
