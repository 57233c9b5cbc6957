// The edge translation entry point: served Ingresses and their Services -> the "edge" group's resources.
import type { ModelView } from '../../model/store';
import type { ResourceSet } from '../../xds/types';
import type { Statuses } from '../findings';
import { buildEdgeIr } from './build-ir';
import { DEFAULT_INGRESS_CLASS } from './ingress-class';
import { groupResources } from '../../envoy/group';
import type { ClusterDefaults } from '../clusters';
import type { TranslationMemos } from '../translation-memos';

export const DEFAULT_EDGE_HTTP_PORT = 8080;
export const DEFAULT_EDGE_HTTPS_PORT = 8443;

export interface EdgeOptions {
  ingressClass?: string;
  edgeHttpPort?: number;
  edgeHttpsPort?: number;
  /** Address the edge listeners bind; default 0.0.0.0. */
  edgeAddress?: string;
  allowExternalName?: boolean;
  defaults?: ClusterDefaults;
}

export interface EdgeTranslation {
  resources: ResourceSet;
  /** "ns/name" of every Ingress kxds serves, sorted (the Ingress status writer updates these). */
  servedIngresses: string[];
}

export function translateEdge(
  model: ModelView,
  options: EdgeOptions,
  warnings: Statuses,
  memos: TranslationMemos,
): EdgeTranslation {
  const ir = buildEdgeIr(
    model,
    {
      ingressClass: options.ingressClass ?? DEFAULT_INGRESS_CLASS,
      allowExternalName: options.allowExternalName ?? false,
      ...(options.defaults ? { defaults: options.defaults } : {}),
      address: options.edgeAddress ?? '0.0.0.0',
      httpPort: options.edgeHttpPort ?? DEFAULT_EDGE_HTTP_PORT,
      httpsPort: options.edgeHttpsPort ?? DEFAULT_EDGE_HTTPS_PORT,
    },
    warnings,
  );
  const resources = groupResources(ir.group, memos.edge);
  return { resources, servedIngresses: ir.servedIngresses };
}
