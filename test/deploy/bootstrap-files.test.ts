// envoy/edge.yaml and envoy/sidecar.yaml are exactly what `kxds bootstrap` prints with the flags the
// Makefile documents (make bootstrap-edge / bootstrap-sidecar), the edge ConfigMap's copy is the same file,
// and each decodes as envoy.config.bootstrap.v3.Bootstrap and passes Envoy's proto validation rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { lookupType } from '../../src/xds/protos';
import { toProtoJson } from '../../src/xds/proto-json';
import { encodeProtoJson, objectForm } from './from-proto-json';
import { checkEnvoyResource } from '../../src/xds/check-resource';
import { REPO } from './render';
import { kxdsArgs } from './make';

const BOOTSTRAP = 'envoy.config.bootstrap.v3.Bootstrap';

function printed(target: string, role: string): string {
  const args = kxdsArgs(target, `--role ${role}`);
  const at = args.indexOf('--output-file');
  assert.ok(at >= 0, `make ${target} writes the file with --output-file`);
  args.splice(at, 2);
  return execFileSync(process.execPath, [path.join(REPO, 'bin', 'kxds.js'), ...args], { encoding: 'utf8' });
}

for (const role of ['edge', 'sidecar'] as const) {
  const file = path.join(REPO, 'envoy', `${role}.yaml`);

  test(`envoy/${role}.yaml is what make bootstrap-${role} prints`, () => {
    assert.equal(fs.readFileSync(file, 'utf8'), printed(`bootstrap-${role}`, role));
  });

  test(`envoy/${role}.yaml decodes as a Bootstrap and passes Envoy's validation rules`, () => {
    // Read as Envoy reads it (the protobuf JSON mapping), refusing unknown keys...
    const json = parse(fs.readFileSync(file, 'utf8')) as Parameters<typeof encodeProtoJson>[1];
    const bytes = encodeProtoJson(BOOTSTRAP, json);
    // ...nothing lost: the decoded message maps back to the very same document...
    assert.deepEqual(toProtoJson(BOOTSTRAP, bytes), json);
    // ...and it passes the rules Envoy enforces (protoc-gen-validate).
    assert.deepEqual(checkEnvoyResource(BOOTSTRAP, objectForm(lookupType(BOOTSTRAP), json)), []);
  });
}

test('the edge ConfigMap in k8s/base carries envoy/edge.yaml unchanged', () => {
  assert.equal(
    fs.readFileSync(path.join(REPO, 'k8s', 'base', 'edge-bootstrap.yaml'), 'utf8'),
    fs.readFileSync(path.join(REPO, 'envoy', 'edge.yaml'), 'utf8'),
  );
});

test('the shipped bootstraps speak mutual TLS to the kxds Service', () => {
  for (const role of ['edge', 'sidecar']) {
    const text = fs.readFileSync(path.join(REPO, 'envoy', `${role}.yaml`), 'utf8');
    assert.match(text, /kxds\.kxds\.svc/);
    assert.match(text, /UpstreamTlsContext/);
    assert.match(text, /filename: \/etc\/kxds-tls\/tls\.crt/);
  }
});

test('a bootstrap with an unknown or misspelled key does not decode', () => {
  assert.throws(
    () => encodeProtoJson(BOOTSTRAP, { node: { id: 'x', clustr: 'y' } }),
    /node\.clustr: no such field/,
  );
  assert.throws(
    () =>
      encodeProtoJson(BOOTSTRAP, { admin: { address: { socket_address: { port_value: 'x', adress: '' } } } }),
    /adress: no such field/,
  );
});

test('the validation rules reject a bootstrap Envoy would reject', () => {
  const json = { admin: { address: { socket_address: { address: '127.0.0.1', port_value: 70000 } } } };
  const problems = checkEnvoyResource(BOOTSTRAP, objectForm(lookupType(BOOTSTRAP), json));
  assert.ok(
    problems.some((p) => p.includes('port_value')),
    problems.join('; '),
  );
});
