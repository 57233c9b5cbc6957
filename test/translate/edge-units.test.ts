// Unit tests for the edge translation's small pieces: durations, hosts, path matches and their order,
// TLS Secret checks, IngressClass selection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDurationMs } from '../../src/translate/annotations';
import { normalizeHost, tlsHostCovers } from '../../src/frontends/ingress/hosts';
import { wildcardAuthorityRegex } from '../../src/ir/hostnames';
import { re2FullMatch } from '../../src/xds/re2';
import { compareRoutes, pathMatch } from '../../src/frontends/ingress/paths';
import type { IrRouteMatch } from '../../src/ir/http';
import { tlsSecret } from '../../src/frontends/ingress/tls-secrets';
import { servesIngress } from '../../src/frontends/ingress/ingress-class';
import { ModelStore } from '../../src/model/store';
import type { Ingress, IngressClass, Secret } from '../../src/model/k8s';
import { parseCase } from '../golden/golden-case';

test('durations: Go style units, bare seconds only where allowed, garbage refused', () => {
  assert.equal(parseDurationMs('1m30s', false), 90_000);
  assert.equal(parseDurationMs('250ms', false), 250);
  assert.equal(parseDurationMs('1h', false), 3_600_000);
  assert.equal(parseDurationMs('0', false), 0);
  assert.equal(parseDurationMs('60', true), 60_000);
  assert.equal(parseDurationMs('60', false), undefined);
  assert.equal(parseDurationMs('5 s', false), undefined);
  assert.equal(parseDurationMs('soon', false), undefined);
  assert.equal(parseDurationMs('10s5', false), undefined);
});

test('hosts: DNS names and one leading wildcard label are accepted, lowercased', () => {
  assert.equal(normalizeHost('Foo.Example.COM'), 'foo.example.com');
  assert.equal(normalizeHost('*.example.com'), '*.example.com');
  assert.equal(normalizeHost('a.*.example.com'), undefined);
  assert.equal(normalizeHost('-bad.example.com'), undefined);
  assert.equal(normalizeHost('10.0.0.1'), undefined);
  assert.equal(normalizeHost(''), undefined);
});

test('a wildcard host matches exactly one label (Ingress semantics), with or without a port', () => {
  const re = { test: (host: string) => re2FullMatch(wildcardAuthorityRegex('*.foo.com'), host) };
  assert.ok(re.test('bar.foo.com'));
  assert.ok(re.test('bar.foo.com:8080'));
  assert.ok(re.test('BAR.Foo.COM'), 'host names are case-insensitive');
  assert.ok(!re.test('baz.bar.foo.com'));
  assert.ok(!re.test('foo.com'));
  assert.ok(!re.test('barfoo.com'));
  assert.ok(tlsHostCovers('*.foo.com', 'bar.foo.com'));
  assert.ok(!tlsHostCovers('*.foo.com', 'a.bar.foo.com'));
  assert.ok(!tlsHostCovers('*.foo.com', 'foo.com'));
});

test('Prefix paths are element-wise; trailing slashes are ignored; "/" stays "/"', () => {
  assert.deepEqual(pathMatch({ path: '/foo/', pathType: 'Prefix', backend: {} }, false), {
    ok: true,
    match: { kind: 'prefix', path: '/foo' },
  });
  assert.deepEqual(pathMatch({ path: '/', pathType: 'Prefix', backend: {} }, false), {
    ok: true,
    match: { kind: 'prefix', path: '/' },
  });
  assert.deepEqual(pathMatch({ pathType: 'ImplementationSpecific', backend: {} }, false), {
    ok: true,
    match: { kind: 'prefix', path: '/' },
  });
  // Exact keeps its trailing slash: "/foo/" and "/foo" are different exact paths.
  assert.deepEqual(pathMatch({ path: '/foo/', pathType: 'Exact', backend: {} }, true), {
    ok: true,
    match: { kind: 'exact', path: '/foo/' },
  });
});

test('route order: Exact first, then regex and prefix by written length (prefix first on a tie); header-matched before plain', () => {
  const m = (kind: 'exact' | 'prefix', path: string, header = false): { match: IrRouteMatch } => ({
    match: { path: { kind, path }, headers: header ? [{ name: 'x-canary' }] : [] },
  });
  const regex: { match: IrRouteMatch } = { match: { path: { kind: 'regex', regex: '/r.*' }, headers: [] } };
  const longRegex: { match: IrRouteMatch } = {
    match: { path: { kind: 'regex', regex: '/r/s/t.*' }, headers: [] },
  };
  const routes = [
    m('prefix', '/'),
    m('prefix', '/a/b'),
    regex,
    longRegex,
    m('prefix', '/r'),
    m('exact', '/a'),
    m('prefix', '/a/b', true),
    m('exact', '/a/b/c'),
  ];
  const sorted = [...routes].sort(compareRoutes);
  assert.deepEqual(sorted, [
    m('exact', '/a/b/c'),
    m('exact', '/a'),
    longRegex,
    m('prefix', '/a/b', true),
    m('prefix', '/a/b'),
    m('prefix', '/r'),
    regex,
    m('prefix', '/'),
  ]);
});

const GOLDEN = resolve(__dirname, '../../../test/golden');

function secretsFromGolden(): Secret[] {
  const input = parseCase(readFileSync(resolve(GOLDEN, 'tls-malformed-secret.in.yaml'), 'utf8'));
  const valid = parseCase(readFileSync(resolve(GOLDEN, 'tls-basic.in.yaml'), 'utf8'));
  return [...input.objects, ...valid.objects].filter((o): o is Secret => o.kind === 'Secret');
}

test('TLS Secrets: a valid pair passes; broken ones give reasons that never quote key material', () => {
  const model = new ModelStore();
  for (const s of secretsFromGolden()) model.upsert(s);
  const ok = tlsSecret(model, 'demo', 'foo-tls');
  assert.equal(ok.ok, true);
  const keyPem = ok.ok ? ok.secret.privateKeyPem : '';
  assert.match(keyPem, /PRIVATE KEY/);
  for (const name of ['not-pem', 'mismatch', 'wrong-type', 'absent']) {
    const result = tlsSecret(model, 'demo', name);
    assert.equal(result.ok, false, name);
    if (!result.ok) {
      assert.ok(!result.reason.includes('PRIVATE KEY'), result.reason);
      assert.ok(!result.reason.includes(keyPem.split('\n')[1] ?? '@@'), result.reason);
    }
  }
});

test('TLS Secrets written with stringData are read too', () => {
  const model = new ModelStore();
  const [valid] = secretsFromGolden().filter((s) => s.metadata.name === 'foo-tls');
  assert.ok(valid?.data);
  const decode = (k: string) => Buffer.from(valid.data?.[k] ?? '', 'base64').toString('utf8');
  model.upsert({
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 'plain', namespace: 'demo' },
    type: 'kubernetes.io/tls',
    stringData: { 'tls.crt': decode('tls.crt'), 'tls.key': decode('tls.key') },
  });
  assert.equal(tlsSecret(model, 'demo', 'plain').ok, true);
});

test('IngressClass: the legacy annotation wins, then ingressClassName, then the default class', () => {
  const model = new ModelStore();
  const cls = (name: string, controller: string, isDefault = false): IngressClass => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: {
      name,
      ...(isDefault ? { annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' } } : {}),
    },
    spec: { controller },
  });
  const ing = (className?: string, legacy?: string): Ingress => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: 'x',
      namespace: 'demo',
      ...(legacy ? { annotations: { 'kubernetes.io/ingress.class': legacy } } : {}),
    },
    spec: { ...(className ? { ingressClassName: className } : {}) },
  });
  assert.equal(servesIngress(model, ing('kxds'), 'kxds'), true, 'no class object: the name decides');
  model.upsert(cls('kxds', 'kxds.io/ingress-controller'));
  model.upsert(cls('other-kxds', 'kxds.io/ingress-controller'));
  model.upsert(cls('nginx', 'k8s.io/ingress-nginx'));
  assert.equal(servesIngress(model, ing('kxds'), 'kxds'), true, 'our class, our controller');
  assert.equal(servesIngress(model, ing('other-kxds'), 'kxds'), false, 'another kxds installation');
  assert.equal(servesIngress(model, ing('nginx'), 'kxds'), false, 'another controller');
  assert.equal(servesIngress(model, ing('nginx', 'kxds'), 'kxds'), true, 'legacy annotation wins');
  assert.equal(servesIngress(model, ing('kxds', 'nginx'), 'kxds'), false, 'legacy annotation wins');
  assert.equal(servesIngress(model, ing(undefined), 'kxds'), false, 'no class, no default');
  model.upsert(cls('other-kxds', 'kxds.io/ingress-controller', true));
  assert.equal(servesIngress(model, ing(undefined), 'kxds'), false, 'the default is another installation');
  model.upsert(cls('kxds', 'kxds.io/ingress-controller', true));
  assert.equal(servesIngress(model, ing(undefined), 'kxds'), true, 'our class is the default');
  model.upsert(cls('kxds', 'example.com/not-kxds'));
  assert.equal(servesIngress(model, ing('kxds'), 'kxds'), false, 'a class of our name run by someone else');
});
