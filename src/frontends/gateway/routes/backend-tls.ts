// BackendTLSPolicy (v1) -> how the gateway speaks TLS to a Service port: the policy that applies (one
// naming the port by sectionName beats one naming the whole Service; between equals the older, then
// "namespace/name" first, wins), its CA (ConfigMap key ca.crt, same namespace, or the system trust store),
// SNI hostname and the names the backend's certificate must carry (subjectAltNames, or else the hostname).
import { X509Certificate } from 'node:crypto';
import type { ConfigMap, Service, ServicePort } from '../../../model/k8s';
import type { ModelView } from '../../../model/store';
import type { GatewayApiObject } from '../../../model/gateway-api';
import type { IrUpstreamTls } from '../../../ir/clusters';
import type { BackendTLSPolicySpec } from './spec';

export type PolicyObject = GatewayApiObject<'BackendTLSPolicy'>;

export type CaProblem = { reason: 'InvalidCACertificateRef' | 'InvalidKind'; message: string };

export type PolicyTls =
  | { ok: true; sni: string; tls: IrUpstreamTls; problems: CaProblem[] }
  | { ok: false; problems: CaProblem[]; acceptedReason: 'NoValidCACertificate' | 'Invalid'; message: string };

export const specOf = (policy: PolicyObject): BackendTLSPolicySpec =>
  policy.spec as unknown as BackendTLSPolicySpec;

const olderFirst = (a: PolicyObject, b: PolicyObject): number => {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const na = `${a.metadata.namespace ?? ''}/${a.metadata.name}`;
  const nb = `${b.metadata.namespace ?? ''}/${b.metadata.name}`;
  return na < nb ? -1 : na > nb ? 1 : 0;
};

/** Policies naming this Service (core group) in its namespace, with the sectionName each names it with. */
function targeting(
  model: ModelView,
  service: Service,
): { policy: PolicyObject; section: string | undefined }[] {
  const namespace = service.metadata.namespace ?? 'default';
  const out: { policy: PolicyObject; section: string | undefined }[] = [];
  for (const policy of model.list('BackendTLSPolicy')) {
    if ((policy.metadata.namespace ?? 'default') !== namespace) continue;
    for (const ref of specOf(policy).targetRefs ?? []) {
      if ((ref.group ?? '') === '' && ref.kind === 'Service' && ref.name === service.metadata.name)
        out.push({ policy, section: ref.sectionName });
    }
  }
  return out;
}

/** The policy in force for one Service port, and the ones it beat for the same target (Conflicted). */
export function policyFor(
  model: ModelView,
  service: Service,
  port: ServicePort,
): { winner: PolicyObject; losers: PolicyObject[] } | undefined {
  const all = targeting(model, service);
  const named = all.filter((t) => t.section !== undefined && t.section === port.name).map((t) => t.policy);
  const whole = all.filter((t) => t.section === undefined).map((t) => t.policy);
  const candidates = (named.length > 0 ? named : whole).sort(olderFirst);
  const [winner, ...losers] = candidates;
  return winner ? { winner, losers } : undefined;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/**
 * The certificates of a ca.crt value, each parsed: Envoy rejects a whole CDS update over one bad PEM, so a
 * bad bundle must stop here. A value carrying a private key is refused outright (never sent, never logged).
 */
function caBundle(value: string | undefined): string[] | string {
  if (value === undefined) return 'missing';
  if (/PRIVATE KEY/.test(value)) return 'holds a private key, not CA certificates; refused';
  const pems = value.match(PEM_CERTIFICATE) ?? [];
  if (pems.length === 0) return 'no PEM certificate';
  for (const pem of pems) {
    try {
      new X509Certificate(pem);
    } catch {
      return 'a certificate that does not parse';
    }
  }
  return pems;
}

/** The upstream TLS a policy asks for, or why it can't be used (every connection then fails with a 5xx). */
export function policyTls(model: ModelView, policy: PolicyObject): PolicyTls {
  const validation = specOf(policy).validation;
  const problems: CaProblem[] = [];
  const pems: string[] = [];
  const namespace = policy.metadata.namespace ?? 'default';
  for (const ref of validation.caCertificateRefs ?? []) {
    if ((ref.group ?? '') !== '' || ref.kind !== 'ConfigMap') {
      const kind = `${ref.group ? `${ref.group}/` : ''}${ref.kind}`;
      problems.push({
        reason: 'InvalidKind',
        message: `caCertificateRef ${kind} ${ref.name}: only ConfigMaps are supported`,
      });
      continue;
    }
    const configMap: ConfigMap | undefined = model.get('ConfigMap', namespace, ref.name);
    const bundle = caBundle(configMap?.data?.['ca.crt']);
    if (!configMap)
      problems.push({
        reason: 'InvalidCACertificateRef',
        message: `ConfigMap ${namespace}/${ref.name} not found`,
      });
    else if (typeof bundle === 'string')
      problems.push({
        reason: 'InvalidCACertificateRef',
        message: `ConfigMap ${namespace}/${ref.name} key ca.crt: ${bundle}`,
      });
    else pems.push(...bundle);
  }
  const sans = (validation.subjectAltNames ?? []).flatMap((san): IrUpstreamTls['subjectAltNames'] => {
    if (san.type === 'Hostname' && san.hostname) return [{ kind: 'dns', value: san.hostname }];
    if (san.type === 'URI' && san.uri) return [{ kind: 'uri', value: san.uri }];
    return [];
  });
  const subjectAltNames = sans.length > 0 ? sans : [{ kind: 'dns' as const, value: validation.hostname }];
  const wellKnown = validation.wellKnownCACertificates;
  if (wellKnown !== undefined && wellKnown !== '' && wellKnown !== 'System')
    return {
      ok: false,
      problems,
      acceptedReason: 'Invalid',
      message: `wellKnownCACertificates "${wellKnown}" is not supported (only System)`,
    };
  if (wellKnown === 'System')
    return {
      ok: true,
      sni: validation.hostname,
      tls: { trust: { kind: 'system' }, subjectAltNames },
      problems,
    };
  if (pems.length === 0)
    return {
      ok: false,
      problems,
      acceptedReason: 'NoValidCACertificate',
      message: 'no caCertificateRef can be used',
    };
  const pem = `${pems.join('\n')}\n`;
  return {
    ok: true,
    sni: validation.hostname,
    tls: { trust: { kind: 'pem', pem }, subjectAltNames },
    problems,
  };
}
