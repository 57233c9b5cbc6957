// The Gateway API part of a translation: the front-end (src/frontends/gateway/) turns the model into one
// GroupIr per Gateway kxds serves plus the Gateway API statuses, and each Gateway's IR becomes the resources of
// its own node group (gateway/NS/NAME) through the shared Envoy back-end. A Gateway group some node watches but
// the front-end does not serve (no such Gateway, not kxds's class) is answered empty, so its Envoys get
// "nothing" rather than waiting forever, and the cache releases it when they leave.
import type { ModelView } from '../model/store';
import type { ResourceSet } from '../xds/types';
import { emptyResourceSet } from '../xds/types';
import { gatewayGroup, nodeGroupKey, type NodeGroup } from '../xds/node-group';
import { groupResources, type GroupMemos } from '../envoy/group';
import type { GatewayApiStatus, GatewayOptions, TranslateGateways } from '../frontends/gateway/contract';
import type { Statuses } from './findings';
import { isolated } from './isolate';

/** Gateway listener ports below 1024 are bound at port + this by default, so Envoy needs no privilege. */
export const PRIVILEGED_PORT_OFFSET = 10000;

export interface GatewayGroups {
  /** Resources per gateway group key: every served Gateway and every watched one that isn't. */
  groups: Map<string, ResourceSet>;
  /** The served Gateways' groups: built whether or not an Envoy watches them yet. */
  standing: NodeGroup[];
  statuses: GatewayApiStatus[];
}

export function translateGatewayGroups(
  frontend: TranslateGateways,
  model: ModelView,
  options: GatewayOptions,
  memos: GroupMemos,
  wanted: readonly NodeGroup[],
  warnings: Statuses,
): GatewayGroups {
  const translation = frontend(model, options, warnings);
  const groups = new Map<string, ResourceSet>();
  const standing: NodeGroup[] = [];
  for (const served of translation.gateways) {
    const group = gatewayGroup(served.namespace, served.name);
    const key = nodeGroupKey(group);
    // Every Gateway shares one set of memos: the key prefix keeps equal resource names of two Gateways apart.
    const build = () => groupResources(served.ir, memos, `${key}|`);
    // One Gateway whose IR the back-end cannot build costs that Gateway only (its Envoys get nothing).
    const object = model.get('Gateway', served.namespace, served.name);
    const resources = object ? isolated(warnings, object, build) : build();
    groups.set(key, resources ?? emptyResourceSet());
    standing.push(group);
  }
  for (const group of wanted) {
    const key = nodeGroupKey(group);
    if (group.kind === 'gateway' && !groups.has(key)) groups.set(key, emptyResourceSet());
  }
  return { groups, standing, statuses: translation.statuses };
}
