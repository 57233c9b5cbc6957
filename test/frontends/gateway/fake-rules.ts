// A stand-in for the route-rule translation (tests only): one catch-all route per route object, named by its
// source, so tests can see which listener's virtual hosts a route landed in. A route named "rejected-*" is
// refused by its rules (Accepted False), "broken-*" has an unresolved backend (ResolvedRefs False),
// "partial-*" had a rule dropped (PartiallyInvalid).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { modelFrom } from '../../../src/model/store';
import type { Statuses } from '../../../src/translate/findings';
import { parseCase } from '../../golden/golden-case';
import type {
  GatewayOptions,
  RankedRoute,
  RouteCondition,
  TranslateRouteRules,
} from '../../../src/frontends/gateway/contract';
import type { RouteRules } from '../../../src/frontends/gateway/route-parents';
import { gatewayTranslator } from '../../../src/frontends/gateway/translate-gateways';

const fakeTranslate: TranslateRouteRules = (route) => {
  const name = route.metadata.name;
  const conditions: RouteCondition[] = [];
  if (name.startsWith('rejected-'))
    conditions.push({
      type: 'Accepted',
      status: 'False',
      reason: 'UnsupportedValue',
      message: 'no valid rule',
    });
  if (name.startsWith('partial-'))
    conditions.push({
      type: 'PartiallyInvalid',
      status: 'True',
      reason: 'UnsupportedValue',
      message: 'Dropped Rule 1',
    });
  if (name.startsWith('broken-'))
    conditions.push({
      type: 'ResolvedRefs',
      status: 'False',
      reason: 'BackendNotFound',
      message: 'Service gone',
    });
  const ranked: RankedRoute = {
    route: {
      source: `${route.kind} ${route.metadata.namespace ?? ''}/${name}`,
      match: { path: { kind: 'prefix', path: '/' }, headers: [] },
      action: { kind: 'direct', status: 200, body: name },
      policies: { websockets: false, grpcWeb: false },
    },
    owner: {
      kind: route.kind,
      namespace: route.metadata.namespace ?? '',
      name,
      creationTimestamp: route.metadata.creationTimestamp ?? '',
    },
    ruleIndex: 0,
    matchIndex: 0,
  };
  return {
    routes: conditions.some((c) => c.type === 'Accepted') ? [] : [ranked],
    clusters: [],
    endpoints: [],
    conditions,
  };
};

export const FAKE_RULES: RouteRules = {
  translate: fakeTranslate,
  compare: (a, b) => (a.owner.name < b.owner.name ? -1 : a.owner.name > b.owner.name ? 1 : 0),
};

export const translateWithFakeRules = gatewayTranslator(FAKE_RULES);

export const OPTIONS: GatewayOptions = {
  address: '127.0.0.1',
  privilegedPortOffset: 10000,
  allowExternalName: false,
  connectTimeoutMs: 1000,
};

const CASES = resolve(__dirname, '../../../../test/golden/gateway');

/** A golden case's objects translated with the fake rules. */
export function runGoldenInput(name: string) {
  const input = parseCase(readFileSync(resolve(CASES, `${name}.in.yaml`), 'utf8'));
  const warnings: Statuses = [];
  return { ...translateWithFakeRules(modelFrom(input.objects), OPTIONS, warnings), warnings };
}
