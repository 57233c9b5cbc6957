// Validates a Kubernetes object against the OpenAPI schema of its kind, with the kubernetes-models package.
import * as admissionregistration from 'kubernetes-models/admissionregistration.k8s.io/v1';
import * as apps from 'kubernetes-models/apps/v1';
import * as batch from 'kubernetes-models/batch/v1';
import * as coordination from 'kubernetes-models/coordination.k8s.io/v1';
import * as core from 'kubernetes-models/v1';
import * as networking from 'kubernetes-models/networking.k8s.io/v1';
import * as policy from 'kubernetes-models/policy/v1';
import * as rbac from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import type { K8sObject } from './render';

type Model = new (data: never) => { validate(): void };

const MODELS: Readonly<Record<string, Model>> = {
  'v1/Namespace': core.Namespace,
  'v1/ServiceAccount': core.ServiceAccount,
  'v1/Service': core.Service,
  'v1/Secret': core.Secret,
  'v1/ConfigMap': core.ConfigMap,
  'apps/v1/Deployment': apps.Deployment,
  'batch/v1/Job': batch.Job,
  'policy/v1/PodDisruptionBudget': policy.PodDisruptionBudget,
  'rbac.authorization.k8s.io/v1/ClusterRole': rbac.ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': rbac.ClusterRoleBinding,
  'rbac.authorization.k8s.io/v1/Role': rbac.Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': rbac.RoleBinding,
  'networking.k8s.io/v1/Ingress': networking.Ingress,
  'networking.k8s.io/v1/IngressClass': networking.IngressClass,
  'networking.k8s.io/v1/NetworkPolicy': networking.NetworkPolicy,
  'coordination.k8s.io/v1/Lease': coordination.Lease,
  'admissionregistration.k8s.io/v1/MutatingWebhookConfiguration':
    admissionregistration.MutatingWebhookConfiguration,
};

/**
 * kustomize wraps the base64 it generates (Secret data, the caBundle copied from it) at 70 columns. The API
 * server decodes with Go's encoding/base64, which skips newlines, so that is valid there; the schema's
 * "byte" format is stricter, so the line breaks are removed before validating. Nothing else is changed.
 */
function unwrapBase64(object: K8sObject): K8sObject {
  const unwrap = (value: unknown): unknown =>
    typeof value === 'string' ? value.replace(/[\r\n]/g, '') : value;
  const copy = structuredClone(object) as K8sObject & {
    data?: Record<string, unknown>;
    webhooks?: { clientConfig?: { caBundle?: unknown } }[];
  };
  if (copy.kind === 'Secret' && copy.data)
    for (const key of Object.keys(copy.data)) copy.data[key] = unwrap(copy.data[key]);
  for (const webhook of copy.webhooks ?? [])
    if (webhook.clientConfig?.caBundle !== undefined)
      webhook.clientConfig.caBundle = unwrap(webhook.clientConfig.caBundle);
  return copy;
}

/** Problems with the object, each naming it; empty when it matches its kind's schema. */
export function schemaProblems(rendered: K8sObject): string[] {
  const object = unwrapBase64(rendered);
  const id = `${object.kind} ${object.metadata?.namespace ?? ''}/${object.metadata?.name}`;
  const Model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!Model) return [`${id}: no schema known for ${object.apiVersion} ${object.kind}`];
  try {
    new Model(object as never).validate();
    return [];
  } catch (err) {
    return [`${id}: ${err instanceof Error ? err.message : String(err)}`];
  }
}
