// Key material is replaced wherever it sits; everything else is kept.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REDACTED, redactSecrets } from '../../src/admin/redact';

test('redactSecrets replaces private keys, passwords, generic secrets and ticket keys at any depth', () => {
  const input = {
    name: 's',
    tls_certificate: {
      certificate_chain: { inline_string: 'CERT' },
      private_key: { inline_bytes: 'S0VZ' },
      password: { inline_string: 'pw' },
    },
    listeners: [
      {
        transport_socket: {
          typed_config: { '@type': 'x', session_ticket_keys: { keys: [{ inline_bytes: 'k' }] } },
        },
      },
    ],
    generic_secret: { secret: { inline_string: 'token' } },
  };
  const out = redactSecrets(input);
  assert.deepEqual(out, {
    name: 's',
    tls_certificate: {
      certificate_chain: { inline_string: 'CERT' },
      private_key: REDACTED,
      password: REDACTED,
    },
    listeners: [{ transport_socket: { typed_config: { '@type': 'x', session_ticket_keys: REDACTED } } }],
    generic_secret: REDACTED,
  });
  assert.equal(
    (input.tls_certificate.private_key as { inline_bytes: string }).inline_bytes,
    'S0VZ',
    'input untouched',
  );
});

test('redactSecrets replaces basic auth users in a route', () => {
  const route = {
    match: { prefix: '/' },
    typed_per_filter_config: {
      'envoy.filters.http.basic_auth': { '@type': 'x', users: { inline_string: 'alice:{SHA}abc=' } },
    },
  };
  assert.deepEqual(redactSecrets(route).typed_per_filter_config, {
    'envoy.filters.http.basic_auth': { '@type': 'x', users: REDACTED },
  });
});
