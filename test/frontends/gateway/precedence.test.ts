// CompareRankedRoutes: the spec's precedence, checked by sorting shuffled routes back into the one order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compareRankedRoutes } from '../../../src/frontends/gateway/routes';
import type { RankedRoute } from '../../../src/frontends/gateway/contract';
import type { IrHeaderMatch, IrPathMatch } from '../../../src/ir/http';

function ranked(
  label: string,
  path: IrPathMatch,
  opts: {
    headers?: IrHeaderMatch[];
    query?: number;
    owner?: Partial<RankedRoute['owner']>;
    rule?: number;
    match?: number;
    grpc?: [number, number];
  } = {},
): RankedRoute {
  return {
    route: {
      source: label,
      match: {
        path,
        headers: opts.headers ?? [],
        ...(opts.query
          ? { queryParams: Array.from({ length: opts.query }, (_, i) => ({ name: `q${i}`, exact: 'x' })) }
          : {}),
      },
      action: { kind: 'direct', status: 200 },
      policies: { websockets: false, grpcWeb: false },
    },
    owner: {
      kind: opts.grpc ? 'GRPCRoute' : 'HTTPRoute',
      namespace: 'apps',
      name: 'r',
      creationTimestamp: '2026-01-01T00:00:00Z',
      ...opts.owner,
    },
    ruleIndex: opts.rule ?? 0,
    matchIndex: opts.match ?? 0,
    ...(opts.grpc ? { grpcMethod: { serviceChars: opts.grpc[0], methodChars: opts.grpc[1] } } : {}),
  };
}

function assertOrder(expected: RankedRoute[]): void {
  // Every rotation and the reverse must sort back to the expected order.
  const labels = expected.map((r) => r.route.source);
  for (let shift = 0; shift < expected.length; shift++) {
    const input = [...expected.slice(shift), ...expected.slice(0, shift)];
    assert.deepEqual(
      [...input].sort(compareRankedRoutes).map((r) => r.route.source),
      labels,
    );
    assert.deepEqual(
      [...input]
        .reverse()
        .sort(compareRankedRoutes)
        .map((r) => r.route.source),
      labels,
    );
  }
}

const prefix = (path: string): IrPathMatch => ({ kind: 'prefix', path });

test('HTTPRoute: Exact, then regex, then the longer prefix, then method, headers, query parameters', () => {
  const h = (n: number): IrHeaderMatch[] =>
    Array.from({ length: n }, (_, i) => ({ name: `h${i}`, exact: 'x' }));
  assertOrder([
    ranked('exact', { kind: 'exact', path: '/a' }),
    ranked('regex-long', { kind: 'regex', regex: '/a/[0-9]+' }),
    ranked('regex', { kind: 'regex', regex: '/a/.*' }),
    ranked('longer-prefix', prefix('/a/b')),
    ranked('method', prefix('/a'), { headers: [{ name: ':method', exact: 'GET' }] }),
    ranked('two-headers', prefix('/a'), { headers: h(2) }),
    ranked('one-header', prefix('/a'), { headers: h(1), query: 0 }),
    ranked('query', prefix('/a'), { query: 3 }),
    ranked('plain', prefix('/a')),
    ranked('root', prefix('/')),
  ]);
});

test('ties: the older route, then namespace/name, then rule order, then match order', () => {
  assertOrder([
    ranked('oldest', prefix('/x'), { owner: { name: 'z', creationTimestamp: '2025-01-01T00:00:00Z' } }),
    ranked('a-rule0-match0', prefix('/x'), { owner: { name: 'a' } }),
    ranked('a-rule0-match1', prefix('/x'), { owner: { name: 'a' }, match: 1 }),
    ranked('a-rule1', prefix('/x'), { owner: { name: 'a' }, rule: 1 }),
    ranked('b', prefix('/x'), { owner: { name: 'b' } }),
    ranked('other-ns', prefix('/x'), { owner: { namespace: 'zz', name: 'a' } }),
  ]);
});

test('GRPCRoute: more service characters, then more method characters, then more headers', () => {
  assertOrder([
    ranked(
      'svc-method-header',
      { kind: 'exact', path: '/s.S/M' },
      { grpc: [3, 1], headers: [{ name: 'h', exact: '1' }] },
    ),
    ranked('svc-method', { kind: 'exact', path: '/s.S/M' }, { grpc: [3, 1] }),
    ranked('svc', prefix('/s.S'), { grpc: [3, 0] }),
    ranked('short-svc', prefix('/s'), { grpc: [1, 0] }),
    ranked('method', { kind: 'regex', regex: '/[^/]+/M' }, { grpc: [0, 1] }),
    ranked('all', prefix('/'), { grpc: [0, 0] }),
  ]);
});
